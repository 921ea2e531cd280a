// The case lists: a worker's or department's queue by deadline, a supervisor's region, what a
// villager reported, and the desk's search. They answer with summaries (contracts CaseSummary);
// the whole case is cases.service.ts readCase.
import { type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditPersonalRead, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask-phone.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { departmentsOfPrincipal } from '../org/departments.service.ts';
import type { CaseSummaryRecord } from './case-queue.repository.ts';
import * as queue from './case-queue.repository.ts';
import * as search from './case-search.repository.ts';
import { phoneTerms } from './case-search-terms.ts';
import { CASE_ACTIONS, type CaseState, OPEN_STATES } from './case-workflow.ts';

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

/**
 * A desk's filters, checked: words trimmed, dates in order. Undefined when none is given. A full
 * phone number looks for the reporter's phone alone (case-search-terms.ts); other words look in
 * the title, description, case number and the start of the reporter's name.
 */
function narrowing(query: QueueQuery) {
  const words = query.q?.trim() || undefined;
  const phone = words === undefined ? undefined : phoneTerms(words);
  const text = phone ? undefined : words;
  const reporterPhones = phone?.forms;
  const fromMs = query.from === undefined ? undefined : Date.parse(query.from);
  const toMs = query.to === undefined ? undefined : Date.parse(query.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new AppError('validation_failed', {}, { field: 'to', problem: 'must be after from' });
  }
  const filters = { text, reporterPhones, categoryId: query.categoryId, regionId: query.regionId, fromMs, toMs };
  return Object.values(filters).some((v) => v !== undefined) ? { ...filters, phone } : undefined;
}

/**
 * My work by deadline; a supervisor's whole region; or what I reported, newest first. Narrowed by
 * words, a reporter's name or phone, category, place or date (the desk's search), a list is newest
 * first too.
 *
 * The reporter's name and phone are matched only among the cases of the list asked for (my work,
 * my region's cases, what I reported): every one of them passes the gate (visibleCases), which
 * shows the reporter to everyone it lets through. So a search by a name or a number answers
 * nothing about a case the searcher could not already open and read the reporter of.
 */
export async function listQueue(deps: Deps, principal: Principal, actor: Actor, query: QueueQuery): Promise<Page<CaseSummaryRecord>> {
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
    const { phone, ...narrowed } = filters ?? {};
    const rows = await search.listNewestFirst(deps.reader, { ...whose, ...narrowed });
    if (phone) {
      // Looking a person up by their phone number is a use of it: audited, as a search of people by
      // ID number is, with the number masked.
      await recordAudit(
        deps.db,
        actor,
        {
          action: 'case.search_by_phone',
          targetType: 'case',
          targetId: rows[0]?.id ?? null,
          details: { phone: maskPhone(phone.digits), view, found: Math.min(rows.length, limit) },
        },
        deps.now(),
      );
    } else if (filters?.text && view !== 'reported') {
      // Words may be a reporter's name: a search by them is traced too, without the words.
      await auditPersonalRead(
        deps.db,
        actor,
        { action: 'case.search', targetType: 'case', details: { view, found: Math.min(rows.length, limit) } },
        deps.now(),
      );
    }
    return toPage(rows, limit, (c) => [c.createdAt, c.id]);
  }
  const rows = await queue.listQueue(deps.reader, whose);
  return toPage(rows, limit, (c) => [c.deadlineAt, c.id]);
}

/**
 * How many of the cases I reported wait for my rating (the home's 我的反映 tile): those in a state
 * the reporter may rate from. Only my own reports are counted, so it tells nothing of anyone else's.
 */
export function countAwaitingMyRating(deps: Deps, principal: Principal): Promise<number> {
  return search.countReported(deps.reader, principal.userId, CASE_ACTIONS.rate.from);
}
