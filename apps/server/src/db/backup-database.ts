// What a backup and a restore (src/backup.ts) ask of the database itself, the one part of them
// that differs by dialect: a SQLite snapshot by the online backup API or a pg_dump in an exported
// snapshot, the tables and their row counts, the migrations applied, and the restore of the dump.
// On PostgreSQL the counts are read in the snapshot pg_dump shares, so that the counts in the
// manifest describe exactly the rows in the dump.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Config } from '../config.ts';
import { databaseTargetFromConfig, openDatabase } from './database.ts';
import { type DialectName, dialectOf } from './dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: any database, including a snapshot not yet migrated
type AnyDb = Kysely<any>;

async function tableNames(db: AnyDb): Promise<string[]> {
  const rows =
    dialectOf(db) === 'postgres'
      ? (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
        ).rows
      : (
          await sql<{ name: string }>`select name from sqlite_master
            where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`.execute(db)
        ).rows;
  return rows.map((r) => r.name);
}

/** Every table of the application and its number of rows, by table name. */
export async function tableCounts(db: AnyDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db)) {
    const row = (await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0];
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The migrations applied to this database, oldest first (none when it was never migrated). */
export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  if (!(await tableNames(db)).includes('kysely_migration')) return [];
  const rows = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows;
  return rows.map((r) => r.name);
}

/** The schema a PostgreSQL connection creates tables in: its search_path's first, even if not created yet. */
export async function currentSchema(db: AnyDb): Promise<string> {
  const row = (
    await sql<{ current: string | null; path: string }>`select current_schema() as current, current_setting('search_path') as path`.execute(
      db,
    )
  ).rows[0];
  if (row?.current) return row.current;
  const first = (row?.path ?? 'public').split(',')[0]?.trim() ?? 'public';
  return first.replace(/^"(.*)"$/, '$1');
}

/**
 * Runs `work` inside a REPEATABLE READ transaction whose snapshot is exported: `work` hands its id
 * to `pg_dump --snapshot`, and the counts are read in the same snapshot, so both see the same rows
 * however many writes commit meanwhile. The transaction stays open until `work` is done.
 */
export async function withExportedSnapshot<T>(
  db: AnyDb,
  work: (snapshot: { id: string; counts: Record<string, number>; migrations: string[]; schema: string }) => Promise<T>,
): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const id = (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx)).rows[0]?.id as string;
      const counts = await tableCounts(trx);
      const migrations = await appliedMigrations(trx);
      const schema = await currentSchema(trx);
      return work({ id, counts, migrations, schema });
    });
}

const PARTS: Record<DialectName, string> = { sqlite: 'cunzhi.db', postgres: 'database.pgdump' };

export type DatabaseSnapshot = {
  dialect: DialectName;
  /** The file of the backup folder that holds the database. */
  part: string;
  counts: Record<string, number>;
  migrations: string[];
  /** PostgreSQL: the schema the dump was taken from. */
  schema?: string;
};

/** The dialect the configuration points at. */
export function configuredDialect(config: Config): DialectName {
  return config.databaseUrl ? 'postgres' : 'sqlite';
}

/** Why a backup of `backupDialect` cannot be restored where the configuration points, if it cannot. */
export function dialectRefusal(config: Config, backupDialect: DialectName): string | undefined {
  const dialect = configuredDialect(config);
  if (backupDialect === dialect) return undefined;
  return `this is a ${backupDialect} backup; the configuration points at ${dialect} (DATABASE_URL)`;
}

/** The configured database copied into `targetDir`, with what the manifest records of it. */
export async function snapshotDatabase(config: Config, targetDir: string): Promise<DatabaseSnapshot> {
  const dialect = configuredDialect(config);
  const part = PARTS[dialect];
  if (dialect === 'postgres')
    return { dialect, part, ...(await snapshotPostgres(config.databaseUrl as string, path.join(targetDir, part))) };
  const source = databaseTargetFromConfig(config).sqliteFile as string;
  return { dialect, part, ...(await snapshotSqlite(source, path.join(targetDir, part))) };
}

/** Why the configured database cannot take a restore, if it cannot: a PostgreSQL schema that already has tables. */
export async function restoreTargetRefusal(config: Config): Promise<string | undefined> {
  if (configuredDialect(config) !== 'postgres') return undefined;
  const database = openDatabase({ url: config.databaseUrl as string });
  try {
    const schema = await currentSchema(database.db);
    if (Object.keys(await tableCounts(database.db)).length > 0)
      return `schema ${schema} already has tables: restore only into an empty schema`;
    return undefined;
  } finally {
    await database.close();
  }
}

/** The backup's database put where the configuration points (an empty DATA_DIR, or an empty schema). */
export async function restoreDatabase(config: Config, sourceDir: string, backupSchema: string | undefined): Promise<void> {
  if (configuredDialect(config) === 'postgres') {
    await restorePostgres(config.databaseUrl as string, sourceDir, backupSchema);
    return;
  }
  // Copied, not opened first: opening would make an empty database (and its -wal) to copy over.
  await fs.mkdir(config.dataDir, { recursive: true });
  await fs.copyFile(path.join(sourceDir, PARTS.sqlite), path.join(config.dataDir, PARTS.sqlite));
}

// ---------------------------------------------------------------- per dialect

/** The live SQLite file copied page by page through SQLite's online backup API; the server keeps writing. */
async function snapshotSqlite(source: string, target: string): Promise<{ counts: Record<string, number>; migrations: string[] }> {
  const live = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    // After a first step, copy everything left in one step: a step holds one read transaction, so
    // a write by the server between small steps would restart the copy, and under steady load
    // it might never finish.
    await live.backup(target, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } finally {
    live.close();
  }
  const copy = new BetterSqlite3(target);
  try {
    // One self-contained file: no -wal beside it to lose when the folder is copied.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the database snapshot failed its integrity check: ${String(check)}`);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: copy }) });
    return { counts: await tableCounts(db), migrations: await appliedMigrations(db) };
  } finally {
    copy.close();
  }
}

async function snapshotPostgres(
  url: string,
  target: string,
): Promise<{ counts: Record<string, number>; migrations: string[]; schema: string }> {
  const database = openDatabase({ url });
  try {
    return await withExportedSnapshot(database.db, async (snapshot) => {
      const { dbname, env } = libpqTarget(url);
      await run(
        'pg_dump',
        [
          '--format=custom',
          '--no-owner',
          '--no-privileges',
          `--schema=${snapshot.schema}`,
          `--snapshot=${snapshot.id}`,
          `--file=${target}`,
          dbname,
        ],
        { env },
      );
      return snapshot;
    });
  } finally {
    await database.close();
  }
}

async function restorePostgres(url: string, source: string, backupSchema: string | undefined): Promise<void> {
  const database = openDatabase({ url });
  try {
    const schema = await currentSchema(database.db);
    const { stdout } = await run('pg_restore', ['--no-owner', '--no-privileges', '--file=-', path.join(source, PARTS.postgres)]);
    const script = renameSchemaInScript(stdout, backupSchema ?? schema, schema);
    const { dbname, env } = libpqTarget(url);
    // One transaction: a restore that fails leaves the schema as empty as it found it.
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', '-', dbname], {
      env,
      input: (async function* () {
        yield script;
      })(),
    });
  } finally {
    await database.close();
  }
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/**
 * pg_restore has no way to restore into a schema of another name, so its SQL script is rewritten
 * on the way to psql: the schema's name is replaced outside the COPY data (the rows are never
 * touched), and its creation tolerates an empty schema made beforehand.
 */
export function renameSchemaInScript(script: string, from: string, to: string): string {
  if (from === to)
    return script.replace(
      new RegExp(`^CREATE SCHEMA ${escapeRegExp(quoteIdent(from))};$`, 'm'),
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(to)};`,
    );
  const forms = [`"${from.replace(/"/g, '""')}"`, ...(/^[a-z_][a-z0-9_]*$/.test(from) ? [from] : [])].map(escapeRegExp);
  const qualified = new RegExp(`(^|[^\\w"$])(?:${forms.join('|')})(?=\\.)`, 'g');
  const out: string[] = [];
  let inData = false;
  for (const line of script.split('\n')) {
    if (inData) {
      if (line === '\\.') inData = false;
      out.push(line);
      continue;
    }
    if (/^COPY .* FROM stdin;$/.test(line)) inData = true;
    if (new RegExp(`^CREATE SCHEMA (?:${forms.join('|')});$`).test(line)) {
      out.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(to)};`);
      continue;
    }
    out.push(line.replace(qualified, (_m, before: string) => `${before}${quoteIdent(to)}`));
  }
  return out.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: AsyncIterable<string> } = {}) {
  return new Promise<{ stdout: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve({ stdout }) : reject(new Error(`${command} failed (${code}): ${stderr.trim()}`))));
    if (options.input) {
      void (async () => {
        for await (const piece of options.input as AsyncIterable<string>) {
          if (!child.stdin.write(piece)) await new Promise((r) => child.stdin.once('drain', r));
        }
        child.stdin.end();
      })().catch(reject);
    } else child.stdin.end();
  });
}

/** libpq takes the password from the environment, so it never shows in the process list. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  // libpq reads %20 as a space but not the '+' of form encoding (which URLSearchParams writes).
  const query = [...parsed.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  parsed.search = query;
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}
