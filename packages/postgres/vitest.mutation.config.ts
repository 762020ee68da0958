import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Mutation testing (pnpm mutation, scripts/mutation.mjs): the tests import
// @hume/postgres from src, where Stryker plants its mutants, instead of dist.
// HUME_MUTATION_SUITE picks the suite: `kit` (the conformance suite alone)
// or `own` (the adapter's own tests). The lists replace the base config's
// rather than merge with them (mergeConfig would concatenate `include`, and
// the kit's run would also run the adapter's own tests).
const suite = process.env.HUME_MUTATION_SUITE ?? 'kit';

export default defineConfig({
  ...base,
  resolve: { alias: { '@hume/postgres': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    ...base.test,
    include: suite === 'kit' ? ['test/conformance.test.ts'] : ['test/**/*.test.ts'],
    exclude: [...(base.test?.exclude ?? []), ...(suite === 'kit' ? [] : ['test/conformance.test.ts'])],
  },
});
