// Every case in an answer goes through the gate GET /:id uses (cases.service.ts visibleCase), so
// what the caller may not read is left out; shared by every route file that answers with cases.
// The names of the cases' regions and handlers are org's: asked once per answer, not once per case.
import type { FastifyReply } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { departmentNames } from '../org/departments.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import type { CaseSummaryRecord } from './case-queue.repository.ts';
import { type CaseNames, presentCase, presentSummary } from './cases.presenters.ts';
import type { CaseRecord } from './cases.repository.ts';
import { type CaseParties, type CaseView, regionNamesOf, visibleCases } from './cases.service.ts';

type Request = Parameters<typeof requirePrincipal>[0];

/**
 * The names of the grid workers and departments handling these cases, for the case pages. The
 * caller's own name is the session's: a worker's queue holds only their own cases, and names them
 * without a read of the accounts.
 */
async function handlerNamesOf(
  deps: Deps,
  items: readonly CaseParties[],
  caller: Principal,
): Promise<{ users: Map<string, string>; departments: Map<string, string> }> {
  const others = items.flatMap((c) => (c.assigneeUserId && c.assigneeUserId !== caller.userId ? [c.assigneeUserId] : []));
  const anyDepartment = items.some((c) => c.assigneeDepartmentId !== null);
  const users = others.length > 0 ? await displayNamesOfUsers(deps, others) : new Map<string, string>();
  if (items.some((c) => c.assigneeUserId === caller.userId)) users.set(caller.userId, caller.displayName);
  return { users, departments: anyDepartment ? await departmentNames(deps) : new Map() };
}

/** The names an answer shows beside these cases: their regions' and their handlers'. */
async function namesOf(deps: Deps, items: readonly CaseParties[], caller: Principal): Promise<CaseNames> {
  const [regions, handlers] = await Promise.all([regionNamesOf(deps, items), handlerNamesOf(deps, items, caller)]);
  return { regions, ...handlers };
}

export function caseAnswers(deps: Deps) {
  const presentViews = async (views: CaseView[], caller: Principal) => {
    const names = await namesOf(
      deps,
      views.map((v) => v.caseItem),
      caller,
    );
    return views.map((view) => presentCase(view, deps.now(), names));
  };
  const presentAll = async (request: Request, items: CaseRecord[]) =>
    presentViews(await visibleCases(deps.reader, requirePrincipal(request), items), requirePrincipal(request));
  /** A list's rows (the queues, the desk's search, a villager's reports) as summaries. */
  const presentSummaries = async (request: Request, items: CaseSummaryRecord[]) => {
    const caller = requirePrincipal(request);
    const views = await visibleCases(deps.reader, caller, items);
    const names = await namesOf(
      deps,
      views.map((v) => v.caseItem),
      caller,
    );
    const now = deps.now();
    return views.map((view) => presentSummary(view, now, names));
  };
  const present = async (request: Request, caseItem: CaseRecord) => (await presentAll(request, [caseItem]))[0];
  /** A case the service already let through the gate (GET /:id). */
  const presentView = async (request: Request, view: CaseView) => (await presentViews([view], requirePrincipal(request)))[0];
  /** The answer to an action: the case where the caller may still read it, otherwise 204 and nothing of it. */
  const answer = async (request: Request, reply: FastifyReply, caseItem: CaseRecord, status = 200) => {
    const presented = await present(request, caseItem);
    return presented ? reply.status(status).send(presented) : reply.status(204).send();
  };
  return { present, presentAll, presentSummaries, presentView, answer };
}
