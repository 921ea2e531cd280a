// The wall screen's view of a region's cases (dashboard): the map's open cases, the matters by
// state and the latest answered, titles as the public village-affairs pages show them. Not
// access-checked: the dashboard checks the screen's region first, and nothing here names a person.
import { FINDING_CASE_CATEGORY_CODE } from '@cunzhi/contracts/case-category-codes';
import { placementColumn } from '../../db/scope-filter.ts';
import type { Deps } from '../../platform/deps.ts';
import { namesInVillage } from '../org/people.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as repo from './case-screen.repository.ts';
import type { Figures } from './case-statistics.repository.ts';
import { ratesOf } from './case-statistics.ts';
import { publicTitleOf } from './public-title.ts';

/** Environment and sanitation, and unauthorised building (reported or found by the cameras). */
export const ECOLOGY_CATEGORY_CODES = ['sanitation', 'environment', 'building', FINDING_CASE_CATEGORY_CODE] as const;

/**
 * The categories whose open cases may show on a wall's map: matters of a place (litter, building,
 * roads, water, power), never of a person (elder care, disputes, social security, policy questions).
 * An allow-list, so a category a county adds stays off the map until it is named here.
 */
export const PUBLIC_MAP_CATEGORY_CODES = [...ECOLOGY_CATEGORY_CODES, 'road', 'water', 'power'] as const;
/** The map's grid in degrees: about 550 m north-south and 480 m east-west at 30°N. */
export const MAP_GRID_DEGREES = 0.005;

/** The centre of the grid cell a coordinate falls in, so no point on the map is a home. */
export const snapToGrid = (value: number) => Number(((Math.floor(value / MAP_GRID_DEGREES) + 0.5) * MAP_GRID_DEGREES).toFixed(4));

/** Open cases for a public map: only public, named cases of place categories, positions snapped. */
export async function mapCases(deps: Deps, regionId: string, limit = 500) {
  const region = await requireRegion(deps, regionId);
  const rows = await repo.openCasesWithPosition(deps.reader, placementColumn(region), region.id, PUBLIC_MAP_CATEGORY_CODES, limit);
  return rows.map((r) => ({ ...r, lat: snapToGrid(r.lat), lon: snapToGrid(r.lon) }));
}

export async function casesByState(deps: Deps, regionId: string, fromMs: number, toMs: number) {
  const region = await requireRegion(deps, regionId);
  return repo.countByState(deps.reader, placementColumn(region), region.id, fromMs, toMs);
}

export async function latestReplies(deps: Deps, regionId: string, sinceMs: number, limit = 8) {
  const region = await requireRegion(deps, regionId);
  const rows = await repo.latestReplied(deps.reader, placementColumn(region), region.id, sinceMs, limit);
  const villages = [...new Set(rows.map((r) => r.villageId).filter((v): v is string => v !== null))];
  const names = new Map(await Promise.all(villages.map(async (v) => [v, await namesInVillage(deps, v)] as const)));
  return rows.map((r) => ({
    id: r.id,
    title: publicTitleOf(r, (r.villageId && names.get(r.villageId)) || []),
    categoryName: r.categoryName,
    state: r.state,
    at: r.at,
  }));
}

export function ecologyCategoryIds(deps: Deps): Promise<string[]> {
  return repo.categoryIdsByCode(deps.reader, ECOLOGY_CATEGORY_CODES);
}

/** The statistics page's rates (completion, on-time reply ...) of a set of figures. */
export function caseRates(figures: Figures) {
  return ratesOf(figures);
}
