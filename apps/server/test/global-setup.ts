// The server's tests that start the real process start it as `npm start` does: built to plain
// JavaScript (scripts/build-server.mjs, a second or two) and run by node without a TypeScript
// loader. Built once here, before any file runs, rather than by each file: a build swaps the built
// folder, and a server another file was starting from it at that moment would find files missing.
// Under tsx each start transpiled the whole server again (restart, first-start and backup start
// some twenty servers).
import { buildServer } from '../../../scripts/build-server.mjs';

export default async function setup(): Promise<void> {
  await buildServer();
}
