import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Says once, in one line, when the Redis suites are skipped (test/support/redis.ts).
    globalSetup: ['test/support/redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      include: ['src/**'],
      exclude: ['generated/**'],
    },
  },
});
