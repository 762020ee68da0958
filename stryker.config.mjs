// StrykerJS for `pnpm mutation`: scripts/mutation.mjs runs it in an adapter's
// folder (packages/sqlite, packages/postgres), sets HUME_MUTATION_SUITE and may
// narrow `mutate`; the paths below are the adapter's. Equivalent mutants are disabled in the source with
// `// Stryker disable next-line <mutator>: <why it is equivalent>`, so that
// they count as ignored, each with its reason, never as killed.
import { fileURLToPath } from 'node:url';

const suite = process.env.HUME_MUTATION_SUITE ?? 'kit';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', fileURLToPath(new URL('./scripts/mutation/stryker-mutant-log.mjs', import.meta.url))],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: ['src/**/*.ts', '!src/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  // Added to 1.5 × the covering tests' time: a mutant looping synchronously (no kit timer can fire) costs that much.
  timeoutMS: 30_000,
  // The first run of the whole suite, with coverage, takes minutes (the kit runs every case).
  dryRunTimeoutMinutes: 90,
  reporters: ['progress', 'clear-text', 'json', 'mutant-log'],
  jsonReporter: { fileName: `reports/mutation/${suite}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
