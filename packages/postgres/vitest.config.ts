import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Citus tests need a cluster: `pnpm test:citus` (vitest.citus.config.ts).
    exclude: ['test/citus/**', '**/node_modules/**'],
    // Starts a throwaway PostgreSQL unless DATABASE_URL names one; stops it when the run ends.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
