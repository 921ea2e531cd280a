// A row's place in the region tree is four columns (region, village, township, county) on every
// placed table: households, people, cases, points accounts, elders, applications, notices …
// Access decisions read it as a Placement (platform/access.ts).
import type { Placement } from '../platform/access.ts';

export type PlacedColumns = { region_id: string; village_id: string | null; township_id: string | null; county_id: string | null };

/** The place of a row read from a placed table; the household too where the row belongs to one. */
export function placementOf(row: PlacedColumns): Placement;
export function placementOf(row: PlacedColumns, householdId: string | null): Placement & { householdId: string | null };
export function placementOf(row: PlacedColumns, householdId?: string | null): Placement {
  const placement: Placement = { regionId: row.region_id, villageId: row.village_id, townshipId: row.township_id, countyId: row.county_id };
  if (householdId !== undefined) placement.householdId = householdId;
  return placement;
}

/** The columns that place a new row where `placement` is. */
export function placedColumns(placement: Placement): PlacedColumns {
  return {
    region_id: placement.regionId,
    village_id: placement.villageId,
    township_id: placement.townshipId,
    county_id: placement.countyId,
  };
}
