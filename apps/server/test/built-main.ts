import path from 'node:path';

/**
 * The built server's entry (test/global-setup.ts builds it before the tests): spawned with node
 * alone, one process, so signals reach the server itself and no loader stands between.
 */
export const BUILT_MAIN = path.resolve(import.meta.dirname, '../dist/main.js');
