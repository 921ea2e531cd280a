// The wall screen's cameras and unauthorised-building findings of a region: public cameras'
// positions (never an elder's home camera, nor an address or picture) and findings counted by state.

import type { CameraPurpose } from '@cunzhi/contracts/monitoring';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type RegionColumn = 'county_id' | 'township_id' | 'village_id' | 'region_id';

export async function camerasOnMap(
  db: Kysely<DB>,
  column: RegionColumn,
  regionId: string,
  purposes: readonly CameraPurpose[],
  limit: number,
) {
  const rows = await db
    .selectFrom('monitoring_cameras')
    .select(['id', 'name', 'latitude', 'longitude'])
    .where(column, '=', regionId)
    .where('purpose', 'in', [...purposes])
    .where('enabled', '=', 1)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, lat: Number(r.latitude), lon: Number(r.longitude) }));
}

export async function findingsByState(db: Kysely<DB>, column: RegionColumn, regionId: string, sinceMs: number) {
  const rows = await db
    .selectFrom('monitoring_findings')
    .select(['state'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .select((eb) => eb.fn.sum<number>(eb.case().when('created_at', '>=', sinceMs).then(1).else(0).end()).as('recent'))
    .where(column, '=', regionId)
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.n), recent: Number(r.recent ?? 0) }));
}
