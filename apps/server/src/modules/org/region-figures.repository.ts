// Counts of a region's people, grids and grid workers for the wall screen's rural overview.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { placementColumn } from '../../db/scope-filter.ts';
import type { RegionRecord } from './regions.repository.ts';

/** People in the households placed in or under the region. */
export async function countPeopleUnder(db: Kysely<DB>, region: RegionRecord): Promise<number> {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('households as h', 'h.id', 'p.household_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(`h.${placementColumn(region)}`, '=', region.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Grids of the villages in or under the region, and the distinct accounts working one of them. */
export async function countGridsUnder(db: Kysely<DB>, region: RegionRecord): Promise<{ grids: number; gridWorkers: number }> {
  const column = region.level === 'county' ? 'county_id' : region.level === 'township' ? 'township_id' : 'village_id';
  const id = region.level === 'villagerGroup' ? region.placement.villageId : region.id;
  const villages = db
    .selectFrom('regions')
    .select('id')
    .where(column, '=', id ?? '')
    .where('level', '=', 'village');
  const [grids, workers] = await Promise.all([
    db
      .selectFrom('grids')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('village_id', 'in', villages)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('role_assignments')
      .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
      .where('role', '=', 'gridWorker')
      .where('grid_id', 'in', db.selectFrom('grids').select('id').where('village_id', 'in', villages))
      .executeTakeFirstOrThrow(),
  ]);
  return { grids: Number(grids.n), gridWorkers: Number(workers.n) };
}
