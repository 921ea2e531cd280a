// Hourly and daily roll-ups of readings, the mark of how far they have got, and the deletion of
// raw readings once rolled up.
import { type Kysely, sql } from 'kysely';
import type { CareReadingRollupTable, DB } from '../../db/schema.ts';

/** A roll-up row as it is written: one elder, kind, period and start. */
export type Bucket = CareReadingRollupTable;

export type ArrivedReading = {
  id: string;
  elderPersonId: string;
  kind: string;
  value1: number | null;
  value2: number | null;
  at: number;
  receivedAt: number;
};

/** The id of the last reading rolled up. */
export async function rollupMark(db: Kysely<DB>): Promise<string> {
  const mark = await db.selectFrom('care_rollup_marks').select('last_id').where('name', '=', 'readings').executeTakeFirstOrThrow();
  return mark.last_id;
}

export async function setRollupMark(db: Kysely<DB>, lastId: string): Promise<void> {
  await db.updateTable('care_rollup_marks').set({ last_id: lastId }).where('name', '=', 'readings').execute();
}

/** Readings after an id, in id (arrival) order. */
export async function readingsAfter(db: Kysely<DB>, afterId: string, limit: number): Promise<ArrivedReading[]> {
  const rows = await db
    .selectFrom('care_readings')
    .select(['id', 'elder_person_id', 'kind', 'value1', 'value2', 'at', 'received_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    elderPersonId: r.elder_person_id,
    kind: r.kind,
    value1: r.value1,
    value2: r.value2,
    at: r.at,
    receivedAt: Number(r.received_at),
  }));
}

/** Adds buckets to the roll-ups: counts and sums add up, extremes widen. */
export async function addToRollups(db: Kysely<DB>, rows: Bucket[]): Promise<void> {
  const t = 'care_reading_rollups';
  const least = (c: string) =>
    sql<number>`case when ${sql.ref(`${t}.${c}`)} is null or excluded.${sql.ref(c)} < ${sql.ref(`${t}.${c}`)} then excluded.${sql.ref(c)} else ${sql.ref(`${t}.${c}`)} end`;
  const greatest = (c: string) =>
    sql<number>`case when ${sql.ref(`${t}.${c}`)} is null or excluded.${sql.ref(c)} > ${sql.ref(`${t}.${c}`)} then excluded.${sql.ref(c)} else ${sql.ref(`${t}.${c}`)} end`;
  const sum = (c: string) =>
    sql<number>`case when excluded.${sql.ref(c)} is null then ${sql.ref(`${t}.${c}`)} else coalesce(${sql.ref(`${t}.${c}`)}, 0) + excluded.${sql.ref(c)} end`;
  for (let i = 0; i < rows.length; i += 500) {
    await db
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
}

/** The oldest readings already rolled up (id up to the mark), in id order. */
export async function oldestRolledUp(db: Kysely<DB>, limit: number): Promise<{ id: string; receivedAt: number }[]> {
  const mark = await rollupMark(db);
  const rows = await db
    .selectFrom('care_readings')
    .select(['id', 'received_at'])
    .where('id', '<=', mark)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, receivedAt: Number(r.received_at) }));
}

export async function deleteReadingsBetween(db: Kysely<DB>, firstId: string, lastId: string): Promise<void> {
  await db.deleteFrom('care_readings').where('id', '>=', firstId).where('id', '<=', lastId).execute();
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

/** An elder's roll-ups of one period since a moment, oldest first, at most 5,000. */
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
