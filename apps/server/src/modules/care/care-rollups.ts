// The long view of an elder's health: readings are rolled up per hour and per (Shanghai) day into
// additive aggregates (count, sums, extremes), in arrival order and each reading once, so a late
// reading simply adds to its hour. Raw readings older than the retention window are deleted once
// rolled up; the roll-ups stay.
import { type Kysely, sql } from 'kysely';
import type { CareReadingRollupTable, DB } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { localDay, localDayStart } from '../../platform/time.ts';

const HOUR = 3_600_000;
const CHUNK = 5000;

/** A roll-up row as it is written: one elder, kind, period and start. */
type Bucket = CareReadingRollupTable;

const add = (sum: number | null, v: number | null) => (v === null ? sum : (sum ?? 0) + v);
const low = (m: number | null, v: number | null) => (v === null ? m : m === null || v < m ? v : m);
const high = (m: number | null, v: number | null) => (v === null ? m : m === null || v > m ? v : m);

/**
 * Readings younger than this are left for the next run: on PostgreSQL a transaction that took its
 * ids earlier may commit later, and a reading passed by the mark would never be rolled up.
 */
const SETTLE_MS = 60_000;

/** Adds one chunk of readings to the roll-ups; returns how many readings it took. */
async function rollUpChunk(db: Kysely<DB>, now: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const mark = await trx.selectFrom('care_rollup_marks').select('last_id').where('name', '=', 'readings').executeTakeFirstOrThrow();
    const next = await trx
      .selectFrom('care_readings')
      .select(['id', 'elder_person_id', 'kind', 'value1', 'value2', 'at', 'received_at'])
      .where('id', '>', mark.last_id)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    const readings = settledPrefix(next, now - SETTLE_MS);
    if (readings.length === 0) return 0;
    const buckets = new Map<string, Bucket>();
    for (const r of readings) {
      const starts = [
        ['hour', Math.floor(r.at / HOUR) * HOUR],
        ['day', localDayStart(localDay(r.at))],
      ] as const;
      for (const [period, start] of starts) {
        const key = `${r.elder_person_id}|${r.kind}|${period}|${start}`;
        let b = buckets.get(key);
        if (!b) {
          b = {
            elder_person_id: r.elder_person_id,
            kind: r.kind,
            period,
            start,
            n: 0,
            sum1: null,
            min1: null,
            max1: null,
            sum2: null,
            min2: null,
            max2: null,
          };
          buckets.set(key, b);
        }
        b.n++;
        b.sum1 = add(b.sum1, r.value1);
        b.min1 = low(b.min1, r.value1);
        b.max1 = high(b.max1, r.value1);
        b.sum2 = add(b.sum2, r.value2);
        b.min2 = low(b.min2, r.value2);
        b.max2 = high(b.max2, r.value2);
      }
    }
    const rows = [...buckets.values()];
    const t = 'care_reading_rollups';
    const least = (c: string) =>
      sql<number>`case when ${sql.ref(`${t}.${c}`)} is null or excluded.${sql.ref(c)} < ${sql.ref(`${t}.${c}`)} then excluded.${sql.ref(c)} else ${sql.ref(`${t}.${c}`)} end`;
    const greatest = (c: string) =>
      sql<number>`case when ${sql.ref(`${t}.${c}`)} is null or excluded.${sql.ref(c)} > ${sql.ref(`${t}.${c}`)} then excluded.${sql.ref(c)} else ${sql.ref(`${t}.${c}`)} end`;
    const sum = (c: string) =>
      sql<number>`case when excluded.${sql.ref(c)} is null then ${sql.ref(`${t}.${c}`)} else coalesce(${sql.ref(`${t}.${c}`)}, 0) + excluded.${sql.ref(c)} end`;
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('care_reading_rollups')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['elder_person_id', 'kind', 'period', 'start']).doUpdateSet({
            n: sql<number>`${sql.ref(`${t}.n`)} + excluded.n`,
            sum1: sum('sum1'),
            min1: least('min1'),
            max1: greatest('max1'),
            sum2: sum('sum2'),
            min2: least('min2'),
            max2: greatest('max2'),
          }),
        )
        .execute();
    }
    await trx
      .updateTable('care_rollup_marks')
      .set({ last_id: (readings[readings.length - 1] as { id: string }).id })
      .where('name', '=', 'readings')
      .execute();
    return readings.length;
  });
}

/** The leading rows (in id order) received before `before`: the mark never passes a row still settling. */
function settledPrefix<T extends { received_at: number }>(rows: T[], before: number): T[] {
  const cut = rows.findIndex((r) => Number(r.received_at) >= before);
  return cut === -1 ? rows : rows.slice(0, cut);
}

/** Rolls up every reading that arrived since the last run. */
export async function rollUpReadings(deps: Deps): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await rollUpChunk(deps.db, deps.now());
    total += taken;
    if (taken === 0) return total;
  }
}

/**
 * Deletes raw readings received before the retention window that are already rolled up, oldest
 * first, a chunk at a time; each run reads no further than the first reading it must keep.
 */
export async function deleteOldReadings(deps: Deps): Promise<number> {
  const cutoff = deps.now() - deps.config.readingsRetentionDays * 24 * HOUR;
  let total = 0;
  for (;;) {
    const mark = await deps.db.selectFrom('care_rollup_marks').select('last_id').where('name', '=', 'readings').executeTakeFirstOrThrow();
    const oldest = await deps.db
      .selectFrom('care_readings')
      .select(['id', 'received_at'])
      .where('id', '<=', mark.last_id)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    const expired = settledPrefix(oldest, cutoff);
    if (expired.length === 0) return total;
    await deps.db
      .deleteFrom('care_readings')
      .where('id', '>=', (expired[0] as { id: string }).id)
      .where('id', '<=', (expired[expired.length - 1] as { id: string }).id)
      .execute();
    total += expired.length;
  }
}

export type Trend = {
  kind: string;
  start: number;
  count: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  avg2: number | null;
  min2: number | null;
  max2: number | null;
};

/** An elder's roll-ups of one period since a moment, oldest first. */
export async function listTrends(
  db: Kysely<DB>,
  personId: string,
  period: 'hour' | 'day',
  since: number,
  kinds?: string[],
): Promise<Trend[]> {
  let query = db
    .selectFrom('care_reading_rollups')
    .selectAll()
    .where('elder_person_id', '=', personId)
    .where('period', '=', period)
    .where('start', '>=', since);
  if (kinds) query = query.where('kind', 'in', kinds);
  const rows = await query.orderBy('start').limit(5000).execute();
  const avg = (s: number | null, n: number) => (s === null ? null : Math.round((s / n) * 10) / 10);
  return rows.map((r) => ({
    kind: r.kind,
    start: Number(r.start),
    count: r.n,
    avg: avg(r.sum1, r.n),
    min: r.min1,
    max: r.max1,
    avg2: avg(r.sum2, r.n),
    min2: r.min2,
    max2: r.max2,
  }));
}
