import { defineConfig } from 'vitest/config';

// Each test runs the demo in a process of its own: seconds on a busy machine, past vitest's 5 s default.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
