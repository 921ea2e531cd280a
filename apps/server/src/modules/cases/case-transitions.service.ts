import type { CheckInDetails, MediationDetails } from '@cunzhi/contracts/cases';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { addWorkingHours } from '../../platform/working-time.ts';
import { notify } from '../notifications/notifications.service.ts';
import { departmentExists } from '../org/departments.service.ts';
import { gridWorkerOf } from '../org/duty-holders.service.ts';
import { userExists } from '../org/users.service.ts';
import { calendarOf } from '../org/work-calendar.service.ts';
import * as categories from './case-categories.repository.ts';
import * as events from './case-events.repository.ts';
import { mergedMessage, reporterOf, tellMergedReporters, tellReporter } from './case-messages.ts';
import { applyToRollups } from './case-rollups.repository.ts';
import { type CaseAction, type CaseState, checkTransition, escalate, nextState, RETURNS_BEFORE_ESCALATION } from './case-workflow.ts';
import * as repo from './cases.repository.ts';
import { relationTo, visibleCase } from './cases.service.ts';

export type TransitionInput = {
  action: CaseAction;
  note?: string;
  rating?: number;
  assigneeUserId?: string;
  departmentId?: string;
  categoryId?: string;
  mergeIntoId?: string;
  /** A check-in's position, or a mediation's parties and agreement: nothing else is kept. */
  details?: CheckInDetails | MediationDetails;
};

/** The one shape of details each action takes; any other action takes none. */
const DETAILS_OF: Partial<Record<CaseAction, (details: CheckInDetails | MediationDetails) => boolean>> = {
  checkIn: (d) => 'latitude' in d,
  recordMediation: (d) => 'parties' in d,
};

/**
 * Details are kept in the case's events as the handler's record, so they must be what the action
 * records and nothing more: a check-in's details are a position, a mediation's its parties, and no
 * action's details can stand in for the rating or assignee the events show.
 */
function checkDetails(input: TransitionInput): void {
  if (input.details === undefined) return;
  const fits = DETAILS_OF[input.action];
  if (!fits?.(input.details)) throw new AppError('validation_failed', {}, { field: 'details', problem: `not taken by ${input.action}` });
}

const MAX_ATTEMPTS = 5;

/**
 * Steps that move a case on and that a repeat by the same person, with the same words, should
 * answer as done rather than refuse. A check-in or a mediation record may rightly happen twice and
 * has its own keys; an assignment or an answer names a target or says something, and a second one
 * with other content is a new intent to be refused, not swallowed.
 */
const REPEATABLE = new Set<string>(['accept', 'handle', 'reply', 'close']);

/**
 * Moves a case by one action. The change is written only if the case is still as it was read
 * (version check); when a concurrent action got there first, the case is read again and the
 * action re-checked, so two people acting at once both land or the second is told why not.
 */
export async function transition(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: TransitionInput,
  idempotencyKey?: string,
): Promise<repo.CaseRecord> {
  if (input.action === 'rate' && (input.rating === undefined || input.rating < 1 || input.rating > 5))
    throw new AppError('rating_required');
  checkDetails(input);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `cases.transition:${id}`, payload: input };
  return runIdempotent(deps.db, request, async (trx) => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const caseItem = await repo.findCase(trx, id);
      if (!caseItem) throw notFound('case');
      const { kinds, visible } = await relationTo(trx, principal, caseItem);
      if (!visible) throw notFound('case');
      const problem = checkTransition(input.action, caseItem.state, kinds);
      if (problem === 'not_allowed') throw forbidden();
      if (problem) {
        // The same step again by the one who just took it (a double tap on 接单 or 办结 sent under
        // two keys): the case as it stands, nothing recorded twice. Anyone else is told it no longer fits.
        const last = await events.lastEvent(trx, id);
        const repeated =
          last?.action === input.action &&
          last.actorUserId === principal.userId &&
          last.toState === caseItem.state &&
          last.note === (input.note ?? null) &&
          REPEATABLE.has(input.action);
        if (repeated) return caseItem;
        throw new AppError('invalid_transition', {}, { state: caseItem.state, action: input.action });
      }

      const now = deps.now();
      if (input.action === 'object') checkObjectionPeriod(caseItem, deps.config.objectionDays, now);
      const to = nextState(input.action, caseItem.state, input.rating);
      const changes = await effectsOf(trx, principal, caseItem, input, to, now);
      const updated = await repo.updateCaseAtVersion(trx, id, caseItem.version, { ...changes, state: to, updated_at: now });
      if (!updated) continue;
      await events.insertEvent(trx, {
        id: uuidv7(now),
        caseId: id,
        action: input.action,
        fromState: caseItem.state,
        toState: to,
        actorUserId: actor.userId,
        actorRole: rolesOf(principal).join(','),
        note: input.note ?? null,
        details: eventDetails(input, changes),
        at: now,
      });
      await recordAudit(
        trx,
        actor,
        { action: `case.${input.action}`, targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
        now,
      );
      await applyToRollups(trx, caseItem, updated);
      await tellPeople(trx, updated, input.action, to, now);
      return updated;
    }
    throw new AppError('case_busy');
  });
}

function checkObjectionPeriod(caseItem: repo.CaseRecord, days: number, now: number): void {
  const since = caseItem.repliedAt ?? caseItem.closedAt ?? caseItem.updatedAt;
  if (now - since > days * 24 * 3_600_000) throw new AppError('objection_period_over', { days });
}

/** The reporter hears of the step; a merged case's reporter hears where it went, and later the outcome. */
async function tellPeople(trx: Kysely<DB>, updated: repo.CaseRecord, action: CaseAction, to: CaseState, now: number): Promise<void> {
  if (action === 'merge' && updated.mergedIntoId) {
    const target = (await repo.findCase(trx, updated.mergedIntoId)) as repo.CaseRecord;
    const recipient = reporterOf(updated);
    if (recipient) await notify(trx, recipient, mergedMessage(updated, target), now);
    return;
  }
  await tellReporter(trx, updated, action, to, now);
  if (action === 'reply' || action === 'close' || (action === 'rate' && to === 'closed')) {
    await tellMergedReporters(trx, await repo.listMergedInto(trx, updated.id), updated, action === 'rate' ? 'close' : action, now);
  }
}

function eventDetails(input: TransitionInput, changes: Record<string, unknown>): Record<string, unknown> | null {
  // The named fields last: they are what the case became, whatever the details said.
  const details = { ...input.details, ...(input.rating !== undefined && { rating: input.rating }), ...changes };
  return Object.keys(details).length > 0 ? details : null;
}

/** The columns an action changes besides the state. */
async function effectsOf(
  db: Kysely<DB>,
  principal: Principal,
  caseItem: repo.CaseRecord,
  input: TransitionInput,
  to: CaseState,
  now: number,
): Promise<Record<string, string | number | null>> {
  switch (input.action) {
    case 'answerOnSpot':
      return { answered_at: now };
    case 'assign':
    case 'transfer':
      return { ...(await assigneeFrom(db, input)), assigned_at: now };
    case 'accept':
      return { accepted_at: now };
    case 'handle':
      return { handled_at: now };
    case 'reply':
      return { replied_at: now };
    case 'returnForRework': {
      const returns = caseItem.returnCount + 1;
      if (returns < RETURNS_BEFORE_ESCALATION) return { return_count: returns };
      return { return_count: 0, escalation_level: escalate(caseItem.escalationLevel) };
    }
    // A reopened case keeps the time of its last reply (statistics count it); a new reply replaces it.
    case 'rate':
      return to === 'closed' ? { rating: input.rating ?? null, closed_at: now } : { rating: input.rating ?? null };
    case 'object':
    case 'reopen':
      return { closed_at: null };
    case 'close':
      return { closed_at: now };
    case 'merge': {
      if (!input.mergeIntoId || input.mergeIntoId === caseItem.id) throw new AppError('target_required');
      const target = await repo.findCase(db, input.mergeIntoId);
      // A case the actor cannot read is no target: merging into it would tell its number to the reporter.
      if (!target || target.mergedIntoId !== null || !(await visibleCase(db, principal, target))) throw notFound('case');
      return { merged_into_id: target.id, closed_at: now };
    }
    case 'reroute': {
      if (!input.categoryId) throw new AppError('target_required');
      const category = await categories.findCategory(db, input.categoryId);
      if (!category || category.countyId !== caseItem.placement.countyId) throw notFound('category');
      const assigneeUserId = category.routeTo === 'grid' ? ((await gridWorkerOf(db, caseItem.placement.regionId)) ?? null) : null;
      const calendar = await calendarOf(db, category.countyId);
      return {
        category_id: category.id,
        assignee_user_id: assigneeUserId,
        assignee_department_id: category.routeTo === 'department' ? category.departmentId : null,
        deadline_at: addWorkingHours(now, category.deadlineHours, calendar),
        assigned_at: now,
        // A new deadline gets its own reminder and overdue flag.
        reminded_at: null,
        overdue_at: null,
      };
    }
    default:
      return {};
  }
}

async function assigneeFrom(db: Kysely<DB>, input: TransitionInput): Promise<Record<string, string | null>> {
  if (input.departmentId) {
    if (!(await departmentExists(db, input.departmentId))) throw notFound('department');
    return { assignee_user_id: null, assignee_department_id: input.departmentId };
  }
  if (input.assigneeUserId) {
    if (!(await userExists(db, input.assigneeUserId))) throw notFound('user');
    return { assignee_user_id: input.assigneeUserId, assignee_department_id: null };
  }
  throw new AppError('target_required');
}
