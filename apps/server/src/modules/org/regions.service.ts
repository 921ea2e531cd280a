import { authorize, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { processCache } from '../../platform/process-cache.ts';
import * as repo from './regions.repository.ts';

/** The administrative divisions are public knowledge: every signed-in user may browse them. */
export async function listRegionChildren(deps: Deps, parentId: string | null) {
  if (parentId !== null && !(await repo.findRegion(deps.reader, parentId))) throw notFound('region');
  return repo.listRegionChildren(deps.reader, parentId);
}

// A region is written once, when it is made, and never changed or removed (org has no such write),
// so a region read once is kept for the life of the process: every page filtered by a region (a
// village's households, a township's cases) would otherwise read it first. Ids of no region are
// not kept, so a region made later is found. Should renaming or removal arrive, its write clears this.
const MAX_KEPT_REGIONS = 50_000;
const regionCache = (deps: Deps) => processCache(deps, 'org.regions', () => new Map<string, repo.RegionRecord>());

/** The region of this id, if there is one (see regionCache). */
export async function findRegion(deps: Deps, id: string): Promise<repo.RegionRecord | undefined> {
  const cache = regionCache(deps);
  const kept = cache.get(id);
  if (kept) return kept;
  const region = await repo.findRegion(deps.reader, id);
  if (region) {
    if (cache.size >= MAX_KEPT_REGIONS) cache.delete(cache.keys().next().value as string);
    cache.set(id, region);
  }
  return region;
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

// Every page of cases names the region of each case; a region is named once when it is made and
// never renamed or removed (org has no such write), so a name read once is kept a while per process
// and a page costs no query once its regions have been seen. Should renaming arrive, its write
// clears this cache.
const REGION_NAME_TTL_MS = 10 * 60_000;
type RegionLabel = { name: string; code: string };
const regionLabelCache = (deps: Deps) => processCache(deps, 'org.regionLabels', () => new Map<string, RegionLabel & { until: number }>());

/** The names and codes of these regions, by id, in at most one query; ids of no region are left out. */
export async function regionLabels(deps: Deps, ids: readonly string[]): Promise<Map<string, RegionLabel>> {
  const cache = regionLabelCache(deps);
  const now = deps.now();
  const labels = new Map<string, RegionLabel>();
  const missing = new Set<string>();
  for (const id of ids) {
    const kept = cache.get(id);
    if (kept && kept.until > now) labels.set(id, { name: kept.name, code: kept.code });
    else missing.add(id);
  }
  for (const row of await repo.findRegionNames(deps.reader, [...missing])) {
    cache.set(row.id, { name: row.name, code: row.code, until: now + REGION_NAME_TTL_MS });
    labels.set(row.id, { name: row.name, code: row.code });
  }
  return labels;
}

/** The names of these regions, by id (see regionLabels). */
export async function regionNames(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map([...(await regionLabels(deps, ids))].map(([id, label]) => [id, label.name]));
}
