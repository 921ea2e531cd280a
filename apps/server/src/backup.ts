// Online backups and their restore (issue 13, item 8). A backup is a folder:
//   manifest.json      written last: when, dialect, migrations, row counts, sha256 of every part
//   cunzhi.db          SQLite: a snapshot by the online backup API, taken while the server writes
//   database.pgdump    PostgreSQL: pg_dump --format=custom of the schema, in the counts' snapshot
//   files/             the stored photos and documents, copied AFTER the database snapshot
//   files.sha256       one `sha256  path` line per stored file (`sha256sum -c` reads it)
//   KEYS.txt           where the ID-number key lives and its fingerprint; the key itself only
//                      with --include-key, because a backup that holds the key gives whoever
//                      finds it every ID number in it
// Files are written once under unique keys before the row that names them commits, so copying
// them after the snapshot finds every file a row in the snapshot names; later files are harmless.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EVIDENCE_KEY_PART, evidenceKeyNote, evidenceKeyOf, restoreEvidenceKey } from './backup-evidence-key.ts';
import type { Config } from './config.ts';
import {
  appliedMigrations,
  type DatabaseSnapshot,
  dialectRefusal,
  restoreDatabase,
  restoreTargetRefusal,
  snapshotDatabase,
  tableCounts,
} from './db/backup-database.ts';
import { databaseTargetFromConfig, openDatabase } from './db/database.ts';
import type { DialectName } from './db/dialect.ts';
import { MIGRATION_NAMES } from './db/migrate.ts';
import { type ChainHeadRef, formatHead, readChainHead, verifyAuditChain } from './modules/audit/audit-chain.ts';
import { verify as verifyLedger } from './modules/points/points-reports.repository.ts';
import { createIdNumberVault } from './platform/id-number-vault.ts';

export const BACKUP_FORMAT = 'cunzhi-backup/1';
const FILES_LIST = 'files.sha256';
const KEYS_NOTE = 'KEYS.txt';
const KEY_PART = 'keys/id-number.key';

export type Manifest = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  dialect: DialectName;
  /** The last migration applied: the schema version a restore must understand. */
  schemaVersion: string | undefined;
  migrations: string[];
  postgresSchema?: string;
  counts: Record<string, number>;
  files: { count: number; bytes: number };
  key: { where: string; fingerprint: string | undefined; included: boolean };
  /** The county's evidence-signing key, kept like the ID-number key (absent in backups made before it). */
  evidenceKey?: { where: string; fingerprint: string | undefined; included: boolean };
  /**
   * The audit chain's head read just before the snapshot: a copy of it outside the machine. The
   * restored chain must reach it, and a later verify can be given it (--expect-head).
   */
  auditHead?: ChainHeadRef;
  /** sha256 and size of each part, by its path inside the backup folder. */
  parts: Record<string, { sha256: string; bytes: number }>;
};

/** A refusal before anything was touched (bad usage, a non-empty target): exit 2. */
export class BackupRefusal extends Error {}

// ---------------------------------------------------------------- helpers

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** Every regular file under `root`, as paths relative to it with forward slashes, sorted. */
async function listFiles(root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------- backup

export async function makeBackup(config: Config, targetDir: string, options: { includeKey: boolean }): Promise<Manifest> {
  const target = path.resolve(targetDir);
  if (!(await isEmptyOrMissing(target))) throw new BackupRefusal(`${target} is not empty: give a new folder for each backup`);
  if (target === config.dataDir || target.startsWith(`${config.dataDir}${path.sep}`)) {
    throw new BackupRefusal('the backup folder must be outside DATA_DIR (and best on another disk or machine)');
  }
  await fs.mkdir(target, { recursive: true });
  const createdAt = new Date().toISOString();

  // 0. The audit chain's head, before the snapshot, so the snapshot's chain reaches it.
  const live = openDatabase(databaseTargetFromConfig(config));
  let auditHead: ChainHeadRef;
  try {
    auditHead = await readChainHead(live.db);
  } finally {
    await live.close();
  }

  // 1. The database, first.
  const snapshot: DatabaseSnapshot = await snapshotDatabase(config, target);

  // 2. The stored files, after it (see the header). A `.partial` file is an upload still being written.
  const filesRoot = path.join(config.dataDir, 'files');
  const lines: string[] = [];
  let bytes = 0;
  for (const relative of await listFiles(filesRoot)) {
    if (relative.endsWith('.partial')) continue;
    const to = path.join(target, 'files', relative);
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.copyFile(path.join(filesRoot, relative), to);
    bytes += (await fs.stat(to)).size;
    lines.push(`${await sha256Of(to)}  ${relative}\n`);
  }
  await fs.writeFile(path.join(target, FILES_LIST), lines.join(''));

  // 3. Where the key is, and the key only when asked.
  const keyFile = path.join(config.dataDir, 'keys', 'id-number.key');
  const key = config.idNumberKey ? Buffer.from(config.idNumberKey, 'base64') : await readKeyFile(keyFile);
  const where = config.idNumberKey ? 'the ID_NUMBER_KEY environment variable of the server' : keyFile;
  const fingerprint = key && keyFingerprint(key);
  if (options.includeKey && key) {
    await fs.mkdir(path.join(target, 'keys'), { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(target, KEY_PART), `${key.toString('base64')}\n`, { mode: 0o600 });
  }
  // The key that signs the police's evidence packages goes the same way: only when asked. A restore
  // without it would make a new key, and the county's published fingerprint would change.
  const evidence = await evidenceKeyOf(config);
  const evidenceIncluded = options.includeKey && evidence.pem !== undefined;
  if (evidenceIncluded) {
    await fs.mkdir(path.join(target, 'keys'), { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(target, EVIDENCE_KEY_PART), evidence.pem as string, { mode: 0o600 });
  }
  await fs.writeFile(
    path.join(target, KEYS_NOTE),
    keysNote(where, fingerprint, options.includeKey && key !== undefined) +
      evidenceKeyNote(evidence.where, evidence.fingerprint, evidenceIncluded),
  );

  // 4. The manifest last: a folder without one is an unfinished backup, and restore refuses it.
  const parts: Manifest['parts'] = {};
  for (const part of [
    snapshot.part,
    FILES_LIST,
    KEYS_NOTE,
    ...(options.includeKey && key ? [KEY_PART] : []),
    ...(evidenceIncluded ? [EVIDENCE_KEY_PART] : []),
  ]) {
    const file = path.join(target, part);
    parts[part] = { sha256: await sha256Of(file), bytes: (await fs.stat(file)).size };
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    createdAt,
    dialect: snapshot.dialect,
    schemaVersion: snapshot.migrations.at(-1),
    migrations: snapshot.migrations,
    ...(snapshot.schema && { postgresSchema: snapshot.schema }),
    counts: snapshot.counts,
    files: { count: lines.length, bytes },
    key: { where, fingerprint, included: options.includeKey && key !== undefined },
    evidenceKey: { where: evidence.where, fingerprint: evidence.fingerprint, included: evidenceIncluded },
    auditHead,
    parts,
  };
  await fs.writeFile(path.join(target, 'manifest.json.partial'), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
  await fs.rename(path.join(target, 'manifest.json.partial'), path.join(target, 'manifest.json'));
  return manifest;
}

function keysNote(where: string, fingerprint: string | undefined, included: boolean): string {
  return [
    '身份证号密钥 The ID-number key',
    '',
    `这份备份的身份证号用此密钥加密 ID numbers in this backup are encrypted with the key at: ${where}`,
    `密钥指纹 Key fingerprint (sha256, first 16 hex): ${fingerprint ?? '(no key yet)'}`,
    included
      ? '本备份含密钥（--include-key）：请像保管密钥一样保管本备份。 This backup HOLDS the key (--include-key): guard it as you guard the key.'
      : '本备份不含密钥：密钥须另行保管（如县里保险柜）。恢复后，启动服务前把密钥放到 DATA_DIR/keys/id-number.key 或设 ID_NUMBER_KEY。\n' +
        'This backup does NOT hold the key: keep the key apart (e.g. in the county safe). After a restore, put it at\n' +
        'DATA_DIR/keys/id-number.key or set ID_NUMBER_KEY before starting the server, or ID numbers cannot be read.',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- restore

export async function readManifest(backupDir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new BackupRefusal(`${backupDir} holds no readable manifest.json: not a backup, or one that never finished`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupRefusal(`unknown backup format: expected ${BACKUP_FORMAT}`);
  return manifest;
}

/** Every part and every stored file against the sums taken at backup time; one line per problem. */
export async function checkSums(backupDir: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  for (const [part, expected] of Object.entries(manifest.parts)) {
    const file = path.join(backupDir, part);
    const actual = await sha256Of(file).catch(() => undefined);
    if (actual === undefined) problems.push(`${part}: missing from the backup`);
    else if (actual !== expected.sha256) problems.push(`${part}: sha256 differs from the manifest (damaged or changed)`);
  }
  if (problems.some((p) => p.startsWith(FILES_LIST))) return problems;
  const listed = (await fs.readFile(path.join(backupDir, FILES_LIST), 'utf8')).split('\n').filter(Boolean);
  for (const line of listed) {
    const sum = line.slice(0, 64);
    const relative = line.slice(66);
    const actual = await sha256Of(path.join(backupDir, 'files', relative)).catch(() => undefined);
    if (actual !== sum) problems.push(`files/${relative}: ${actual === undefined ? 'missing from the backup' : 'sha256 differs'}`);
  }
  if (listed.length !== manifest.files.count)
    problems.push(`${FILES_LIST}: lists ${listed.length} files, the manifest ${manifest.files.count}`);
  return problems;
}

export type RestoreReport = { problems: string[]; notes: string[] };

/**
 * Restores into an empty DATA_DIR (and on PostgreSQL an empty schema), then checks what it
 * restored. Throws BackupRefusal before touching anything when the target is not empty or the
 * backup is of the other dialect; returns the problems found, none when all is well.
 */
export async function restoreBackup(config: Config, backupDir: string): Promise<RestoreReport> {
  const source = path.resolve(backupDir);
  const manifest = await readManifest(source);
  const wrongDialect = dialectRefusal(config, manifest.dialect);
  if (wrongDialect) throw new BackupRefusal(wrongDialect);
  const unknown = manifest.migrations.filter((m) => !MIGRATION_NAMES.includes(m));
  if (unknown.length > 0) throw new BackupRefusal(`the backup is from a newer Cunzhi (migrations ${unknown.join(', ')}): upgrade first`);
  if (!(await isEmptyOrMissing(config.dataDir)))
    throw new BackupRefusal(`DATA_DIR ${config.dataDir} is not empty: restore only into an empty one`);

  const sums = await checkSums(source, manifest);
  if (sums.length > 0) return { problems: sums, notes: [] };

  const occupied = await restoreTargetRefusal(config);
  if (occupied) throw new BackupRefusal(occupied);
  await restoreDatabase(config, source, manifest.postgresSchema);
  // After the database, as at backup time: the database is what names them.
  for (const relative of await listFiles(path.join(source, 'files'))) {
    const to = path.join(config.dataDir, 'files', relative);
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.copyFile(path.join(source, 'files', relative), to);
  }
  const notes = [...(await restoreKey(config, source, manifest)), ...(await restoreEvidenceKey(config, source, manifest.evidenceKey))];
  return { problems: await checkRestored(config, manifest, notes), notes };
}

async function restoreKey(config: Config, source: string, manifest: Manifest): Promise<string[]> {
  const keyFile = path.join(config.dataDir, 'keys', 'id-number.key');
  if (manifest.key.included && !config.idNumberKey) {
    await fs.mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    await fs.copyFile(path.join(source, KEY_PART), keyFile);
    await fs.chmod(keyFile, 0o600);
  }
  const key = config.idNumberKey ? Buffer.from(config.idNumberKey, 'base64') : await readKeyFile(keyFile);
  if (!manifest.key.fingerprint) return [];
  if (!key) {
    return [
      `KEY NEEDED: put the ID-number key (fingerprint ${manifest.key.fingerprint}) at ${keyFile} or in ID_NUMBER_KEY before starting the server; ` +
        'without it ID numbers cannot be read and the server would make a new key',
    ];
  }
  if (keyFingerprint(key) !== manifest.key.fingerprint) {
    return [
      `KEY MISMATCH: the configured ID-number key is not the backup's (fingerprint ${manifest.key.fingerprint}); ID numbers would not read`,
    ];
  }
  return ['the ID-number key matches the backup'];
}

/** The restored database against the manifest: migrations, row counts, the points ledger, the audit chain. */
export async function checkRestored(config: Config, manifest: Manifest, notes: string[] = []): Promise<string[]> {
  const problems: string[] = [];
  const database = openDatabase(databaseTargetFromConfig(config));
  try {
    const migrations = await appliedMigrations(database.db);
    if (migrations.join() !== manifest.migrations.join()) {
      problems.push(`migrations: restored ${migrations.length}, the manifest lists ${manifest.migrations.length}`);
    }
    const counts = await tableCounts(database.db);
    for (const table of new Set([...Object.keys(manifest.counts), ...Object.keys(counts)])) {
      if (counts[table] !== manifest.counts[table]) {
        problems.push(
          `${table}: ${counts[table] ?? 'no table'} rows restored, the manifest counted ${manifest.counts[table] ?? 'no table'}`,
        );
      }
    }
    if (problems.length === 0) {
      const ledger = await verifyLedger(database.db);
      for (const m of ledger.mismatches) problems.push(`points ledger ${m.kind} ${m.id}: expected ${m.expected}, found ${m.actual}`);
      // The chain is keyed with the restored installation's key: without it the chain cannot be
      // judged either way, which is not the same as broken.
      const key = config.idNumberKey
        ? Buffer.from(config.idNumberKey, 'base64')
        : await readKeyFile(path.join(config.dataDir, 'keys', 'id-number.key'));
      if (!key) {
        notes.push('audit chain not verifiable without the key: verify it with npm run audit:verify once the key is in place');
      } else if (manifest.key.fingerprint && keyFingerprint(key) !== manifest.key.fingerprint) {
        notes.push("audit chain not verifiable: the configured key is not the backup's (see KEY MISMATCH)");
      } else {
        const chainKey = createIdNumberVault(key).derivedKey('audit-chain');
        const chain = await verifyAuditChain(database.db, chainKey, { expectHead: manifest.auditHead });
        if (!chain.ok && chain.firstBroken) {
          const { seq, auditId, reason } = chain.firstBroken;
          problems.push(`audit chain broken at link ${seq ?? '-'} (record ${auditId ?? '-'}): ${reason}`);
        } else if (manifest.auditHead) {
          notes.push(`the audit chain holds and reaches the backup's head ${formatHead(manifest.auditHead)}`);
        }
      }
    }
  } finally {
    await database.close();
  }
  return problems;
}
