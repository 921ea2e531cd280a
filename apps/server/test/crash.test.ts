// The crash harness's short run (issue 13, item 7): three kills with SIGKILL under mixed writes
// from four clients; `npm run crash-test` runs the long one (50 kills).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, dialects } from './build-test-app.ts';
import { runCrashTest, summaryLines } from './crash/crash-harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function environmentFor(dialect: string): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-crash-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const base = { DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, 'no-web') };
  if (dialect === 'sqlite') return base;
  const { schema, drop } = await createTestSchema(process.env.TEST_DATABASE_URL as string, 'crash');
  cleanups.push(drop);
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { ...base, DATABASE_URL: url.toString() };
}

describe.each(dialects)('the server killed with SIGKILL under writes on %s', (dialect) => {
  it('keeps every acknowledged case, grant, redemption, reading, application and notice exactly once, and its invariants, through 3 kills', async () => {
    const summary = await runCrashTest({ kills: 3, env: await environmentFor(dialect) });
    const report = summaryLines(summary).join('\n');
    expect(summary.kills, report).toBe(3);
    expect(summary.failures, report).toEqual([]);
    expect(summary.invariantFailures, report).toEqual([]);
    expect(summary.duplicates).toBe(0);
    // Every kind of write was answered at least once, so a body the server refuses cannot pass unnoticed.
    for (const [kind, n] of Object.entries(summary.acknowledgedByKind)) expect(n, `${kind}\n${report}`).toBeGreaterThan(0);
  }, 180_000);
});
