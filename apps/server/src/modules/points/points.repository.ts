// What the points repositories share: how a household's place and a village's place are written
// into and read from the points tables.
import { placedColumns } from '../../db/placement.ts';
import type { Placement } from '../../platform/access.ts';

export type HouseholdPlace = { id: string; placement: Placement };

/** A household's place columns, in the points tables whose village is never empty. */
export const placeColumns = (household: HouseholdPlace) => ({
  ...placedColumns(household.placement),
  village_id: household.placement.villageId as string,
});

/** The columns of a village-level row (a rule, goods): the village is its region. */
export const villageColumns = (village: Placement) => ({
  village_id: village.villageId as string,
  township_id: village.townshipId,
  county_id: village.countyId,
});

/** The place of a village-level row read back. */
export const villagePlacement = (row: { village_id: string; township_id: string | null; county_id: string | null }): Placement => ({
  regionId: row.village_id,
  villageId: row.village_id,
  townshipId: row.township_id,
  countyId: row.county_id,
});
