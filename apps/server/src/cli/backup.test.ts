// Backups of a live server (issue 13, item 8), with the real processes: a server takes writes in a
// loop while `npm run backup` runs beside it; the backup is restored into an empty DATA_DIR (and on
// PostgreSQL an empty schema of another name) and a server started on it. Every write acknowledged
// before the backup began is there, none acknowledged after it ended is, and the restore command's
// own checks (sums, row counts, points ledger, audit chain) pass. A damaged backup, a non-empty
// target and the key left out are the refusals a county meets.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, dialects } from '../../test/build-test-app.ts';
import { BUILT_MAIN } from '../../test/built-main.ts';
import { renameSchemaInScript } from '../db/backup-database.ts';
import { loadCountySigningKey, SIGNING_KEY_FILE } from '../modules/monitoring/evidence/county-signing-key.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const BACKUP = path.resolve(ROOT, 'apps/server/src/cli/backup.ts');
const RESTORE = path.resolve(ROOT, 'apps/server/src/cli/restore.ts');
const AUDIT_VERIFY = path.resolve(ROOT, 'apps/server/src/cli/audit-verify.ts');
// The demo without its cameras' week (DEMO_CAMERAS=false): the server starts sooner, and the test writes its own evidence key.
const QUIET = {
  LOG_LEVEL: 'info',
  JOBS_ENABLED: 'false',
  SIMULATE_CARE: 'false',
  DEMO_CAMERAS: 'false',
  HOST: '127.0.0.1',
  PORT: '0',
  NODE_ENV: 'development',
};

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** A DATA_DIR (empty) and, on PostgreSQL, an empty schema of its own. */
async function environmentFor(dialect: string): Promise<Record<string, string>> {
  const base = { PATH: process.env.PATH as string, DATA_DIR: path.join(tempDir('cunzhi-backup-'), 'data'), ...QUIET };
  if (dialect === 'sqlite') return { ...base, DATABASE_URL: '' };
  const { schema, drop } = await createTestSchema(process.env.TEST_DATABASE_URL as string, 'backup');
  cleanups.push(drop);
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { ...base, DATABASE_URL: url.toString() };
}

const runAsync = (script: string, args: string[], env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
const run = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BUILT_MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(async () => void child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`server exited:\n${output}`)));
  });
  return { child, url, exited };
}

async function loginAs(url: string, phone: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: 'Cunzhi2026' }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

type Ack = { id: string; at: number };

describe.each(dialects)('backup and restore on %s', (dialect) => {
  it('backs up a server under write load and restores every write acknowledged before the backup began', async () => {
    const env = await environmentFor(dialect);
    // The county's evidence-signing key, as the first police package would have made it.
    const evidenceKey = loadCountySigningKey({ fromConfig: undefined, dataDir: env.DATA_DIR as string });
    const server = await startServer(env);
    const cadre = await loginAs(server.url, '13800000003');
    const listed = (await (await fetch(`${server.url}/api/org/households?limit=1`, { headers: { cookie: cadre.cookie } })).json()) as {
      items: { regionId: string }[];
    };
    const regionId = listed.items[0]?.regionId;

    // Two writers in a loop, each write's id kept with the moment its 201 arrived.
    const acks: Ack[] = [];
    let stop = false;
    const failures: string[] = [];
    const writer = async (name: string, tag: string) => {
      for (let i = 0; !stop; i += 1) {
        const response = await fetch(`${server.url}/api/org/households`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cadre.cookie, 'x-csrf-token': cadre.csrfToken },
          // Numbered by the test: the number made from a count of the group's households collides
          // with the demo's where its numbers have gaps (409 household_number_taken).
          body: JSON.stringify({ headName: `备份${name}${i}`, regionId, number: `backup-${tag}-${i}` }),
        });
        if (response.status !== 201) {
          failures.push(`${response.status} ${await response.text()}`);
          stop = true;
          return;
        }
        acks.push({ id: ((await response.json()) as { id: string }).id, at: Date.now() });
      }
    };
    const writers = [writer('甲', 'a'), writer('乙', 'b')];
    const waitFor = async (n: number) => {
      while (acks.length < n && !stop) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(30);

    const backupDir = path.join(tempDir('cunzhi-backups-'), 'monday');
    const began = Date.now();
    const backup = await runAsync(BACKUP, [backupDir], env);
    const ended = Date.now();
    const ackedDuring = acks.filter((a) => a.at > began).length;
    const atEnd = acks.length;
    await waitFor(atEnd + 20);
    stop = true;
    await Promise.all(writers);
    expect(failures).toEqual([]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    // The server really was writing while the backup ran.
    expect(ackedDuring).toBeGreaterThan(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ dialect, format: 'cunzhi-backup/1', key: { included: false } });
    expect(manifest.files.count).toBeGreaterThan(0);
    // The audit chain's head, recorded outside the database (audit-chain.ts).
    expect(manifest.auditHead).toEqual({ seq: expect.any(Number), chainHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The key is kept apart from the data: only a note of where it lives is in the backup.
    expect(fs.existsSync(path.join(backupDir, 'keys'))).toBe(false);
    const keyFile = path.join(env.DATA_DIR as string, 'keys', 'id-number.key');
    expect(fs.readFileSync(path.join(backupDir, 'KEYS.txt'), 'utf8')).toContain(keyFile);
    expect(JSON.stringify(fs.readdirSync(backupDir, { recursive: true }))).not.toContain(fs.readFileSync(keyFile, 'utf8').trim());
    // So is the evidence-signing key: its fingerprint is noted, for the restore to ask for it back.
    expect(manifest.evidenceKey).toEqual({ where: expect.any(String), fingerprint: evidenceKey.fingerprint, included: false });
    expect(fs.readFileSync(path.join(backupDir, 'KEYS.txt'), 'utf8')).toContain(evidenceKey.fingerprint);

    // Restored into an empty DATA_DIR (and a fresh schema), checked by the command itself.
    const target = await environmentFor(dialect);
    const restored = run(RESTORE, [backupDir], target);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('restored and verified');
    expect(restored.stdout).toContain('KEY NEEDED');
    expect(restored.stdout).toContain(`EVIDENCE KEY NEEDED: put the evidence-signing key (fingerprint ${evidenceKey.fingerprint})`);
    // The chain is keyed: without the key it is not judged, and not called broken either.
    expect(restored.stdout).toContain('audit chain not verifiable without the key');
    expect(restored.status).toBe(0);
    // Not over data already there.
    const again = run(RESTORE, [backupDir], target);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('not empty');

    // The key comes back from where the county keeps it, then the server starts on the restore.
    fs.mkdirSync(path.join(target.DATA_DIR as string, 'keys'), { recursive: true });
    fs.copyFileSync(keyFile, path.join(target.DATA_DIR as string, 'keys', 'id-number.key'));
    fs.copyFileSync(path.join(env.DATA_DIR as string, SIGNING_KEY_FILE), path.join(target.DATA_DIR as string, SIGNING_KEY_FILE));
    // With the key back, the restored chain reaches the head the manifest recorded, and not beyond.
    const { seq, chainHash } = manifest.auditHead as { seq: number; chainHash: string };
    // A head that is not one is refused before the database is opened: it runs beside the two that
    // read the database (those two one after the other, as two commands on one SQLite file would be).
    const unreadable = runAsync(AUDIT_VERIFY, ['--expect-head', 'yesterday'], target);
    const reaches = run(AUDIT_VERIFY, ['--expect-head', `${seq}:${chainHash}`], target);
    expect([reaches.status, reaches.stdout]).toEqual([0, expect.stringContaining('the audit chain holds and reaches')]);
    const beyond = run(AUDIT_VERIFY, ['--expect-head', `${seq + 1000}:${chainHash}`], target);
    expect([beyond.status, beyond.stdout]).toEqual([1, expect.stringContaining('expected_head_missing')]);
    expect((await unreadable).status).toBe(2);

    // A damaged backup is refused before anything is restored, naming the part. Its own empty
    // target, so it runs while the server below starts on the good restore.
    const damaged = path.join(tempDir('cunzhi-damaged-'), 'copy');
    fs.cpSync(backupDir, damaged, { recursive: true });
    const part = dialect === 'sqlite' ? 'cunzhi.db' : 'database.pgdump';
    const bytes = fs.readFileSync(path.join(damaged, part));
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 0xff;
    fs.writeFileSync(path.join(damaged, part), bytes);
    const refusing = runAsync(RESTORE, [damaged], await environmentFor(dialect));

    const second = await startServer(target);
    try {
      const after = await loginAs(second.url, '13800000003');
      const statusOf = async (id: string) =>
        (await fetch(`${second.url}/api/org/households/${id}`, { headers: { cookie: after.cookie } })).status;
      const before = acks.filter((a) => a.at < began);
      expect(before.length).toBeGreaterThanOrEqual(30);
      expect(await Promise.all(before.map((a) => statusOf(a.id)))).toEqual(before.map(() => 200));
      const later = acks.filter((a) => a.at > ended);
      expect(later.length).toBeGreaterThanOrEqual(20);
      expect(await Promise.all(later.map((a) => statusOf(a.id)))).toEqual(later.map(() => 404));
      // The households the backup holds are exactly those acknowledged before it ended, and the demo's.
      const during = acks.filter((a) => a.at >= began && a.at <= ended);
      const present = (await Promise.all(during.map((a) => statusOf(a.id)))).filter((s) => s === 200).length;
      const demoHouseholds = manifest.counts.households - before.length - present;
      expect(demoHouseholds).toBeGreaterThan(0);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    const refused = await refusing;
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${part}: sha256 differs`);
  }, 420_000);

  it('refuses a folder that is not a finished backup, and a backup folder that is not empty', async () => {
    const env = await environmentFor(dialect);
    const notBackup = tempDir('cunzhi-nobackup-');
    const restore = run(RESTORE, [notBackup], env);
    expect(restore.status).toBe(2);
    expect(restore.stderr).toContain('manifest.json');
    fs.writeFileSync(path.join(notBackup, 'old.txt'), 'x');
    const backup = run(BACKUP, [notBackup], env);
    expect(backup.status).toBe(2);
    expect(backup.stderr).toContain('not empty');
  }, 60_000);
});

describe('restoring a PostgreSQL dump into a schema of another name', () => {
  it('renames the schema outside the data and leaves the rows as they were', () => {
    const script = [
      'CREATE SCHEMA old_a1;',
      'CREATE TABLE old_a1.notes (id text, body text);',
      'COPY old_a1.notes (id, body) FROM stdin;',
      '1\told_a1.notes is the table',
      '\\.',
      "SELECT pg_catalog.setval('old_a1.seq', 5, true);",
      'CREATE TRIGGER t BEFORE DELETE ON old_a1.notes FOR EACH ROW EXECUTE FUNCTION old_a1.refuse();',
      'CREATE TABLE old_a1x.other (id text);',
    ].join('\n');
    expect(renameSchemaInScript(script, 'old_a1', 'New')).toBe(
      [
        'CREATE SCHEMA IF NOT EXISTS "New";',
        'CREATE TABLE "New".notes (id text, body text);',
        'COPY "New".notes (id, body) FROM stdin;',
        '1\told_a1.notes is the table',
        '\\.',
        `SELECT pg_catalog.setval('"New".seq', 5, true);`,
        'CREATE TRIGGER t BEFORE DELETE ON "New".notes FOR EACH ROW EXECUTE FUNCTION "New".refuse();',
        'CREATE TABLE old_a1x.other (id text);',
      ].join('\n'),
    );
  });
});
