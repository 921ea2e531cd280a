// The server runs from its TypeScript sources (tests, tsx) or from the JavaScript that
// scripts/build-server.mjs makes of them (npm start, the care bench's server). Files it names at
// run time (a worker's entry, sources it hashes) have the extension of the form it runs in.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** '.ts' when running from sources, '.js' when running built. */
export const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Whether the server runs from its sources, so that a worker thread must load TypeScript itself. */
export const FROM_SOURCES = OWN_EXTENSION === '.ts';

/** The path of a module beside `moduleUrl`, named without extension: `ownFile(import.meta.url, 'worker')`. */
export function ownFile(moduleUrl: string, name: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), `${name}${OWN_EXTENSION}`);
}
