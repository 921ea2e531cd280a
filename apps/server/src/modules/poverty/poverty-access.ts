// Who reaches a household's economics and procedure: the grid worker, village cadres, township and
// county offices whose place holds it (poverty.read). A refusal is audited before it is thrown,
// and what the caller cannot see at all is reported as missing.
import type { FastifyInstance } from 'fastify';
import { allows, authorize, hasPermission, type Placement, type Principal, scopeFor, scopeIncludes } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import { actorOf } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type NotFoundTarget } from '../../platform/errors.ts';
import { permissionsOf } from '../../platform/route-access.ts';
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

/** What each poverty route does, as the audit log names it (a refusal is recorded under the same action as a grant). */
const ROUTE_ACTIONS: Record<string, string> = {
  'GET /api/poverty/settings': 'poverty.settings.read',
  'PUT /api/poverty/settings': 'poverty.settings.update',
  'GET /api/poverty/households/:id/economics': 'poverty.economics.read',
  'POST /api/poverty/households/:id/economics': 'poverty.economics.record',
  'POST /api/poverty/economics/import': 'poverty.economics.import',
  'GET /api/poverty/tasks': 'poverty.tasks.read',
  'GET /api/poverty/figures': 'poverty.figures.read',
  'GET /api/poverty/figures.xlsx': 'poverty.figures.export',
  'GET /api/poverty/monitored': 'poverty.monitored.list',
  'POST /api/poverty/monitored': 'poverty.flag',
  'GET /api/poverty/monitored/:id': 'poverty.monitored.read',
  'POST /api/poverty/monitored/:id/steps': 'poverty.step',
  'POST /api/poverty/monitored/:id/removal': 'poverty.removal.start',
  'POST /api/poverty/monitored/:id/evidence': 'poverty.evidence.upload',
  'GET /api/poverty/monitored/:id/evidence/:evidenceId': 'poverty.evidence.view',
  'POST /api/poverty/monitored/:id/measures': 'poverty.measure.create',
  'POST /api/poverty/monitored/:id/visits': 'poverty.visit',
  'POST /api/poverty/monitored/:id/objections/:objectionId/resolve': 'poverty.objection.resolve',
};

function targetTypeOf(route: string): string {
  if (route.includes('/households/') || route.includes('/economics/')) return 'household';
  if (route.includes('/settings')) return 'povertySettings';
  if (route.includes('/figures')) return 'region';
  return 'monitoredHousehold';
}

/**
 * A caller who holds no poverty permission at all (a villager, a doctor) is turned away by the
 * route's declaration before any service runs (platform/route-access.ts); this records that
 * refusal as the services record theirs: who, which action, which object. A 403 the service threw
 * for a caller who does hold the permission was recorded by the service already.
 */
export function auditRoleRefusals(app: FastifyInstance, deps: Deps): void {
  app.addHook('onError', async (request, _reply, error) => {
    const principal = request.principal;
    if (!principal || !(error instanceof AppError) || error.code !== 'forbidden') return;
    const access = request.routeOptions.config.access;
    const wanted = access === undefined ? [] : permissionsOf(access);
    if (wanted.length === 0 || wanted.some((permission) => hasPermission(principal, permission))) return;
    const route = `${request.method} ${request.routeOptions.url}`;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const targetId = typeof params.id === 'string' && params.id.length <= 40 ? params.id : null;
    await recordAudit(
      deps.db,
      actorOf(request),
      {
        action: ROUTE_ACTIONS[route] ?? 'poverty.monitored.read',
        outcome: 'denied',
        targetType: targetTypeOf(route),
        targetId,
        details: { reason: 'wrong_role' },
      },
      deps.now(),
    );
  });
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
