// Who a notice is for: places, grids, households with a trait, named people. The people themselves,
// their households, accounts and ages are org's; which households have an elder in care is care's.
// Both are asked for whole sets, once per notice, and the narrowing by trait happens here. A trait
// that follows from the register (an elder in the household) is computed from it, never kept.
import { NOTICE_TRAITS } from '@cunzhi/contracts/notices';
import { allows, type Placement, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { householdsWithElders } from '../care/care-elders.service.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import { contactsInRegions, contactsOfPeople, householdsWithMemberBornBy } from '../org/people.service.ts';
import { findGrids, requireRegion } from '../org/regions.service.ts';
import type { Audience } from './notices.repository.ts';
import { householdsWithTraits } from './notices-audiences.repository.ts';

/** A region's place (its own id at its level, its ancestors above); a 404 for a region that does not exist. */
export const placementOfRegion = async (deps: Deps, regionId: string): Promise<Placement> =>
  (await requireRegion(deps, regionId)).placement;

/** Every part of the audience must lie in the author's scope: a cadre pushes to their own village. */
export async function checkAudience(deps: Deps, principal: Principal, audience: Audience): Promise<void> {
  for (const regionId of audience.regionIds) {
    if (!allows(principal, 'notices.write', await placementOfRegion(deps, regionId))) throw notFound('region');
  }
  if (audience.gridIds.length) {
    const grids = await findGrids(deps, audience.gridIds);
    if (grids.length !== audience.gridIds.length) throw notFound('grid');
    for (const grid of grids) {
      if (!allows(principal, 'notices.write', await placementOfRegion(deps, grid.villageId))) throw notFound('grid');
    }
  }
  if (audience.personIds.length) {
    const people = await contactsOfPeople(deps, audience.personIds);
    if (people.length !== audience.personIds.length) throw notFound('person');
    for (const person of people) {
      if (!allows(principal, 'notices.write', person.placement)) throw notFound('person');
    }
  }
  for (const trait of audience.traits)
    if (!(NOTICE_TRAITS as readonly string[]).includes(trait)) throw new AppError('validation_failed', {}, { field: 'traits', trait });
}

/** The age from which someone counts as an elder (老年人权益保障法 art. 2: 60). */
export const ELDER_AGE = 60;

/** The latest birth date (YYYY-MM-DD) of someone who is ELDER_AGE or older today, in Beijing time. */
export function elderBornBy(now: number): string {
  const today = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${String(Number(today.slice(0, 4)) - ELDER_AGE).padStart(4, '0')}${today.slice(4)}`;
}

/** How many people and households an audience reaches now: what the desk shows before sending. */
export async function audienceSize(deps: Deps, audience: Audience): Promise<{ people: number; households: number }> {
  const reached = await resolveAudience(deps, audience);
  return { people: reached.length, households: new Set(reached.map((r) => r.householdId ?? r.personId)).size };
}

export type Reached = {
  personId: string;
  householdId: string | null;
  userId: string | null;
  phone: string | null;
  villageId: string | null;
};

/**
 * The people an audience reaches: the members of the households in the chosen places (only those
 * with one of the traits, when traits are named), and the named people wherever they live.
 */
export async function resolveAudience(deps: Deps, audience: Audience): Promise<Reached[]> {
  const grids = await findGrids(deps, audience.gridIds);
  // A grid is its villager groups, and households sit in villager groups.
  const places = [...audience.regionIds, ...grids.flatMap((g) => g.regionIds)];
  let inPlaces = await contactsInRegions(deps, places);
  if (inPlaces.length > 0 && audience.traits.length > 0) {
    const chosen = await householdsWithTraits(deps.reader, audience.traits);
    if (audience.traits.includes('hasElder')) {
      // A household has an elder when someone in it is 60 or older (by birth date or ID number),
      // whether or not that elder is in the care programme; those in care count too.
      for (const id of await householdsWithMemberBornBy(deps, places, elderBornBy(deps.now()))) chosen.add(id);
      for (const id of await householdsWithElders(deps)) chosen.add(id);
    }
    inPlaces = inPlaces.filter((p) => p.householdId !== null && chosen.has(p.householdId));
  }
  const named = await contactsOfPeople(deps, audience.personIds);
  const reached = new Map<string, Reached>();
  for (const p of [...inPlaces, ...named, ...(await membersOfHouseholds(deps, audience.householdIds ?? []))]) {
    if (!reached.has(p.personId))
      reached.set(p.personId, {
        personId: p.personId,
        householdId: p.householdId,
        userId: p.userId,
        phone: p.phone,
        villageId: p.placement.villageId,
      });
  }
  return [...reached.values()];
}

/** Everyone living in these households: their villages' people, narrowed to the households. */
async function membersOfHouseholds(deps: Deps, householdIds: readonly string[]) {
  if (householdIds.length === 0) return [];
  const heads = await householdHeadsOf(deps, householdIds);
  const places = [...new Set([...heads.values()].map((h) => h.placement.villageId ?? h.placement.regionId))];
  const wanted = new Set(heads.keys());
  return (await contactsInRegions(deps, places)).filter((p) => p.householdId !== null && wanted.has(p.householdId));
}
