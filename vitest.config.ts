import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests import the package's entry points from the sources, as tsconfig.json's `paths` do: the package's
  // `exports` point at dist/, which only `npm run build` writes (test/package.test.ts tests those).
  resolve: {
    alias: [
      {
        find: /^tombstone\/msw$/,
        replacement: fileURLToPath(new URL('src/mock/adapter/msw/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      include: ['src/**'],
      exclude: ['generated/**'],
    },
  },
});
