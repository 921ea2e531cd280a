// Who sees an application and in which capacity they may act on it. An application is private to
// its applicant's side, the places that hold it, the hall that made it and the department that
// handles it; to everyone else it does not exist (404, not 403).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { departmentsOfUser } from '../org/departments.service.ts';
import { withApplicantName } from './applicant-names.ts';
import type { ApplicationActor } from './application-workflow.ts';
import { type Application, findApplication, type StoredApplication } from './applications.repository.ts';

/** The applicant's household, or the hall agent of the applicant's township. */
export function isApplicantSide(principal: Principal, application: StoredApplication): boolean {
  if (principal.householdId && principal.householdId === application.placement.householdId) return true;
  return isHallAgentFor(principal, application);
}

function isHallAgentFor(principal: Principal, application: StoredApplication): boolean {
  return principal.assignments.some((a) => a.role === 'serviceHallAgent') && allows(principal, 'services.apply', application.placement);
}

async function handles(db: Kysely<DB>, principal: Principal, application: StoredApplication): Promise<boolean> {
  return (await departmentsOfUser(db, principal.userId)).includes(application.departmentId);
}

async function maySee(deps: Deps, principal: Principal, application: StoredApplication): Promise<boolean> {
  if (principal.householdId && principal.householdId === application.placement.householdId) return true;
  if (principal.userId === application.agentUserId) return true;
  if (allows(principal, 'services.read', application.placement) && !principal.assignments.every((a) => a.role === 'villager')) return true;
  return handles(deps.reader, principal, application);
}

export async function visibleApplication(deps: Deps, principal: Principal, id: string): Promise<Application> {
  const application = await findApplication(deps.reader, id);
  if (!application || !(await maySee(deps, principal, application))) throw notFound('application');
  return withApplicantName(deps, application);
}

/** Every capacity in which the principal may act on the application, for the workflow's rules. */
export async function actorsOf(deps: Deps, principal: Principal, application: StoredApplication): Promise<ApplicationActor[]> {
  const actors: ApplicationActor[] = [];
  if (await handles(deps.reader, principal, application)) actors.push('department');
  if (isApplicantSide(principal, application)) actors.push('applicant');
  if (isHallAgentFor(principal, application)) actors.push('hall');
  return actors;
}

/** A refused attempt leaves an audit row of its own, outside the transaction that did not happen. */
export async function recordDenied(
  deps: Deps,
  actor: Actor,
  action: string,
  targetId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'serviceApplication', targetId, details }, deps.now());
}
