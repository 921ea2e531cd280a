// Aggregates for the wall screen's "industrial prosperity" section: counts and sums over agri's
// own tables inside one region's scope, grouped by a column one level down where asked. No row
// leaves this file with a household on it.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';

export type ChildColumn = 'township_id' | 'village_id' | 'region_id';

export async function plotsByCrop(db: Kysely<DB>, scope: Scope) {
  const rows = await db
    .selectFrom('agri_plots as p')
    .select((eb) => [
      'p.crop',
      eb.fn.countAll<number>().as('plots'),
      sql<number>`count(distinct p.household_id)`.as('households'),
      eb.fn.sum<number>('p.area_mu').as('area'),
    ])
    .where('p.retired_at', 'is', null)
    .where(inScope(scope, { table: 'p' }))
    .groupBy('p.crop')
    .execute();
  return rows.map((r) => ({ crop: r.crop, plots: Number(r.plots), households: Number(r.households), areaMu: Number(r.area ?? 0) }));
}

export async function flocksBySpecies(db: Kysely<DB>, scope: Scope) {
  const rows = await db
    .selectFrom('agri_flocks as f')
    .select((eb) => [
      'f.species',
      eb.fn.countAll<number>().as('flocks'),
      sql<number>`count(distinct f.household_id)`.as('households'),
      eb.fn.sum<number>('f.head_count').as('heads'),
    ])
    .where('f.retired_at', 'is', null)
    .where(inScope(scope, { table: 'f' }))
    .groupBy('f.species')
    .execute();
  return rows.map((r) => ({ species: r.species, flocks: Number(r.flocks), households: Number(r.households), heads: Number(r.heads ?? 0) }));
}

/** Households with a plot or flock in use, each once, with the place one level down. */
export async function farmHouseholds(
  db: Kysely<DB>,
  scope: Scope,
  child: ChildColumn,
): Promise<{ householdId: string; child: string | null }[]> {
  const plots = db
    .selectFrom('agri_plots as p')
    .select(['p.household_id', sql<string | null>`${sql.ref(`p.${child}`)}`.as('child')])
    .where('p.retired_at', 'is', null)
    .where(inScope(scope, { table: 'p' }));
  const flocks = db
    .selectFrom('agri_flocks as f')
    .select(['f.household_id', sql<string | null>`${sql.ref(`f.${child}`)}`.as('child')])
    .where('f.retired_at', 'is', null)
    .where(inScope(scope, { table: 'f' }));
  const rows = await plots.union(flocks).execute();
  const seen = new Map<string, string | null>();
  for (const r of rows) seen.set(r.household_id, r.child);
  return [...seen].map(([householdId, c]) => ({ householdId, child: c }));
}

/** Area and heads in use per place one level down. */
export async function sizeByChild(db: Kysely<DB>, scope: Scope, child: ChildColumn) {
  const area = await db
    .selectFrom('agri_plots as p')
    .select([sql<string | null>`${sql.ref(`p.${child}`)}`.as('child'), sql<number>`sum(p.area_mu)`.as('value')])
    .where('p.retired_at', 'is', null)
    .where(inScope(scope, { table: 'p' }))
    .groupBy(sql.ref(`p.${child}`))
    .execute();
  const heads = await db
    .selectFrom('agri_flocks as f')
    .select([sql<string | null>`${sql.ref(`f.${child}`)}`.as('child'), sql<number>`sum(f.head_count)`.as('value')])
    .where('f.retired_at', 'is', null)
    .where(inScope(scope, { table: 'f' }))
    .groupBy(sql.ref(`f.${child}`))
    .execute();
  return {
    area: new Map(area.map((r) => [r.child, Number(r.value ?? 0)])),
    heads: new Map(heads.map((r) => [r.child, Number(r.value ?? 0)])),
  };
}

/** Deliveries made in [from, to): the rule, household, notice and the place one level down. */
export async function deliveriesBetween(db: Kysely<DB>, scope: Scope, child: ChildColumn, from: number, to: number) {
  const rows = await db
    .selectFrom('agri_advice_deliveries as d')
    .select(['d.rule_id', 'd.household_id', 'd.notice_id', sql<string | null>`${sql.ref(`d.${child}`)}`.as('child')])
    .where('d.delivered_at', '>=', from)
    .where('d.delivered_at', '<', to)
    .where(inScope(scope, { table: 'd' }))
    .limit(200_000)
    .execute();
  return rows.map((r) => ({ ruleId: r.rule_id, householdId: r.household_id, noticeId: r.notice_id, child: r.child }));
}

/** Questions asked in [from, to), and those open now. */
export async function questionsBetween(db: Kysely<DB>, scope: Scope, child: ChildColumn, from: number, to: number) {
  const rows = await db
    .selectFrom('agri_questions as q')
    .select(['q.state', 'q.asked_at', 'q.due_at', 'q.answered_at', sql<string | null>`${sql.ref(`q.${child}`)}`.as('child')])
    .where(inScope(scope, { table: 'q' }))
    .where((eb) => eb.or([eb.and([eb('q.asked_at', '>=', from), eb('q.asked_at', '<', to)]), eb('q.state', '=', 'open')]))
    .limit(200_000)
    .execute();
  return rows.map((r) => ({
    state: r.state,
    askedAt: Number(r.asked_at),
    dueAt: Number(r.due_at),
    answeredAt: r.answered_at === null ? null : Number(r.answered_at),
    child: r.child,
  }));
}

/** Yields, sales and deaths observed in a year (dates YYYY-MM-DD). */
export async function harvestOfYear(db: Kysely<DB>, scope: Scope, child: ChildColumn, year: number) {
  const rows = await db
    .selectFrom('agri_observations as o')
    .select([
      'o.kind',
      'o.observed_on',
      'o.quantity_kg',
      'o.price_yuan_per_kg',
      'o.deaths',
      sql<string | null>`${sql.ref(`o.${child}`)}`.as('child'),
    ])
    .where('o.kind', 'in', ['yield', 'sale', 'death'])
    .where('o.observed_on', '>=', `${year}-01-01`)
    .where('o.observed_on', '<=', `${year}-12-31`)
    .where(inScope(scope, { table: 'o' }))
    .limit(200_000)
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    month: Number(r.observed_on.slice(5, 7)),
    quantityKg: r.quantity_kg === null ? 0 : Number(r.quantity_kg),
    price: r.price_yuan_per_kg === null ? 0 : Number(r.price_yuan_per_kg),
    deaths: r.deaths === null ? 0 : Number(r.deaths),
    child: r.child,
  }));
}
