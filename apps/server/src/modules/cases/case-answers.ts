// Every case in an answer goes through the gate GET /:id uses (cases.service.ts visibleCase), so
// what the caller may not read is left out; shared by every route file that answers with cases.
// The names of the cases' regions and handlers are org's: asked once per answer, not once per case.
import type { FastifyReply } from 'fastify';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { departmentNames } from '../org/departments.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import type { CaseSummaryRecord } from './case-queue.repository.ts';
import { type CaseNames, presentCase, presentSummary } from './cases.presenters.ts';
import type { CaseRecord } from './cases.repository.ts';
import { type CaseParties, type CaseView, regionNamesOf, visibleCases } from './cases.service.ts';

type Request = Parameters<typeof requirePrincipal>[0];

/** The names of the grid workers and departments handling these cases, for the case pages. */
async function handlerNamesOf(
  deps: Deps,
  items: readonly CaseParties[],
): Promise<{ users: Map<string, string>; departments: Map<string, string> }> {
  const userIds = items.flatMap((c) => (c.assigneeUserId ? [c.assigneeUserId] : []));
  const anyDepartment = items.some((c) => c.assigneeDepartmentId !== null);
  return {
    users: userIds.length > 0 ? await displayNamesOfUsers(deps, userIds) : new Map(),
    departments: anyDepartment ? await departmentNames(deps) : new Map(),
  };
}

/** The names an answer shows beside these cases: their regions' and their handlers'. */
async function namesOf(deps: Deps, items: readonly CaseParties[]): Promise<CaseNames> {
  const [regions, handlers] = await Promise.all([regionNamesOf(deps, items), handlerNamesOf(deps, items)]);
  return { regions, ...handlers };
}

export function caseAnswers(deps: Deps) {
  const presentViews = async (views: CaseView[]) => {
    const names = await namesOf(
      deps,
      views.map((v) => v.caseItem),
    );
    return views.map((view) => presentCase(view, deps.now(), names));
  };
  const presentAll = async (request: Request, items: CaseRecord[]) =>
    presentViews(await visibleCases(deps.reader, requirePrincipal(request), items));
  /** A list's rows (the queues, the desk's search, a villager's reports) as summaries. */
  const presentSummaries = async (request: Request, items: CaseSummaryRecord[]) => {
    const views = await visibleCases(deps.reader, requirePrincipal(request), items);
    const names = await namesOf(
      deps,
      views.map((v) => v.caseItem),
    );
    const now = deps.now();
    return views.map((view) => presentSummary(view, now, names));
  };
  const present = async (request: Request, caseItem: CaseRecord) => (await presentAll(request, [caseItem]))[0];
  /** A case the service already let through the gate (GET /:id). */
  const presentView = async (view: CaseView) => (await presentViews([view]))[0];
  /** The answer to an action: the case where the caller may still read it, otherwise 204 and nothing of it. */
  const answer = async (request: Request, reply: FastifyReply, caseItem: CaseRecord, status = 200) => {
    const presented = await present(request, caseItem);
    return presented ? reply.status(status).send(presented) : reply.status(204).send();
  };
  return { present, presentAll, presentSummaries, presentView, answer };
}
