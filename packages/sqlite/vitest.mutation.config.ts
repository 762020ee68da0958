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
    // Three of the suite's six targets: the default one (every case, every hook), the order-pressure
    // one, and the options one (C8.8 and the race across processes, which see the store's own
    // busy_timeout, and C5.4 with a maximum payload other than the default). The others repeat the default's cases with options outside the contract.
    testNamePattern:
      suite === 'kit'
        ? /^@hume\/sqlite (with reverse_unordered_selects |on a handle with a 20 ms driver timeout, busyTimeout 3000, maxPayloadBytes 3 MiB )?keeps the Hume contract/
        : undefined,
  },
});
