import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Mutation testing (pnpm mutation, scripts/mutation.mjs): the tests import
// @hume/sqlite from src, where Stryker plants its mutants, instead of dist.
// HUME_MUTATION_SUITE picks the suite: `kit` (the conformance suite alone)
// or `own` (the adapter's own tests).
const suite = process.env.HUME_MUTATION_SUITE ?? 'kit';

export default defineConfig({
  resolve: { alias: { '@hume/sqlite': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: suite === 'kit' ? ['test/conformance.test.ts'] : ['test/**/*.test.ts'],
    exclude: suite === 'kit' ? [] : ['test/conformance.test.ts'],
    // The kit's default target and its order-pressure target: every case, with every hook, in two
    // configurations of the six the suite runs (all six take about 20 minutes, far too long per mutant).
    testNamePattern: suite === 'kit' ? /^@hume\/sqlite (with reverse_unordered_selects )?keeps the Hume contract/ : undefined,
  },
});
