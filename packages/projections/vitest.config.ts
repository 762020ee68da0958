import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // @hume/postgres's own setup: a throwaway PostgreSQL unless DATABASE_URL names one.
    globalSetup: ['../postgres/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
