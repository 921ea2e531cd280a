// What a backup and a restore ask of the database itself: the tables and their row counts, the
// migrations applied, and on PostgreSQL a snapshot that pg_dump shares, so that the counts in the
// manifest describe exactly the rows in the dump.
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../db/dialect.ts';

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
