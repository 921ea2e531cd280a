import type { Kysely } from 'kysely';
import type { DB, RegionLevel } from '../../db/schema.ts';

export type RegionShapeRecord = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  level: RegionLevel;
  parentId: string | null;
  /** GeoJSON as JSON text, as kept. */
  boundary: string | null;
};

const COLUMNS = ['id', 'code', 'name', 'name_en', 'level', 'parent_id', 'boundary'] as const;

type Row = {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  parent_id: string | null;
  boundary: string | null;
};

const toShape = (row: Row): RegionShapeRecord => ({
  id: row.id,
  code: row.code,
  name: row.name,
  nameEn: row.name_en,
  level: row.level,
  parentId: row.parent_id,
  boundary: row.boundary,
});

/** The placement column that names a region of this level in the rows under it. */
const UNDER: Partial<Record<RegionLevel, 'county_id' | 'township_id' | 'village_id'>> = {
  county: 'county_id',
  township: 'township_id',
  village: 'village_id',
};

export async function findRegionShape(db: Kysely<DB>, id: string): Promise<RegionShapeRecord | undefined> {
  const row = await db.selectFrom('regions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toShape(row);
}

/** The regions of these levels under a region (by its placement column) that have an outline. */
export async function listShapesUnder(
  db: Kysely<DB>,
  region: { id: string; level: RegionLevel },
  levels: readonly RegionLevel[],
): Promise<RegionShapeRecord[]> {
  const column = UNDER[region.level];
  if (!column || levels.length === 0) return [];
  const rows = await db
    .selectFrom('regions')
    .select(COLUMNS)
    .where(column, '=', region.id)
    .where('level', 'in', levels)
    .where('boundary', 'is not', null)
    .execute();
  return rows.map(toShape);
}

/** Ids of the regions of these codes, by code. */
export async function regionIdsByCode(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['id', 'code']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function setBoundary(db: Kysely<DB>, id: string, boundary: string | null, now: number): Promise<void> {
  await db.updateTable('regions').set({ boundary, updated_at: now }).where('id', '=', id).execute();
}
