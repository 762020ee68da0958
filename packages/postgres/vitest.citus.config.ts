import { defineConfig } from 'vitest/config';

// `pnpm test:citus`: the tests of test/citus on a Citus cluster of their own (see test/citus/citus-setup.ts).
export default defineConfig({
  test: {
    include: ['test/citus/**/*.test.ts'],
    globalSetup: ['test/citus/citus-setup.ts'],
    setupFiles: ['test/citus/nodes-up.ts'],
    // One file at a time: the rebalancing and node-kill tests move shards and kill workers under every store of the cluster.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
