import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The lab's end-to-end tests need root and Debian's packages: `npm run test:lab` (vitest.lab.config.ts).
    exclude: ['tests/lab-e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One throwaway PostgreSQL for the run (tests/global-setup.ts): the store's contract suite
    // and the multi-process tests use it.
    globalSetup: ['tests/global-setup.ts'],
  },
});
