// The points bank (积分银行), what its sub-domains share: finding a household or a village and
// checking the caller may act there, and the audit record every change leaves. The sub-domains are
// rules, ledger (accounts, bookings, statements), claims, shop (goods, redemptions) and reports.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, authorize, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { type IdempotencyRequest, runIdempotent } from '../../platform/idempotency.ts';
import { householdPlacement } from '../org/households.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import type { HouseholdPlace } from './points.repository.ts';

export type Idempotent = { idempotencyKey?: string };

/** A household the caller may see, placed down to its village (points accounts live in villages). */
export async function household(deps: Deps, principal: Principal, id: string): Promise<HouseholdPlace> {
  const placement = await householdPlacement(deps, principal, id);
  if (!placement.villageId) throw new AppError('region_level_mismatch');
  return { id, placement };
}

/** A village whose rules, shop or figures the caller may read (points.read) or change. */
export async function village(
  deps: Deps,
  principal: Principal,
  villageId: string,
  permission: 'points.read' | 'points.keep' | 'points.rules',
) {
  const region = await requireRegion(deps, villageId);
  if (region.level !== 'village') throw new AppError('region_level_mismatch');
  // Villagers read their own village's shop and rules; asked to change them, they are refused, not misled.
  const ownVillage =
    principal.householdId !== null && (await householdPlacement(deps, principal, principal.householdId)).villageId === region.id;
  if (permission === 'points.read' && (ownVillage || (await readsGroupsOf(deps, principal, region.id)))) return region;
  if (ownVillage && !allows(principal, permission, region.placement)) throw forbidden();
  authorize(principal, permission, region.placement, 'region');
  return region;
}

/**
 * A role held for a grid or a villager group reaches groups, not the village node: its holder
 * still reads the rules, shop, rankings and figures of the village those groups lie in.
 */
async function readsGroupsOf(deps: Deps, principal: Principal, villageId: string): Promise<boolean> {
  for (const id of scopeFor(principal, 'points.read').regionIds) {
    if ((await requireRegion(deps, id)).placement.villageId === villageId) return true;
  }
  return false;
}

export const audit = (
  trx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  action: string,
  targetType: string,
  targetId: string,
  regionId: string,
  now: number,
) => recordAudit(trx, actor, { action, targetType, targetId, regionId }, now);

/**
 * A booking on the ledger, once per idempotency key, in a commit shared with the bookings that
 * arrive with it (one fsync for all on SQLite): each is answered once that commit is on disk, and
 * one refused (no points left, a limit reached) fails alone.
 */
export const runBooking = <T>(db: Kysely<DB>, request: IdempotencyRequest, work: (trx: Transaction<DB>) => Promise<T>) =>
  runIdempotent(db, request, work, { sharedCommit: true });
