import type { Kysely } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { DB, RegionLevel } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';

export type RegionRecord = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  level: RegionLevel;
  parentId: string | null;
  placement: Placement;
};

type RegionRow = {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  parent_id: string | null;
  county_id: string | null;
  township_id: string | null;
  village_id: string | null;
};

const COLUMNS = ['id', 'code', 'name', 'name_en', 'level', 'parent_id', 'county_id', 'township_id', 'village_id'] as const;

const toRegion = (row: RegionRow): RegionRecord => ({
  id: row.id,
  code: row.code,
  name: row.name,
  nameEn: row.name_en,
  level: row.level,
  parentId: row.parent_id,
  placement: { regionId: row.id, villageId: row.village_id, townshipId: row.township_id, countyId: row.county_id },
});

// Asked by every page filtered by a region (a village's households): compiled once.
const regionQuery = compiledOnce<RegionRow>((db, slot) => db.selectFrom('regions').select(COLUMNS).where('id', '=', slot<string>('id')));

export async function findRegion(db: Kysely<DB>, id: string): Promise<RegionRecord | undefined> {
  const {
    rows: [row],
  } = await regionQuery(db, { id });
  return row && toRegion(row);
}

export async function listRegionChildren(db: Kysely<DB>, parentId: string | null): Promise<(RegionRecord & { childCount: number })[]> {
  const rows = await db
    .selectFrom('regions as r')
    .select(COLUMNS.map((c) => `r.${c}` as const))
    .select((eb) =>
      eb.selectFrom('regions as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.parent_id', '=', 'r.id').as('child_count'),
    )
    .where((eb) => (parentId === null ? eb('r.parent_id', 'is', null) : eb('r.parent_id', '=', parentId)))
    .orderBy('r.sort_order')
    .orderBy('r.code')
    .execute();
  return rows.map((row) => ({ ...toRegion(row), childCount: Number(row.child_count ?? 0) }));
}

export async function listAllRegions(db: Kysely<DB>): Promise<RegionRecord[]> {
  const rows = await db.selectFrom('regions').select(COLUMNS).orderBy('code').execute();
  return rows.map(toRegion);
}

export async function insertRegion(
  db: Kysely<DB>,
  region: { id: string; code: string; name: string; nameEn?: string; level: RegionLevel; sortOrder?: number; parent?: RegionRecord },
  now: number,
): Promise<RegionRecord> {
  const inherited = region.parent?.placement;
  const own = (level: RegionLevel, inheritedId: string | null | undefined) => (region.level === level ? region.id : (inheritedId ?? null));
  const row: RegionRow = {
    id: region.id,
    code: region.code,
    name: region.name,
    name_en: region.nameEn ?? null,
    level: region.level,
    parent_id: region.parent?.id ?? null,
    county_id: own('county', inherited?.countyId),
    township_id: own('township', inherited?.townshipId),
    village_id: own('village', inherited?.villageId),
  };
  await db
    .insertInto('regions')
    .values({ ...row, sort_order: region.sortOrder ?? 0, created_at: now, updated_at: now })
    .execute();
  return toRegion(row);
}

export type GridRecord = { id: string; name: string; villageId: string; regionIds: string[] };

export async function insertGrid(db: Kysely<DB>, grid: GridRecord, now: number): Promise<void> {
  await db.insertInto('grids').values({ id: grid.id, name: grid.name, village_id: grid.villageId, created_at: now }).execute();
  if (grid.regionIds.length > 0) {
    await db
      .insertInto('grid_groups')
      .values(grid.regionIds.map((regionId) => ({ grid_id: grid.id, region_id: regionId })))
      .execute();
  }
}

export async function findGrid(db: Kysely<DB>, id: string): Promise<GridRecord | undefined> {
  const grid = await db.selectFrom('grids').select(['id', 'name', 'village_id']).where('id', '=', id).executeTakeFirst();
  if (!grid) return undefined;
  const groups = await db.selectFrom('grid_groups').select('region_id').where('grid_id', '=', id).execute();
  return { id: grid.id, name: grid.name, villageId: grid.village_id, regionIds: groups.map((g) => g.region_id) };
}

/** The grids of these ids that exist, with their villager groups. */
export async function findGrids(db: Kysely<DB>, ids: readonly string[]): Promise<GridRecord[]> {
  if (ids.length === 0) return [];
  const grids = await db.selectFrom('grids').select(['id', 'name', 'village_id']).where('id', 'in', ids).execute();
  const groups = await db.selectFrom('grid_groups').select(['grid_id', 'region_id']).where('grid_id', 'in', ids).execute();
  return grids.map((g) => ({
    id: g.id,
    name: g.name,
    villageId: g.village_id,
    regionIds: groups.filter((x) => x.grid_id === g.id).map((x) => x.region_id),
  }));
}

export async function listGridsOfVillage(
  db: Kysely<DB>,
  villageId: string,
): Promise<(GridRecord & { workers: { userId: string; displayName: string; phone: string }[] })[]> {
  const grids = await db
    .selectFrom('grids')
    .select(['id', 'name', 'village_id'])
    .where('village_id', '=', villageId)
    .orderBy('name')
    .execute();
  if (grids.length === 0) return [];
  const ids = grids.map((g) => g.id);
  const groups = await db.selectFrom('grid_groups').select(['grid_id', 'region_id']).where('grid_id', 'in', ids).execute();
  const workers = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.user_id')
    .select(['ra.grid_id', 'u.id', 'u.display_name', 'u.phone'])
    .where('ra.grid_id', 'in', ids)
    .where('ra.role', '=', 'gridWorker')
    .execute();
  return grids.map((g) => ({
    id: g.id,
    name: g.name,
    villageId: g.village_id,
    regionIds: groups.filter((x) => x.grid_id === g.id).map((x) => x.region_id),
    workers: workers.filter((w) => w.grid_id === g.id).map((w) => ({ userId: w.id, displayName: w.display_name, phone: w.phone })),
  }));
}

export async function findRegionByCode(db: Kysely<DB>, code: string): Promise<RegionRecord | undefined> {
  const row = await db.selectFrom('regions').select(COLUMNS).where('code', '=', code).executeTakeFirst();
  return row && toRegion(row);
}

/** The first county by code: the one this installation serves, should there be several. */
export async function findFirstCounty(db: Kysely<DB>): Promise<RegionRecord | undefined> {
  const row = await db.selectFrom('regions').select(COLUMNS).where('level', '=', 'county').orderBy('code').limit(1).executeTakeFirst();
  return row && toRegion(row);
}

/** The regions of these ids that exist, in one query. */
export async function findRegions(db: Kysely<DB>, ids: readonly string[]): Promise<RegionRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('regions').select(COLUMNS).where('id', 'in', ids).execute();
  return rows.map(toRegion);
}
