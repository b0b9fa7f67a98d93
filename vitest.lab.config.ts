import { defineConfig } from 'vitest/config';

// The lab's end-to-end tests: they need root, Debian's packages and start PostgreSQL, so they stay
// out of `npm test` and run in .ci/run after the lab's packages are installed.
export default defineConfig({
  test: {
    include: ['tests/lab-e2e/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
