// Who reaches a household's economics and procedure: the grid worker, village cadres, township and
// county offices whose place holds it (poverty.read). A refusal is audited before it is thrown,
// and what the caller cannot see at all is reported as missing.
import { allows, authorize, type Placement, type Principal, scopeFor, scopeIncludes } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { NotFoundTarget } from '../../platform/errors.ts';
import type { OfficeKind } from './poverty-workflow.ts';

const KIND_OF_ROLE: Partial<Record<string, OfficeKind>> = {
  gridWorker: 'grid',
  villageCadre: 'village',
  townshipOfficial: 'township',
  countyAdmin: 'county',
};

/** How the caller stands to this place: one kind per role of theirs whose region holds it. */
export function officeKinds(principal: Principal, placement: Placement): OfficeKind[] {
  const kinds = new Set<OfficeKind>();
  for (const assignment of principal.assignments) {
    const kind = KIND_OF_ROLE[assignment.role];
    if (!kind) continue;
    if (scopeIncludes(scopeFor({ ...principal, assignments: [assignment] }, 'poverty.read'), placement)) kinds.add(kind);
  }
  return [...kinds];
}

const LEVEL_RANK: Record<string, number> = { county: 0, township: 1, village: 2, villagerGroup: 3 };

/**
 * The widest place the caller follows households in (a county office its county, a township
 * official the township, a cadre or grid worker the village): where a figures page opens when it
 * names no place. Undefined when no role of theirs reads poverty data.
 */
export function ownPovertyRegion(principal: Principal): string | undefined {
  const held = principal.assignments
    .filter((a) => KIND_OF_ROLE[a.role] !== undefined)
    .sort((a, b) => (LEVEL_RANK[a.regionLevel] ?? 9) - (LEVEL_RANK[b.regionLevel] ?? 9));
  return held[0]?.regionId;
}

/**
 * Lets the read or write go on when the caller's poverty.read scope holds the place; otherwise
 * records the refusal (who, what, which household) and throws 404 or 403 as authorize() decides.
 */
export async function guardPlace(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  action: string,
  placement: Placement,
  target: { type: NotFoundTarget | 'monitoredHousehold'; id: string; notFound: NotFoundTarget },
): Promise<void> {
  if (allows(principal, 'poverty.read', placement)) return;
  await recordAudit(
    deps.db,
    actor,
    { action, outcome: 'denied', targetType: target.type, targetId: target.id, regionId: placement.regionId },
    deps.now(),
  );
  authorize(principal, 'poverty.read', placement, target.notFound);
}

/** The calendar year in Beijing. */
export const yearOf = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCFullYear();

/** The first instant of the month (and of the year) in Beijing. */
export function monthStart(ms: number): number {
  const d = new Date(ms + 8 * 3_600_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - 8 * 3_600_000;
}
export function yearStart(ms: number): number {
  return Date.UTC(yearOf(ms), 0, 1) - 8 * 3_600_000;
}
