// Questions: a household asks about a sick bird or a leaf, with photos; the extension worker of
// its township answers; both see the thread. A question still unanswered a working day after it
// was asked (the county's working calendar, platform/working-time.ts) is overdue and flagged.
import type { QuestionFilter } from '@cunzhi/contracts/agri';
import type { QuestionInput, QuestionMessageInput } from '@cunzhi/contracts/agri-questions';
import { allows, hasPermission, type Placement, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { addWorkingHours, type WorkCalendar } from '../../platform/working-time.ts';
import { notify } from '../notifications/notifications.service.ts';
import { holdersOfRolesAt } from '../org/duty-holders.service.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import { calendarOf } from '../org/work-calendar.service.ts';
import { farmHousehold, scopeWithin } from './agri-access.ts';
import * as farms from './agri-farms.repository.ts';
import { claimPhotos } from './agri-observations.service.ts';
import * as repo from './agri-questions.repository.ts';

export type { MessageRecord } from './agri-questions.repository.ts';

export type QuestionView = repo.QuestionRecord & { headName: string; overdue: boolean };

/** When a question asked at `askedAt` is due: one working day of the county's calendar later. */
export function questionDue(askedAt: number, calendar: WorkCalendar): number {
  return addWorkingHours(askedAt, (calendar.dayEndMinute - calendar.dayStartMinute) / 60, calendar);
}

async function views(deps: Deps, rows: repo.QuestionRecord[]): Promise<QuestionView[]> {
  const heads = await householdHeadsOf(
    deps,
    rows.map((r) => r.householdId),
  );
  const now = deps.now();
  return rows.map((q) => ({ ...q, headName: heads.get(q.householdId)?.headName ?? '', overdue: q.state === 'open' && now >= q.dueAt }));
}

export async function askQuestion(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: QuestionInput,
  key?: string,
): Promise<QuestionView> {
  if (!principal.householdId) throw forbidden();
  const household = await farmHousehold(deps, principal, actor, principal.householdId, 'agri.farm', 'agri.question.ask');
  if (input.text.trim() === '') throw new AppError('validation_failed', {}, [{ field: 'text', problem: 'blank' }]);
  if (input.plotId && input.flockId) throw new AppError('agri_subject_required');
  const subject = input.plotId
    ? await farms.findPlot(deps.reader, input.plotId)
    : input.flockId
      ? await farms.findFlock(deps.reader, input.flockId)
      : undefined;
  if ((input.plotId || input.flockId) && (!subject || subject.householdId !== household.id))
    throw notFound(input.plotId ? 'plot' : 'flock');
  const photoIds = [...new Set(input.photoIds ?? [])];
  const now = deps.now();
  const calendar = await calendarOf(deps.reader, household.placement.countyId ?? '');
  const question: repo.QuestionRecord = {
    id: uuidv7(now),
    householdId: household.id,
    placement: household.placement,
    plotId: input.plotId ?? null,
    flockId: input.flockId ?? null,
    subjectName: subject?.name ?? null,
    text: input.text.trim(),
    photoIds,
    state: 'open',
    askedBy: principal.userId,
    askedAt: now,
    dueAt: questionDue(now, calendar),
    answeredAt: null,
    answeredByName: null,
    updatedAt: now,
  };
  const workers = household.placement.townshipId
    ? await holdersOfRolesAt(deps.reader, ['extensionWorker'], household.placement.townshipId)
    : [];
  const id = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key, operation: 'agri.question.ask', payload: input },
    async (trx) => {
      await repo.insertQuestion(trx, question);
      await claimPhotos(trx, principal, photoIds, { type: 'question', id: question.id, householdId: household.id });
      for (const userId of workers)
        await notify(
          trx,
          { userId },
          {
            topic: 'agri.question',
            subjectType: 'question',
            subjectId: question.id,
            zh: `【农技提问】${household.headName}：${question.text.slice(0, 40)}`,
            en: `[Farm question] ${household.headName}: ${question.text.slice(0, 40)}`,
          },
          now,
        );
      await recordAudit(
        trx,
        actor,
        { action: 'agri.question.ask', targetType: 'question', targetId: question.id, regionId: household.placement.regionId },
        now,
      );
      return question.id;
    },
  );
  return (await views(deps, [(await repo.findQuestion(deps.db, id)) as repo.QuestionRecord]))[0] as QuestionView;
}

export async function listQuestions(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { state?: QuestionFilter; regionId?: string; limit?: number; cursor?: string },
  region?: Placement,
): Promise<Page<QuestionView>> {
  const scope = scopeWithin(principal, 'agri.read', region);
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const filter = query.state === 'overdue' ? { scope, overdueAt: deps.now() } : { scope, state: query.state };
  const rows = await repo.listQuestions(deps.reader, filter, before, limit + 1);
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'agri.questions.read',
      targetType: 'region',
      targetId: query.regionId ?? null,
      details: { count: Math.min(rows.length, limit) },
    },
    deps.now(),
  );
  const page = toPage(rows, limit, (q) => [q.id]);
  return { items: await views(deps, page.items), nextCursor: page.nextCursor };
}

/** The question, if the caller may see it; whether they answer it as the extension worker. */
async function requireQuestion(deps: Deps, principal: Principal, actor: Actor, id: string, auditAs: string) {
  const question = await repo.findQuestion(deps.db, id);
  if (!question) throw notFound('question');
  await farmHousehold(deps, principal, actor, question.householdId, 'agri.read', auditAs);
  const own = principal.householdId === question.householdId;
  const worker = hasPermission(principal, 'agri.advise') && allows(principal, 'agri.advise', question.placement);
  return { question, own, worker };
}

export type Thread = { question: QuestionView; messages: repo.MessageRecord[] };

export async function getThread(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<Thread> {
  const { question } = await requireQuestion(deps, principal, actor, id, 'agri.question.read');
  const messages = await repo.listMessages(deps.reader, id);
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.question.read', targetType: 'question', targetId: id, regionId: question.placement.regionId },
    deps.now(),
  );
  return { question: (await views(deps, [question]))[0] as QuestionView, messages };
}

/** A message in the thread: the extension worker's answer (the first one answers the question) or the household's follow-up. */
export async function addMessage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: QuestionMessageInput,
  key?: string,
): Promise<Thread> {
  const { question, own, worker } = await requireQuestion(deps, principal, actor, id, 'agri.question.message');
  if (!own && !worker) throw forbidden();
  if (question.state === 'closed') throw new AppError('question_state');
  if (input.text.trim() === '') throw new AppError('validation_failed', {}, [{ field: 'text', problem: 'blank' }]);
  const photoIds = [...new Set(input.photoIds ?? [])];
  const now = deps.now();
  const side = worker && !own ? 'extensionWorker' : 'household';
  await runIdempotent(
    deps.db,
    { principalId: principal.userId, key, operation: `agri.question.message:${id}`, payload: input },
    async (trx) => {
      const messageId = uuidv7(now);
      await repo.insertMessage(trx, {
        id: messageId,
        questionId: id,
        side,
        byUserId: principal.userId,
        byName: principal.displayName,
        text: input.text.trim(),
        photoIds,
        at: now,
      });
      await claimPhotos(trx, principal, photoIds, { type: 'message', id: messageId, householdId: question.householdId });
      if (side === 'extensionWorker' && question.state === 'open')
        await repo.setState(trx, id, 'open', { state: 'answered', answeredAt: now, answeredByName: principal.displayName, updatedAt: now });
      if (side === 'extensionWorker')
        await notify(
          trx,
          { userId: question.askedBy },
          {
            topic: 'agri.answer',
            subjectType: 'question',
            subjectId: id,
            zh: `农技员${principal.displayName}回复了您的提问`,
            en: `${principal.displayName} (extension worker) answered your question`,
          },
          now,
        );
      await recordAudit(
        trx,
        actor,
        { action: 'agri.question.message', targetType: 'question', targetId: id, regionId: question.placement.regionId, details: { side } },
        now,
      );
      return messageId;
    },
  );
  return getThread(deps, principal, actor, id);
}

export async function closeQuestion(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<Thread> {
  const { question, own, worker } = await requireQuestion(deps, principal, actor, id, 'agri.question.close');
  if (!own && !worker) throw forbidden();
  if (question.state === 'closed') throw new AppError('question_state');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.setState(trx, id, question.state, { state: 'closed', updatedAt: now }))) throw new AppError('question_state');
    await recordAudit(
      trx,
      actor,
      { action: 'agri.question.close', targetType: 'question', targetId: id, regionId: question.placement.regionId },
      now,
    );
  });
  return getThread(deps, principal, actor, id);
}
