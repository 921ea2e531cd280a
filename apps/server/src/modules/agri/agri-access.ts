// Who reaches a household's farm: its own members (villager, own household only), and the
// extension worker, cadres and grid workers whose region holds it (platform/access.ts, agri.*).
// What the caller cannot even see is a 404, what it sees but may not change a 403; both audited.
import type { Permission, Placement, Principal, Scope } from '../../platform/access.ts';
import { allows, isEmptyScope, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { householdHeadsOf } from '../org/households.service.ts';

export type FarmHouseholdRecord = { id: string; number: string; headName: string; placement: Placement };

/** Audits a refusal and throws it. */
export async function refuse(
  deps: Deps,
  actor: Actor,
  entry: { action: string; targetType: string; targetId: string; regionId: string | null },
  error: AppError,
): Promise<never> {
  await recordAudit(deps.db, actor, { ...entry, outcome: 'denied', details: { reason: error.code } }, deps.now());
  throw error;
}

/** The household, if the caller holds `permission` over it; refusals are audited under `action`. */
export async function farmHousehold(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  householdId: string,
  permission: Permission,
  action: string,
): Promise<FarmHouseholdRecord> {
  const head = (await householdHeadsOf(deps, [householdId])).get(householdId);
  const entry = { action, targetType: 'household', targetId: householdId, regionId: head?.placement.regionId ?? null };
  if (!head) return refuse(deps, actor, entry, notFound('household'));
  const placement = { ...head.placement, householdId };
  if (allows(principal, permission, placement)) return { id: head.id, number: head.number, headName: head.headName, placement };
  if (permission !== 'agri.read' && allows(principal, 'agri.read', placement)) return refuse(deps, actor, entry, forbidden());
  return refuse(deps, actor, entry, notFound('household'));
}

/** The caller's scope for a permission, narrowed to one region of it when asked (404 outside it). */
export function scopeWithin(principal: Principal, permission: Permission, region?: Placement): Scope {
  const scope = scopeFor(principal, permission);
  if (isEmptyScope(scope)) throw forbidden();
  if (!region) return scope;
  if (!allows(principal, permission, region)) throw notFound('region');
  const level =
    region.countyId === region.regionId
      ? 'countyIds'
      : region.townshipId === region.regionId
        ? 'townshipIds'
        : region.villageId === region.regionId
          ? 'villageIds'
          : 'regionIds';
  return { countyIds: [], townshipIds: [], villageIds: [], regionIds: [], householdIds: [], [level]: [region.regionId] };
}

export const isExtensionWorker = (principal: Principal) => principal.assignments.some((a) => a.role === 'extensionWorker');

export const todayIn = (now: number) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

/** A date (YYYY-MM-DD) that exists on the calendar: 2026-02-30 and 2026-13-01 do not. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === date;
}

/**
 * The earliest dates a farm takes (README "Farms and farm advice", plausible figures): observations and a
 * flock's startedOn from 2000-01-01; a plot's plantedOn from 1950-01-01 (tea gardens and orchards
 * stand for decades).
 */
export const EARLIEST_DATE = { observedOn: '2000-01-01', startedOn: '2000-01-01', plantedOn: '1950-01-01' } as const;

/**
 * A date (YYYY-MM-DD) that exists, is not before its field's EARLIEST_DATE and not after today in
 * Beijing; 400 otherwise, nothing stored.
 */
export function checkPastDate(date: string | null | undefined, now: number, field: keyof typeof EARLIEST_DATE): void {
  if (date === null || date === undefined) return;
  if (!isCalendarDate(date)) throw new AppError('validation_failed', {}, [{ field, problem: 'not a date' }]);
  if (date < EARLIEST_DATE[field]) throw new AppError('agri_date_too_early', { field, earliest: EARLIEST_DATE[field] });
  if (date > todayIn(now)) throw new AppError('agri_date_in_future');
}

/**
 * The days weather may be kept for (README "Weather feed"): from a year back (the figures and last
 * season's cold snaps) to WEATHER_DAYS_AHEAD days ahead (the length of a published forecast).
 */
export const WEATHER_DAYS_BACK = 366;
export const WEATHER_DAYS_AHEAD = 15;
const shiftDay = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Why a weather day cannot be kept ('not a date', 'too far back', 'too far ahead'), or undefined if it can. */
export function weatherDateProblem(date: string, now: number): string | undefined {
  if (!isCalendarDate(date)) return 'not a date';
  const today = todayIn(now);
  if (date < shiftDay(today, -WEATHER_DAYS_BACK)) return 'too far back';
  if (date > shiftDay(today, WEATHER_DAYS_AHEAD)) return 'too far ahead';
  return undefined;
}
