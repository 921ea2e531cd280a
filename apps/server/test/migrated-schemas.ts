// Migrated PostgreSQL schemas for the test files, reused within a process. Migrating a schema runs
// every migration (over a second on an idle machine, several on a loaded one), and each test file
// needs one per app it builds. The files of a vitest worker run one after another in one process
// (isolate: false), so when a file is done its schema is emptied back to what the migrations left
// and handed to the next file of the process instead of being dropped and made again.
//
// A schema is reused only if its structure is still what the migrations made (a fingerprint of its
// tables, columns, indexes, constraints, triggers with their enabled state, and functions): a test
// that changed it leaves it to be dropped. Spare schemas are named after the process; whoever next
// takes one drops those of processes that no longer run (a worker ends without a word).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

type Migrated = { name: string; fingerprint: string; reset: string };

const spare: Migrated[] = [];
let swept = false;

async function onServer<T extends pg.QueryResultRow>(url: string, statements: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, options: '-c synchronous_commit=off' });
  await client.connect();
  try {
    return (await client.query<T>(statements, values)).rows;
  } finally {
    await client.end();
  }
}

const FINGERPRINT = `
  select md5(coalesce(string_agg(part, ',' order by part), '')) as print from (
    select 'r:' || c.relname || ':' || c.relkind::text as part from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1
    union all select 'c:' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '')
      from information_schema.columns where table_schema = $1
    union all select 'i:' || indexname || ':' || indexdef from pg_indexes where schemaname = $1
    union all select 'k:' || c.conname || ':' || pg_get_constraintdef(c.oid) from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = $1
    union all select 't:' || t.tgname || ':' || t.tgenabled::text || ':' || pg_get_triggerdef(t.oid) from pg_trigger t
      join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1
    union all select 'f:' || p.proname || ':' || md5(p.prosrc) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1
  ) parts`;

async function fingerprint(url: string, schema: string): Promise<string> {
  return (await onServer<{ print: string }>(url, FINGERPRINT, [schema]))[0]?.print ?? '';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops the spare schemas (and their empty copies) of processes that have ended. */
async function sweep(url: string): Promise<void> {
  const names = await onServer<{ name: string }>(url, `select nspname as name from pg_namespace where nspname like 'spare\\_%'`);
  for (const { name } of names) {
    const pid = Number(/^spare_(\d+)_/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    await onServer(url, `drop schema if exists ${name} cascade`).catch(() => undefined);
  }
}

async function migrateNew(url: string): Promise<Migrated> {
  const name = `spare_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(url, `create schema ${name}; create schema ${name}_empty`);
  const database = openDatabase({ url, searchPath: name, settings: { synchronous_commit: 'off' } });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  // What the migrations wrote (their own bookkeeping, any rows they seed) is kept beside the schema.
  const tables = (
    await onServer<{ name: string }>(
      url,
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
      [name],
    )
  ).map((t) => t.name);
  await onServer(url, tables.map((table) => `create table ${name}_empty.${table} as select * from ${name}.${table}`).join(';\n'));
  const reset = [
    'begin',
    'set local session_replication_role = replica',
    ...tables.map((table) => `delete from ${name}.${table}`),
    ...tables.map((table) => `insert into ${name}.${table} select * from ${name}_empty.${table}`),
    'commit',
  ].join(';\n');
  return { name, fingerprint: await fingerprint(url, name), reset };
}

/**
 * A migrated, empty schema of the test database for one user at a time; `release` hands it back
 * (emptied) for the next file of this process, or drops it when a test changed its structure.
 */
export async function takeMigratedSchema(url: string): Promise<{ schema: string; release(): Promise<void> }> {
  if (!swept) {
    swept = true;
    await sweep(url);
  }
  const schema = spare.pop() ?? (await migrateNew(url));
  return {
    schema: schema.name,
    release: async () => {
      if ((await fingerprint(url, schema.name)) !== schema.fingerprint) {
        await onServer(url, `drop schema ${schema.name} cascade; drop schema ${schema.name}_empty cascade`);
        return;
      }
      await onServer(url, schema.reset);
      spare.push(schema);
    },
  };
}
