import { defineConfig } from 'vitest/config';

// Two projects, so that a server or unit test never waits for the web app to be built: only the
// browser tests (apps/web/e2e) need the built app, and only their project has the set-up that
// builds it. Files run in a shuffled order: every test file and every test must stand alone.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    sequence: { shuffle: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['apps/server/**/*.test.ts', 'packages/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['apps/web/e2e/**/*.test.ts'],
          globalSetup: ['apps/web/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
