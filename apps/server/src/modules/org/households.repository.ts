import { type Kysely, type SqlBool, sql } from 'kysely';
import { compiledOnce, compiledPerShape } from '../../db/compiled-once.ts';
import { keysetPage } from '../../db/keyset.ts';
import { containsPattern, matchesPattern, startsWithPattern, startsWithText } from '../../db/like.ts';
import { highestAfterPrefix, takeNextNumber } from '../../db/number-counters.ts';
import { type PlacedColumns, placedColumns, placementOf } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope, placementColumn, scopeShape, slottedScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { RegionRecord } from './regions.repository.ts';

export type HouseholdRecord = {
  id: string;
  number: string;
  headName: string;
  address: string | null;
  phone: string | null;
  regionName: string;
  memberCount: number;
  placement: Placement;
  createdAt: number;
  updatedAt: number;
};

export type HouseholdFilter = {
  scope: Scope;
  region?: RegionRecord;
  q?: string;
  after?: string;
  limit: number;
};

/**
 * A household as a page lists it: only its region's id, since its village, township and county are
 * its region's (they are kept on the row for filtering) and the caller has org's kept regions.
 */
export type ListedHousehold = Omit<HouseholdRecord, 'regionName' | 'placement'> & { regionId: string };

const HOUSEHOLD_COLUMNS = [
  'h.id',
  'h.number',
  'h.head_name',
  'h.address',
  'h.phone',
  'h.region_id',
  'h.created_at',
  'h.updated_at',
] as const;

function selectListedHouseholds(db: Kysely<DB>) {
  return db
    .selectFrom('households as h')
    .select(HOUSEHOLD_COLUMNS)
    .select((eb) =>
      eb.selectFrom('people as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.household_id', '=', 'h.id').as('member_count'),
    );
}

function selectHouseholds(db: Kysely<DB>) {
  return selectListedHouseholds(db)
    .innerJoin('regions as r', 'r.id', 'h.region_id')
    .select(['h.village_id', 'h.township_id', 'h.county_id', 'r.name as region_name']);
}

type ListedRow = Awaited<ReturnType<ReturnType<typeof selectListedHouseholds>['executeTakeFirstOrThrow']>>;
type Row = Awaited<ReturnType<ReturnType<typeof selectHouseholds>['executeTakeFirstOrThrow']>>;

const toListedHousehold = (row: ListedRow): ListedHousehold => ({
  id: row.id,
  number: row.number,
  headName: row.head_name,
  address: row.address,
  phone: row.phone,
  regionId: row.region_id,
  memberCount: Number(row.member_count ?? 0),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toHousehold = (row: Row): HouseholdRecord => ({
  id: row.id,
  number: row.number,
  headName: row.head_name,
  address: row.address,
  phone: row.phone,
  regionName: row.region_name,
  memberCount: Number(row.member_count ?? 0),
  placement: placementOf(row, row.id),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

type PageShape = { scope: string; regionColumn?: ReturnType<typeof placementColumn>; q: boolean; after: boolean; limit: number };

// The hot path of every household page, compiled once per shape: building the query on every
// request cost more than running it (npm run bench: households.list.uncached_rps).
const householdPage = compiledPerShape<PageShape, ListedRow>(
  (shape) => `${shape.scope}|${shape.regionColumn ?? ''}|${shape.q}|${shape.after}|${shape.limit}`,
  (db, slot, shape) => {
    let query = selectListedHouseholds(db).where(inScope(slottedScope(shape.scope, slot, 'scope'), { table: 'h', householdColumn: 'id' }));
    if (shape.regionColumn) query = query.where(sql<SqlBool>`${sql.ref(`h.${shape.regionColumn}`)} = ${slot('regionId')}`);
    if (shape.q) {
      query = query.where(
        sql<SqlBool>`(${matchesPattern('h.head_name', slot('contains'))} or ${matchesPattern('h.number', slot('startsWith'))} or h.phone = ${slot('q')})`,
      );
    }
    return keysetPage(query, [['h.number', 'asc']], shape.after ? [slot<string>('after')] : undefined, shape.limit);
  },
);

export async function listHouseholds(db: Kysely<DB>, filter: HouseholdFilter): Promise<ListedHousehold[]> {
  const { scope, region, q, after, limit } = filter;
  const shape: PageShape = {
    scope: scopeShape(scope),
    regionColumn: region && placementColumn(region),
    q: !!q,
    after: after !== undefined,
    limit,
  };
  const values = { scope, regionId: region?.id, q, contains: q && containsPattern(q), startsWith: q && startsWithPattern(q), after };
  const { rows } = await householdPage(db, shape, values);
  return rows.map(toListedHousehold);
}

export async function findHousehold(db: Kysely<DB>, id: string): Promise<HouseholdRecord | undefined> {
  const row = await selectHouseholds(db).where('h.id', '=', id).executeTakeFirst();
  return row && toHousehold(row);
}

/** The household as just written, with its region's name and member count; for the answer to a write. */
export async function readHousehold(db: Kysely<DB>, id: string): Promise<HouseholdRecord> {
  return toHousehold(await selectHouseholds(db).where('h.id', '=', id).executeTakeFirstOrThrow());
}

/** The next household number under a prefix (a villager group's code and a dash). */
export function takeHouseholdNumber(db: Kysely<DB>, prefix: string): Promise<number> {
  return takeNextNumber(db, `household:${prefix}`, async () => {
    const rows = await db.selectFrom('households').select('number').where(startsWithText('number', prefix)).execute();
    return highestAfterPrefix(
      rows.map((r) => r.number),
      prefix,
    );
  });
}

export type HouseholdWrite = {
  number: string;
  headName: string;
  address: string | null;
  phone: string | null;
  placement: Placement;
};

export async function insertHousehold(db: Kysely<DB>, id: string, values: HouseholdWrite, now: number): Promise<void> {
  await db
    .insertInto('households')
    .values({
      id,
      number: values.number,
      head_name: values.headName,
      address: values.address,
      phone: values.phone,
      ...placedColumns(values.placement),
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateHousehold(db: Kysely<DB>, id: string, values: HouseholdWrite, now: number): Promise<void> {
  await db
    .updateTable('households')
    .set({
      number: values.number,
      head_name: values.headName,
      address: values.address,
      phone: values.phone,
      ...placedColumns(values.placement),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteHousehold(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('households').where('id', '=', id).execute();
}

export async function countHouseholdsByVillage(
  db: Kysely<DB>,
  scope: Scope,
): Promise<{ regionId: string; regionName: string; count: number }[]> {
  const rows = await db
    .selectFrom('households as h')
    .innerJoin('regions as r', 'r.id', 'h.village_id')
    .select(['r.id', 'r.name', 'r.code'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inScope(scope, { table: 'h', householdColumn: 'id' }))
    .groupBy(['r.id', 'r.name', 'r.code'])
    .orderBy('r.code')
    .execute();
  return rows.map((row) => ({ regionId: row.id, regionName: row.name, count: Number(row.n) }));
}

// Asked before nearly every write that concerns a household.
const placementQuery = compiledOnce<PlacedColumns & { id: string }>((db, slot) =>
  db.selectFrom('households').select(['id', 'region_id', 'village_id', 'township_id', 'county_id']).where('id', '=', slot<string>('id')),
);

/** Where a household sits, and nothing else: for other modules' access checks on hot paths. */
export async function findHouseholdPlacement(db: Kysely<DB>, id: string): Promise<Placement | undefined> {
  const {
    rows: [row],
  } = await placementQuery(db, { id });
  return row && placementOf(row, row.id);
}

/** The head's name of each of these households that exists, by household id. */
export async function findHeadNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('households').select(['id', 'head_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.head_name]));
}

/** The ids of the households placed in or under a region, by household number. */
export async function listHouseholdIdsUnder(db: Kysely<DB>, region: RegionRecord): Promise<string[]> {
  const rows = await db.selectFrom('households').select('id').where(placementColumn(region), '=', region.id).orderBy('number').execute();
  return rows.map((r) => r.id);
}

/** A household as another module lists it beside its own rows: its number, head and place. */
export type HouseholdHead = { id: string; number: string; headName: string; placement: Placement };

const selectHouseholdHeads = (db: Kysely<DB>) =>
  db.selectFrom('households').select(['id', 'number', 'head_name', 'region_id', 'village_id', 'township_id', 'county_id']);

const toHouseholdHead = (r: Awaited<ReturnType<ReturnType<typeof selectHouseholdHeads>['execute']>>[number]): HouseholdHead => ({
  id: r.id,
  number: r.number,
  headName: r.head_name,
  placement: placementOf(r, r.id),
});

/** Each of these households that exists with its number, head and place, by household id. */
export async function findHouseholdHeads(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, HouseholdHead>> {
  if (ids.length === 0) return new Map();
  const rows = await selectHouseholdHeads(db).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toHouseholdHead(r)]));
}

/** The households placed in or under a region with their number, head and place, by household number. */
export async function listHouseholdHeadsUnder(db: Kysely<DB>, region: RegionRecord): Promise<HouseholdHead[]> {
  const rows = await selectHouseholdHeads(db).where(placementColumn(region), '=', region.id).orderBy('number').execute();
  return rows.map(toHouseholdHead);
}

/** How many households are placed in or under a region. */
export async function countHouseholdsUnder(db: Kysely<DB>, region: RegionRecord): Promise<number> {
  const row = await db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(placementColumn(region), '=', region.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of the households whose villager group is one of these. */
export async function listHouseholdIdsInGroups(db: Kysely<DB>, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db.selectFrom('households').select('id').where('region_id', 'in', groupIds).execute();
  return rows.map((r) => r.id);
}
