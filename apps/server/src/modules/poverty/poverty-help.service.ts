// Help for a monitored household: measures by kind with who answers for them and by when, and the
// grid worker's follow-up visits that mark them done and set the next visit. The grid worker's
// task list gathers the households due a visit, a step it may take, or a measure falling due.
import type { MeasureInput, VisitInput } from '@cunzhi/contracts/poverty-monitored';
import { type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { earlierAnswer, runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { localDate, localDay } from '../../platform/time.ts';
import * as repo from './poverty.repository.ts';
import { reachableMonitored } from './poverty.service.ts';
import { officeKinds, yearOf } from './poverty-access.ts';
import { settingsFor } from './poverty-economics.service.ts';
import * as help from './poverty-help.repository.ts';
import { nextStep, STEP_ROLES } from './poverty-workflow.ts';

const DAY_MS = 24 * 3_600_000;
const FOLLOWED: string[] = ['identifying', 'monitored', 'removing'];

export async function addMeasure(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: MeasureInput,
): Promise<help.MeasureRecord> {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.measure.create');
  if (!FOLLOWED.includes(record.status)) throw new AppError('poverty_not_monitored');
  if (Number.isNaN(Date.parse(`${input.dueDate}T00:00:00+08:00`)))
    throw new AppError('validation_failed', {}, [{ field: 'dueDate', problem: 'not a date' }]);
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const measure = await help.insertMeasure(trx, record.placement, {
      id: uuidv7(now),
      monitoredId: id,
      kind: input.kind,
      description: input.description.trim(),
      responsible: input.responsible.trim(),
      dueDate: input.dueDate,
      doneAt: null,
      createdBy: principal.userId,
      createdAt: now,
    });
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.measure.create',
        targetType: 'monitoredHousehold',
        targetId: id,
        regionId: record.placement.regionId,
        details: { kind: input.kind },
      },
      now,
    );
    return measure;
  });
}

/**
 * A follow-up visit by the grid worker or a cadre: what they found, the measures now done, and the
 * next visit due. Sent from the phone's outbox with an Idempotency-Key: a retry records it once.
 */
export async function recordVisit(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: VisitInput,
  idempotencyKey?: string,
): Promise<help.VisitRecord> {
  const once = { principalId: principal.userId, key: idempotencyKey, operation: `poverty.visit:${id}`, payload: input };
  const earlier = await earlierAnswer<help.VisitRecord>(deps.db, once);
  if (earlier) return earlier;
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.visit');
  const kinds = officeKinds(principal, record.placement);
  if (!kinds.includes('grid') && !kinds.includes('village')) {
    await recordAudit(
      deps.db,
      actor,
      { action: 'poverty.visit', outcome: 'denied', targetType: 'monitoredHousehold', targetId: id, regionId: record.placement.regionId },
      deps.now(),
    );
    throw forbidden();
  }
  if (!FOLLOWED.includes(record.status)) throw new AppError('poverty_not_monitored');
  // What was seen is written down (as at the home visit); a measure named must be this household's.
  const note = input.note.trim();
  if (note === '') throw new AppError('validation_failed', {}, [{ field: 'note', problem: 'the visit records what was seen' }]);
  const named = input.measuresDone ?? [];
  if ((await help.measuresAmong(deps.db, id, named)).length !== new Set(named).size)
    throw new AppError('validation_failed', {}, [{ field: 'measuresDone', problem: "not one of the household's measures" }]);
  const now = deps.now();
  const settings = await settingsFor(deps, record.placement.countyId, yearOf(now));
  return runIdempotent(deps.db, once, async (trx) => {
    const done = await help.markMeasuresDone(trx, id, input.measuresDone ?? [], now);
    const visit = await help.insertVisit(trx, id, {
      id: uuidv7(now),
      note,
      visitorUserId: principal.userId,
      visitorName: principal.displayName,
      measuresDone: done,
      at: now,
    });
    // The visit is its own record; the next one falls due whatever else changed the household meanwhile.
    const fresh = await repo.findMonitored(trx, id);
    if (fresh && fresh.status === 'monitored')
      await repo.updateMonitored(trx, id, fresh.version, { nextVisitDueAt: now + settings.visitIntervalDays * DAY_MS }, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.visit',
        targetType: 'monitoredHousehold',
        targetId: id,
        regionId: record.placement.regionId,
        details: { measuresDone: done.length },
      },
      now,
    );
    return visit;
  });
}

export type Task = {
  monitoredId: string;
  householdId: string;
  headName: string;
  kind: 'visitDue' | 'stepDue' | 'measureDue';
  step: string | null;
  dueAt: number | null;
  status: string;
};

/**
 * The caller's work, as its task list shows it: households whose procedure waits for a step this
 * caller's office takes, monitored households due a visit within three days, and measures due
 * within a week. A grid worker sees its grid's, a cadre its village's.
 */
export async function myTasks(deps: Deps, principal: Principal, actor: Actor): Promise<Task[]> {
  const now = deps.now();
  const scope = scopeFor(principal, 'poverty.read');
  const records = await repo.listOpenInScope(deps.reader, scope, now + 3 * DAY_MS, 300);
  const tasks: Task[] = [];
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const record of records) {
    const base = { monitoredId: record.id, householdId: record.householdId, headName: record.headName, status: record.status };
    const step = nextStep(record);
    if (step) {
      if (STEP_ROLES[step].some((kind) => officeKinds(principal, record.placement).includes(kind)))
        tasks.push({ ...base, kind: 'stepDue', step, dueAt: step === 'townshipReview' ? record.noticeEndsAt : null });
    } else if (record.nextVisitDueAt !== null) tasks.push({ ...base, kind: 'visitDue', step: null, dueAt: record.nextVisitDueAt });
  }
  const byDate = localDate(localDay(now) + 7);
  for (const measure of await help.measuresDueInScope(deps.reader, scope, byDate, 100)) {
    const record = byId.get(measure.monitoredId) ?? (await repo.findMonitored(deps.reader, measure.monitoredId));
    if (record?.status !== 'monitored') continue;
    tasks.push({
      monitoredId: record.id,
      householdId: record.householdId,
      headName: record.headName,
      kind: 'measureDue',
      step: measure.kind,
      dueAt: Date.parse(`${measure.dueDate}T00:00:00+08:00`),
      status: record.status,
    });
  }
  // The list names households at risk and why they wait: audited as the desk's list is.
  await recordAudit(
    deps.db,
    actor,
    { action: 'poverty.tasks.read', targetType: 'monitoredHousehold', details: { count: tasks.length } },
    now,
  );
  return tasks;
}
