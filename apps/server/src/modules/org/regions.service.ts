import { authorize, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { processCache } from '../../platform/process-cache.ts';
import * as repo from './regions.repository.ts';

/** The administrative divisions are public knowledge: every signed-in user may browse them. */
export async function listRegionChildren(deps: Deps, parentId: string | null) {
  if (parentId !== null && !(await findRegion(deps, parentId))) throw notFound('region');
  return repo.listRegionChildren(deps.reader, parentId);
}

// A region is written once, when it is made, and never changed or removed (org has no such write),
// so a region read once is kept for the life of the process: every page filtered by a region (a
// village's households, a township's cases) would otherwise read it first, and every page of cases
// names the region of each case. Ids of no region are not kept, so a region made later is found.
// Should renaming or removal arrive, its write clears this.
const MAX_KEPT_REGIONS = 50_000;
const regionCache = (deps: Deps) => processCache(deps, 'org.regions', () => new Map<string, repo.RegionRecord>());

function keep(cache: Map<string, repo.RegionRecord>, region: repo.RegionRecord): void {
  if (cache.size >= MAX_KEPT_REGIONS) cache.delete(cache.keys().next().value as string);
  cache.set(region.id, region);
}

/** The region of this id, if there is one (see regionCache). */
export async function findRegion(deps: Deps, id: string): Promise<repo.RegionRecord | undefined> {
  const cache = regionCache(deps);
  const kept = cache.get(id);
  if (kept) return kept;
  const region = await repo.findRegion(deps.reader, id);
  if (region) keep(cache, region);
  return region;
}

/** The regions of these ids, by id, in at most one query (see regionCache); ids of no region are left out. */
export async function findRegions(deps: Deps, ids: readonly string[]): Promise<Map<string, repo.RegionRecord>> {
  const cache = regionCache(deps);
  const found = new Map<string, repo.RegionRecord>();
  const missing = new Set<string>();
  for (const id of ids) {
    const kept = cache.get(id);
    if (kept) found.set(id, kept);
    else missing.add(id);
  }
  for (const region of await repo.findRegions(deps.reader, [...missing])) {
    keep(cache, region);
    found.set(region.id, region);
  }
  return found;
}

export async function requireRegion(deps: Deps, id: string): Promise<repo.RegionRecord> {
  const region = await findRegion(deps, id);
  if (!region) throw notFound('region');
  return region;
}

export async function listGrids(deps: Deps, principal: Principal, villageId: string) {
  const village = await requireRegion(deps, villageId);
  authorize(principal, 'org.read', village.placement, 'region');
  return repo.listGridsOfVillage(deps.reader, village.id);
}

/** The grids of these ids that exist, with their villager groups; not access-checked: the caller checks each village. */
export function findGrids(deps: Deps, ids: readonly string[]): Promise<repo.GridRecord[]> {
  return repo.findGrids(deps.reader, ids);
}

export async function requireRegionByCode(deps: Deps, code: string): Promise<repo.RegionRecord> {
  const region = await repo.findRegionByCode(deps.reader, code);
  if (!region) throw notFound('region');
  return region;
}

/** Villages and villager groups of a county, by code: what a report can be filed under. */
export async function listReportableRegions(deps: Deps, countyId: string): Promise<repo.RegionRecord[]> {
  return (await repo.listAllRegions(deps.reader)).filter(
    (r) => r.placement.countyId === countyId && (r.level === 'village' || r.level === 'villagerGroup'),
  );
}

/** Every village with its township's name, for the public index of village pages. */
export async function listVillages(deps: Deps): Promise<{ id: string; name: string; nameEn: string | null; townshipName: string }[]> {
  const all = await repo.listAllRegions(deps.reader);
  const names = new Map(all.map((r) => [r.id, r.name]));
  return all
    .filter((r) => r.level === 'village')
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((r) => ({ id: r.id, name: r.name, nameEn: r.nameEn, townshipName: names.get(r.placement.townshipId ?? '') ?? '' }));
}

/** The county this installation serves (the first, should there be several). */
export async function defaultCountyId(deps: Deps): Promise<string | undefined> {
  return (await repo.findFirstCounty(deps.reader))?.id;
}

/**
 * The county whose case configuration (categories, working time) the principal may change:
 * the one named, or the installation's; county admins only, at their county.
 */
export async function configurableCounty(deps: Deps, principal: Principal, countyId: string | undefined): Promise<string> {
  const county = countyId ?? (await defaultCountyId(deps));
  if (!county) throw notFound('region');
  const region = await requireRegion(deps, county);
  if (region.level !== 'county') throw new AppError('region_level_mismatch');
  authorize(principal, 'cases.configure', region.placement, 'region');
  return region.id;
}

type RegionLabel = { name: string; code: string };

/** The names and codes of these regions, by id (see findRegions). */
export async function regionLabels(deps: Deps, ids: readonly string[]): Promise<Map<string, RegionLabel>> {
  return new Map([...(await findRegions(deps, ids))].map(([id, region]) => [id, { name: region.name, code: region.code }]));
}

/** The names of these regions, by id (see findRegions). */
export async function regionNames(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map([...(await findRegions(deps, ids))].map(([id, region]) => [id, region.name]));
}
