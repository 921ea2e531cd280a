// The wall screen's view of monitoring (dashboard): cameras in public places on the map, and the
// unauthorised-building findings (乱搭乱建) counted by state. Not access-checked: the dashboard
// checks the screen's region first, and nothing here shows a picture or a home.
import { PUBLIC_CAMERA_PURPOSES } from '@cunzhi/contracts/monitoring';
import { placementColumn } from '../../db/scope-filter.ts';
import type { Deps } from '../../platform/deps.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as repo from './monitoring-screen.repository.ts';

export async function publicCamerasOnMap(deps: Deps, regionId: string, limit = 500) {
  const region = await requireRegion(deps, regionId);
  return repo.camerasOnMap(deps.reader, placementColumn(region), region.id, PUBLIC_CAMERA_PURPOSES, limit);
}

/** Findings of a region: all found, still open, confirmed, dismissed (scene accepted), and found since `sinceMs`. */
export async function findingFigures(deps: Deps, regionId: string, sinceMs: number) {
  const region = await requireRegion(deps, regionId);
  const rows = await repo.findingsByState(deps.reader, placementColumn(region), region.id, sinceMs);
  const of = (state: string) => rows.find((r) => r.state === state)?.count ?? 0;
  return {
    found: rows.reduce((sum, r) => sum + r.count, 0),
    open: of('open'),
    confirmed: of('confirmed'),
    dismissed: of('sceneAccepted'),
    thisMonth: rows.reduce((sum, r) => sum + r.recent, 0),
  };
}
