// Readings as they are stored (once each, by device and reading key) and the breaches of rules
// with a duration under way: the ingestion path's tables.
import { CompiledQuery, type Kysely } from 'kysely';
import { compiledPerShape } from '../../db/compiled-once.ts';
import { insertSkippingRepeats } from '../../db/portable-sql.ts';
import type { CareReadingTable, DB } from '../../db/schema.ts';
import type { Cause } from './care-rules.ts';

export type NewReading = {
  id: string;
  deviceId: string;
  readingKey: string;
  elderPersonId: string;
  kind: string;
  value1: number | null;
  value2: number | null;
  at: number;
};

/** A reading as stored: as sent, with when it was received. */
export type StoredReading = NewReading & { receivedAt: number };

const toReading = (r: CareReadingTable): StoredReading => ({
  id: r.id,
  deviceId: r.device_id,
  readingKey: r.reading_key,
  elderPersonId: r.elder_person_id,
  kind: r.kind,
  value1: r.value1,
  value2: r.value2,
  at: r.at,
  receivedAt: r.received_at,
});

const READING_COLUMNS = ['id', 'device_id', 'reading_key', 'elder_person_id', 'kind', 'value1', 'value2', 'at', 'received_at'] as const;

/**
 * The insert statement for n readings, compiled by Kysely once per dialect and row count and
 * reused: building the query tree for 900 values on every batch cost as much as the insert itself.
 */
const insertTexts = new Map<string, string>();
function insertReadingsSql(db: Kysely<DB>, n: number): string {
  const key = `${db.getExecutor().adapter.constructor.name}|${n}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const row = Object.fromEntries(
      READING_COLUMNS.map((c) => [c, c === 'value1' || c === 'value2' || c === 'at' || c === 'received_at' ? 0 : '']),
    ) as never;
    // A repeat (same device and reading key) is skipped; so would be a row with a taken id, which
    // a fresh UUIDv7 never is.
    text = insertSkippingRepeats(db, db.insertInto('care_readings').values(Array.from({ length: n }, () => row))).compile().sql;
    insertTexts.set(key, text);
  }
  return text;
}

/** What an insert of readings stored: how many, and whether a reading (by the id it was given) was new. */
export type Stored = { count: number; isNew(id: string): boolean };

/**
 * Stores many readings, 100 to a statement; a repeat (same device and key) is skipped. The statement
 * counts what it stored: only when that is fewer than it was given (a repeat, which is rare) are the
 * ids that made it read back, rather than every batch returning its rows.
 */
export async function insertReadings(db: Kysely<DB>, readings: NewReading[], now: number): Promise<Stored> {
  let count = 0;
  const repeats = new Set<string>();
  for (let start = 0; start < readings.length; start += 100) {
    const chunk = readings.slice(start, start + 100);
    const parameters: unknown[] = [];
    for (const r of chunk) parameters.push(r.id, r.deviceId, r.readingKey, r.elderPersonId, r.kind, r.value1, r.value2, r.at, now);
    const result = await db.executeQuery(CompiledQuery.raw(insertReadingsSql(db, chunk.length), parameters));
    const stored = Number(result.numAffectedRows ?? 0n);
    count += stored;
    if (stored === chunk.length) continue;
    const ids = chunk.map((r) => r.id);
    const found = new Set((await db.selectFrom('care_readings').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    for (const id of ids) if (!found.has(id)) repeats.add(id);
  }
  return { count, isNew: (id) => repeats.size === 0 || !repeats.has(id) };
}

/** The most readings one list holds. */
export const READINGS_AT_MOST = 5000;

/**
 * An elder's readings in a window (`until` exclusive), oldest first: the newest 5,000 when there are
 * more, so that a device sending often never pushes the latest readings (what a card shows) out.
 */
export async function listReadings(
  db: Kysely<DB>,
  personId: string,
  window: { since: number; until?: number; kinds?: string[] },
): Promise<StoredReading[]> {
  let query = db.selectFrom('care_readings').selectAll().where('elder_person_id', '=', personId).where('at', '>=', window.since);
  if (window.until !== undefined) query = query.where('at', '<', window.until);
  if (window.kinds) query = query.where('kind', 'in', window.kinds);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(READINGS_AT_MOST).execute();
  return rows.reverse().map(toReading);
}

export async function findReading(db: Kysely<DB>, id: string): Promise<StoredReading | undefined> {
  const row = await db.selectFrom('care_readings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toReading(row);
}

/** The id a reading was stored under, by its device and key. */
export async function findReadingId(db: Kysely<DB>, deviceId: string, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('care_readings')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('reading_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

/** When a breach of a rule with a duration began; starts it at `at` if it had not. */
export async function breachSince(db: Kysely<DB>, personId: string, cause: Cause, at: number): Promise<number> {
  await db
    .insertInto('care_breaches')
    .values({ elder_person_id: personId, cause, since: at })
    .onConflict((oc) => oc.columns(['elder_person_id', 'cause']).doNothing())
    .execute();
  const row = await db
    .selectFrom('care_breaches')
    .select('since')
    .where('elder_person_id', '=', personId)
    .where('cause', '=', cause)
    .executeTakeFirstOrThrow();
  return row.since;
}

export async function clearBreach(db: Kysely<DB>, personId: string, cause: Cause): Promise<void> {
  await db.deleteFrom('care_breaches').where('elder_person_id', '=', personId).where('cause', '=', cause).execute();
}

/** Compiled once per number of elders (a batch's elders, 1 to 1,000): every batch asks. */
const selectOpenBreaches = compiledPerShape(
  (count: number) => String(count),
  (db, slot, count) =>
    db
      .selectFrom('care_breaches')
      .select(['elder_person_id', 'cause'])
      .where(
        'elder_person_id',
        'in',
        Array.from({ length: count }, (_, i) => slot<string>(`ids.${i}`)),
      ),
  1000,
);

/** The breaches under way for these elders, as "elder|cause". */
export async function openBreaches(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const { rows } = await selectOpenBreaches(db, personIds.length, { ids: personIds });
  return new Set(rows.map((r) => `${r.elder_person_id}|${r.cause}`));
}
