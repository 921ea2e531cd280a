import { authorize, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import * as repo from './regions.repository.ts';

/** The administrative divisions are public knowledge: every signed-in user may browse them. */
export async function listRegionChildren(deps: Deps, parentId: string | null) {
  if (parentId !== null && !(await repo.findRegion(deps.reader, parentId))) throw notFound('region');
  return repo.listRegionChildren(deps.reader, parentId);
}

export async function requireRegion(deps: Deps, id: string): Promise<repo.RegionRecord> {
  const region = await repo.findRegion(deps.reader, id);
  if (!region) throw notFound('region');
  return region;
}

export async function listGrids(deps: Deps, principal: Principal, villageId: string) {
  const village = await requireRegion(deps, villageId);
  authorize(principal, 'org.read', village.placement, 'region');
  return repo.listGridsOfVillage(deps.reader, village.id);
}
