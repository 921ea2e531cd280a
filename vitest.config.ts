import { availableParallelism } from 'node:os';
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
    // Vitest's default (one less than the cores) runs one file at a time on a 2-core machine, yet most
    // files spend their time waiting on PostgreSQL or chromium: two at a time is how CI stays in time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { shuffle: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['apps/server/**/*.test.ts', 'packages/**/*.test.ts'],
          // The server built once for the tests that start the real process (test/global-setup.ts).
          globalSetup: ['apps/server/test/global-setup.ts'],
          // The files of a worker share one module graph instead of each importing the whole app
          // again (over a second of CPU per file, most of the suite's import time): every file builds
          // its own app on its own database, and what modules keep per process is keyed so that
          // files cannot see each other's (sessions by token, caches by schema or database).
          isolate: false,
        },
      },
      {
        extends: true,
        // The web app's unit tests stub browser globals (fetch, crypto, localStorage): each file alone.
        test: { name: 'web-unit', include: ['apps/web/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['apps/web/e2e/**/*.test.ts'],
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          // As in the server's tests: each file starts its own server on its own database and its own
          // chromium, and only the imported modules (the whole server app) are shared. Eight browser
          // files took 117 s instead of 147 s (module imports 14 s instead of 36 s).
          isolate: false,
        },
      },
    ],
  },
});
