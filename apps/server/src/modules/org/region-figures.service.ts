// How many live in a region, and how it is served: the wall screen's rural overview. Not
// access-checked: the caller (the dashboard) checks the region first.
import type { Deps } from '../../platform/deps.ts';
import * as households from './households.repository.ts';
import * as repo from './region-figures.repository.ts';
import { requireRegion } from './regions.service.ts';

export type RegionFigures = { population: number; households: number; grids: number; gridWorkers: number };

export async function regionFigures(deps: Deps, regionId: string): Promise<RegionFigures> {
  const region = await requireRegion(deps, regionId);
  const [population, householdCount, grids] = await Promise.all([
    repo.countPeopleUnder(deps.reader, region),
    households.countHouseholdsUnder(deps.reader, region),
    repo.countGridsUnder(deps.reader, region),
  ]);
  return { population, households: householdCount, ...grids };
}
