// `npm run crash-test [-- --kills N]`: the crash harness (crash-harness.ts) on a fresh SQLite
// DATA_DIR with the demo county, killed N times (50 by default). Prints kills survived, writes
// acknowledged and checked, duplicates and invariant failures; exits 1 on any failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer } from '../../../../scripts/build-server.mjs';
import { runCrashTest, summaryLines } from './crash-harness.ts';

const at = process.argv.indexOf('--kills');
const kills = at > 0 ? Number(process.argv[at + 1]) : 50;
if (!Number.isInteger(kills) || kills < 1) {
  process.stderr.write('--kills takes a whole number of at least 1\n');
  process.exit(2);
}
// The harness starts the server as npm start does: built.
await buildServer();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-crash-'));
const began = Date.now();
try {
  const summary = await runCrashTest({
    kills,
    env: { DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, 'no-web') },
    progress: (line) => process.stdout.write(`${line}\n`),
  });
  for (const line of summaryLines(summary)) process.stdout.write(`${line}\n`);
  process.stdout.write(`took ${Math.round((Date.now() - began) / 1000)} s\n`);
  const failed = summary.failures.length + summary.invariantFailures.length > 0;
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n(data kept in ${dataDir})\n`);
  process.exit(1);
}
