// The wall screen's "common prosperity" figures: counts grouped by the place below the one asked
// for, so a county's figures and each township's come from one pass over each table.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type PlaceColumn = 'county_id' | 'township_id' | 'village_id' | 'region_id';

export type StatusCount = {
  place: string | null;
  status: string;
  category: string | null;
  n: number;
  newSince: number;
  removedSince: number;
};

export async function monitoredCounts(
  db: Kysely<DB>,
  column: PlaceColumn,
  regionId: string,
  groupBy: PlaceColumn,
  monthStart: number,
  yearStart: number,
): Promise<StatusCount[]> {
  const rows = await db
    .selectFrom('poverty_monitored')
    .select([
      sql<string | null>`${sql.ref(groupBy)}`.as('place'),
      'status',
      'category',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when flagged_at >= ${monthStart} then 1 else 0 end)`.as('new_since'),
      sql<number>`sum(case when removed_at >= ${yearStart} then 1 else 0 end)`.as('removed_since'),
    ])
    .where(column, '=', regionId)
    .groupBy([sql.ref(groupBy), 'status', 'category'])
    .execute();
  return rows.map((r) => ({
    place: r.place,
    status: r.status,
    category: r.category,
    n: Number(r.n),
    newSince: Number(r.new_since ?? 0),
    removedSince: Number(r.removed_since ?? 0),
  }));
}

export async function measureCounts(
  db: Kysely<DB>,
  column: PlaceColumn,
  regionId: string,
  groupBy: PlaceColumn,
): Promise<{ place: string | null; kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('poverty_measures')
    .select([sql<string | null>`${sql.ref(groupBy)}`.as('place'), 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where(column, '=', regionId)
    .groupBy([sql.ref(groupBy), 'kind'])
    .execute();
  return rows.map((r) => ({ place: r.place, kind: r.kind, n: Number(r.n) }));
}

/** Per-capita income readings since a time, of the households monitored (or being removed) in the place. */
export async function incomeReadings(
  db: Kysely<DB>,
  column: PlaceColumn,
  regionId: string,
  since: number,
): Promise<{ householdId: string; perCapitaLast12: number; recordedAt: number }[]> {
  const rows = await db
    .selectFrom('poverty_economics as e')
    .innerJoin('poverty_monitored as m', 'm.household_id', 'e.household_id')
    .select(['e.household_id', 'e.per_capita_last12', 'e.recorded_at'])
    .where(`m.${column}`, '=', regionId)
    .where('m.status', 'in', ['monitored', 'removing', 'removed'])
    .where('e.recorded_at', '>=', since)
    .limit(50_000)
    .execute();
  return rows.map((r) => ({ householdId: r.household_id, perCapitaLast12: r.per_capita_last12, recordedAt: Number(r.recorded_at) }));
}
