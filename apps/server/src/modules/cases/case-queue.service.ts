// The case lists: a worker's or department's queue by deadline, a supervisor's region, what a
// villager reported, and the desk's search. They answer with summaries (contracts CaseSummary);
// the whole case is cases.service.ts readCase.
import { type Principal, scopeFor } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { departmentsOfPrincipal } from '../org/departments.service.ts';
import type { CaseSummaryRecord } from './case-queue.repository.ts';
import * as queue from './case-queue.repository.ts';
import * as search from './case-search.repository.ts';
import { type CaseState, OPEN_STATES } from './case-workflow.ts';

export type QueueQuery = {
  view?: 'mine' | 'region' | 'reported';
  state?: CaseState;
  q?: string;
  categoryId?: string;
  regionId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
};

/** A desk's filters, checked: words trimmed, dates in order. Undefined when none is given. */
function narrowing(query: QueueQuery) {
  const text = query.q?.trim() || undefined;
  const fromMs = query.from === undefined ? undefined : Date.parse(query.from);
  const toMs = query.to === undefined ? undefined : Date.parse(query.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new AppError('validation_failed', {}, { field: 'to', problem: 'must be after from' });
  }
  const filters = { text, categoryId: query.categoryId, regionId: query.regionId, fromMs, toMs };
  return Object.values(filters).some((v) => v !== undefined) ? filters : undefined;
}

/**
 * My work by deadline; a supervisor's whole region; or what I reported, newest first. Narrowed by
 * words, category, place or date (the desk's search), a list is newest first too.
 */
export async function listQueue(deps: Deps, principal: Principal, query: QueueQuery): Promise<Page<CaseSummaryRecord>> {
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor, ['int', 'text']);
  const view = query.view ?? 'mine';
  const filters = narrowing(query);
  const everyState: CaseState[] = ['received', 'answeredOnSpot', 'assigned', 'accepted', 'handled', 'replied', 'closed'];
  // A search looks through finished cases too; a queue shows what is still to do.
  const states = query.state ? [query.state] : view === 'reported' || filters ? everyState : OPEN_STATES;
  const whose = {
    states,
    assigneeUserId: view === 'mine' ? principal.userId : undefined,
    departmentIds: view === 'mine' ? await departmentsOfPrincipal(deps.reader, principal) : undefined,
    scope: view === 'region' ? scopeFor(principal, 'cases.read') : undefined,
    reporterUserId: view === 'reported' ? principal.userId : undefined,
    after: cursor,
    limit,
  };
  if (view === 'reported' || filters) {
    const rows = await search.listNewestFirst(deps.reader, { ...whose, ...filters });
    return toPage(rows, limit, (c) => [c.createdAt, c.id]);
  }
  const rows = await queue.listQueue(deps.reader, whose);
  return toPage(rows, limit, (c) => [c.deadlineAt, c.id]);
}
