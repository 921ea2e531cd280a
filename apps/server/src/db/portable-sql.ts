// SQL that the two dialects spell differently, so that modules write one query for both and never
// ask which database is underneath (db/dialect.ts answers that, here and nowhere in modules/).
import { type InsertQueryBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { dialectOf } from './dialect.ts';

/**
 * The rows the query reads stay locked until the transaction ends (PostgreSQL `for update`).
 * SQLite has one writer connection: a transaction on it already excludes every other writer.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function lockedForUpdate<DB, TB extends keyof DB, O>(db: Kysely<any>, query: SelectQueryBuilder<DB, TB, O>) {
  return dialectOf(db) === 'postgres' ? query.forUpdate() : query;
}

/**
 * The read waits for open transactions that change these rows (PostgreSQL `for share`). On SQLite
 * a statement on the writer connection runs only after the transaction holding it has ended.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function lockedForShare<DB, TB extends keyof DB, O>(db: Kysely<any>, query: SelectQueryBuilder<DB, TB, O>) {
  return dialectOf(db) === 'postgres' ? query.forShare() : query;
}

/**
 * An insert that skips the rows that would break a uniqueness (a repeat): PostgreSQL `on conflict do
 * nothing`, SQLite `insert or ignore`. SQLite's upsert form would keep a statement journal for a
 * multi-row insert (it may abort half way), which past 64 KB spills to a temporary file: a fifth of
 * the CPU of a 100-row insert of readings. `or ignore` also skips a row with a NULL where none is
 * allowed, so give it complete rows; the count of rows stored tells what was skipped.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function insertSkippingRepeats<DB, TB extends keyof DB, O>(db: Kysely<any>, query: InsertQueryBuilder<DB, TB, O>) {
  return dialectOf(db) === 'sqlite' ? query.orIgnore() : query.onConflict((oc) => oc.doNothing());
}

/** The month of an epoch-millisecond expression as year * 12 + month - 1, read in UTC (shift first for local time). */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function monthIndexOf(db: Kysely<any>, epochMs: RawBuilder<unknown>): RawBuilder<number> {
  return dialectOf(db) === 'sqlite'
    ? sql<number>`(cast(strftime('%Y', ${epochMs} / 1000, 'unixepoch') as integer) * 12 + cast(strftime('%m', ${epochMs} / 1000, 'unixepoch') as integer) - 1)`
    : sql<number>`(extract(year from to_timestamp(${epochMs} / 1000.0) at time zone 'UTC')::integer * 12 + extract(month from to_timestamp(${epochMs} / 1000.0) at time zone 'UTC')::integer - 1)`;
}
