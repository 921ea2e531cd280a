// How many elders of a region are in care, and how many of them live alone (空巢、独居): the wall
// screen's rural overview. Counts only; no elder is named and nothing about health leaves here.
import type { Placement, Scope } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import * as repo from './care-elders.repository.ts';

/** The elder's living situation as registered (free text), read as living alone. */
const LIVING_ALONE = /独居|空巢|alone/i;

function scopeOfPlace(placement: Placement, level: 'county' | 'township' | 'village' | 'villagerGroup'): Scope {
  const scope: Scope = { countyIds: [], townshipIds: [], villageIds: [], regionIds: [], householdIds: [] };
  ({ county: scope.countyIds, township: scope.townshipIds, village: scope.villageIds, villagerGroup: scope.regionIds })[level].push(
    placement.regionId,
  );
  return scope;
}

/** Not access-checked: the caller (the dashboard) checks the region first. */
export async function elderFigures(
  deps: Deps,
  region: { placement: Placement; level: 'county' | 'township' | 'village' | 'villagerGroup' },
): Promise<{ elders: number; livingAlone: number }> {
  const elders = await repo.listElders(deps.reader, scopeOfPlace(region.placement, region.level));
  return { elders: elders.length, livingAlone: elders.filter((e) => LIVING_ALONE.test(e.livingSituation)).length };
}
