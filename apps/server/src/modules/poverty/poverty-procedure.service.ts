// The identification procedure and the removal path, step by step (rules in poverty-workflow.ts):
// each step recorded with who, when and evidence; the public notice with its objection window; the
// removal started only when income has stayed above the line with the causes resolved.
import { createHash } from 'node:crypto';
import type { ProcedureStep } from '@cunzhi/contracts/poverty';
import type { StepInput } from '@cunzhi/contracts/poverty-monitored';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { earlierAnswer, runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import * as repo from './poverty.repository.ts';
import { reachableMonitored } from './poverty.service.ts';
import { officeKinds, yearOf } from './poverty-access.ts';
import { incomeHistory, settingsFor } from './poverty-economics.service.ts';
import { countOpenMeasures } from './poverty-help.repository.ts';
import { afterStep, checkStep, noticeRunning, removalProblem } from './poverty-workflow.ts';

const DAY_MS = 24 * 3_600_000;

async function denied(deps: Deps, actor: Actor, action: string, record: repo.MonitoredRecord, details?: Record<string, unknown>) {
  await recordAudit(
    deps.db,
    actor,
    { action, outcome: 'denied', targetType: 'monitoredHousehold', targetId: record.id, regionId: record.placement.regionId, details },
    deps.now(),
  );
}

const phaseOf = (record: repo.MonitoredRecord) => (record.status === 'removing' ? 'removal' : 'identification');

/**
 * Takes the next step of the running procedure; out of order, by the wrong office or on a changed
 * record it is refused. The grid worker's phone sends the home visit from its outbox with an
 * Idempotency-Key: a retry of a step that landed gets the first answer, not "changed meanwhile".
 */
export async function takeStep(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: StepInput,
  idempotencyKey?: string,
): Promise<repo.MonitoredRecord> {
  const once = { principalId: principal.userId, key: idempotencyKey, operation: `poverty.step:${id}`, payload: input };
  const earlier = await earlierAnswer<repo.MonitoredRecord>(deps.db, once);
  if (earlier) return earlier;
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.step');
  const kinds = officeKinds(principal, record.placement);
  const now = deps.now();
  const named = new Set(input.evidenceIds ?? []);
  const evidence = (await repo.evidenceOf(deps.db, id)).filter((e) => e.stepEventId === null && named.has(e.id));
  if (evidence.length !== named.size) throw notFound('povertyEvidence');
  const objections = await repo.objectionsOf(deps.db, id);
  const problem = checkStep(record, input.step, input.decision, kinds, {
    now,
    noticeEndsAt: record.noticeEndsAt,
    openObjections: objections.filter((o) => o.resolvedAt === null).length,
    evidenceCount: evidence.length,
  });
  if (problem === 'forbidden') {
    await denied(deps, actor, 'poverty.step', record, { step: input.step });
    throw forbidden();
  }
  if (problem) throw new AppError(problem);
  if (input.version !== record.version) throw new AppError('poverty_changed');
  // The home visit is the household's first meeting with the procedure: what was found is written down.
  if (input.step === 'homeVisit' && !input.note?.trim())
    throw new AppError('validation_failed', {}, [{ field: 'note', problem: 'the home visit records what was found' }]);
  if (
    input.step === 'dataComparison' &&
    input.decision === 'approve' &&
    record.status === 'identifying' &&
    !input.category &&
    !record.category
  )
    throw new AppError('validation_failed', {}, [{ field: 'category', problem: 'the comparison names the category' }]);

  const settings = await settingsFor(deps, record.placement.countyId, yearOf(now));
  const next = afterStep(record, input.decision);
  const changes: repo.MonitoredChanges = { status: next.status, doneSteps: next.doneSteps };
  if (input.step === 'dataComparison' && record.status === 'identifying' && input.category) changes.category = input.category;
  if (input.step === 'publicNotice') {
    changes.noticeStartsAt = now;
    changes.noticeEndsAt = now + settings.noticeDays * DAY_MS;
    changes.noticeText = input.noticeText?.trim() || null;
  }
  if (record.status === 'identifying' && next.status === 'monitored') {
    changes.monitoredAt = now;
    changes.nextVisitDueAt = now + settings.visitIntervalDays * DAY_MS;
  }
  if (next.status === 'removed') {
    changes.removedAt = now;
    changes.nextVisitDueAt = null;
  }
  if (next.status === 'dismissed') changes.nextVisitDueAt = null;

  return runIdempotent(deps.db, once, async (trx) => {
    if (!(await repo.updateMonitored(trx, id, record.version, changes, now))) throw new AppError('poverty_changed');
    const eventId = uuidv7(now);
    await repo.insertStepEvent(trx, id, {
      id: eventId,
      phase: phaseOf(record),
      step: input.step,
      decision: input.decision,
      actorUserId: principal.userId,
      actorName: principal.displayName,
      actorRole: actor.roles,
      note: input.note?.trim() || null,
      at: now,
    });
    await repo.attachEvidence(
      trx,
      id,
      evidence.map((e) => e.id),
      eventId,
    );
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.step',
        targetType: 'monitoredHousehold',
        targetId: id,
        regionId: record.placement.regionId,
        details: { phase: phaseOf(record), step: input.step, decision: input.decision },
      },
      now,
    );
    return { ...record, ...changes, version: record.version + 1 } as repo.MonitoredRecord;
  });
}

/**
 * The village (its grid worker or cadre) proposes removing the risk: income stably above the line
 * for the county's months, the causes resolved and every measure done, and labour in the household.
 */
export async function startRemoval(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { note?: string; version: number },
): Promise<repo.MonitoredRecord> {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.removal.start');
  const kinds = officeKinds(principal, record.placement);
  if (!kinds.includes('grid') && !kinds.includes('village')) {
    await denied(deps, actor, 'poverty.removal.start', record);
    throw forbidden();
  }
  const now = deps.now();
  const settings = await settingsFor(deps, record.placement.countyId, yearOf(now));
  const readings = (await incomeHistory(deps, record.householdId)).map((r) => ({
    recordedAt: r.recordedAt,
    perCapitaLast12: r.perCapitaLast12,
    labour: r.labour,
    causesResolved: r.causesResolved,
  }));
  const problem = removalProblem(
    record.status,
    readings,
    settings.incomeLine,
    settings.stableMonths,
    now,
    await countOpenMeasures(deps.db, id),
  );
  if (problem) throw new AppError(problem, { months: settings.stableMonths });
  if (input.version !== record.version) throw new AppError('poverty_changed');
  const changes: repo.MonitoredChanges = { status: 'removing', doneSteps: 0, noticeStartsAt: null, noticeEndsAt: null, noticeText: null };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateMonitored(trx, id, record.version, changes, now))) throw new AppError('poverty_changed');
    await repo.insertStepEvent(trx, id, {
      id: uuidv7(now),
      phase: 'removal',
      step: 'start',
      decision: 'approve',
      actorUserId: principal.userId,
      actorName: principal.displayName,
      actorRole: actor.roles,
      note: input.note?.trim() || null,
      at: now,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'poverty.removal.start', targetType: 'monitoredHousehold', targetId: id, regionId: record.placement.regionId },
      now,
    );
    return { ...record, ...changes, version: record.version + 1 } as repo.MonitoredRecord;
  });
}

/** A household's evidence files that no step names yet, at most (README "Evidence files"). */
export const MAX_UNATTACHED_EVIDENCE = 30;

/**
 * A photo or PDF for a step (the signed authorisation, the review's minutes, the home visit's
 * photos); kept until a step names it. The phone mints the id (`evidenceId`) so that the step
 * waiting behind it in the outbox can name it before either is sent; a retry under the same
 * Idempotency-Key stores it once.
 */
export async function uploadEvidence(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  body: Buffer,
  options: { evidenceId?: string; idempotencyKey?: string } = {},
): Promise<repo.EvidenceRecord> {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.evidence.upload');
  const uploadHash = createHash('sha256').update(body).digest('hex');
  const once = {
    principalId: principal.userId,
    key: options.idempotencyKey,
    operation: `poverty.evidence:${id}`,
    payload: { uploadHash, evidenceId: options.evidenceId ?? null },
  };
  const earlier = await earlierAnswer<repo.EvidenceRecord>(deps.db, once);
  if (earlier) return earlier;
  if ((await repo.countUnattachedEvidence(deps.db, id)) >= MAX_UNATTACHED_EVIDENCE) throw new AppError('poverty_evidence_too_many');
  const document = await checkDocument(body);
  const now = deps.now();
  const evidenceId = options.evidenceId ?? uuidv7(now);
  if (options.evidenceId && (await repo.evidenceExists(deps.db, evidenceId)))
    throw new AppError('validation_failed', {}, [{ field: 'evidenceId', problem: 'already used' }]);
  const fileKey = `poverty/${id}/${evidenceId}`;
  await deps.files.put(fileKey, document.data);
  return runIdempotent(deps.db, once, async (trx) => {
    const saved = await repo.insertEvidence(trx, id, {
      id: evidenceId,
      fileKey,
      contentType: document.contentType,
      stepEventId: null,
      uploadedAt: now,
      uploadedBy: principal.userId,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'poverty.evidence.upload', targetType: 'povertyEvidence', targetId: evidenceId, regionId: record.placement.regionId },
      now,
    );
    return saved;
  });
}

export async function evidenceFile(deps: Deps, principal: Principal, actor: Actor, id: string, evidenceId: string) {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.evidence.view');
  const evidence = (await repo.evidenceOf(deps.reader, id)).find((e) => e.id === evidenceId);
  const data = evidence && (await deps.files.get(evidence.fileKey));
  if (!evidence || !data) throw notFound('povertyEvidence');
  await recordAudit(
    deps.db,
    actor,
    { action: 'poverty.evidence.view', targetType: 'povertyEvidence', targetId: evidenceId, regionId: record.placement.regionId },
    deps.now(),
  );
  return { contentType: evidence.contentType, data };
}

/**
 * An objection while the notice runs: from a villager of the same village (on the phone), or
 * written down by an office of the place for someone who came to say it.
 */
export async function raiseObjection(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  text: string,
): Promise<repo.ObjectionRecord> {
  const record = await repo.findMonitored(deps.db, id);
  if (!record) throw notFound('monitoredHousehold');
  const ownHousehold = principal.householdId
    ? (await householdHeadsOf(deps, [principal.householdId])).get(principal.householdId)
    : undefined;
  const neighbour = ownHousehold !== undefined && ownHousehold.placement.villageId === record.placement.villageId;
  const office = officeKinds(principal, record.placement).length > 0;
  const now = deps.now();
  // Outside the notice the record is nobody's business but its offices': the same answer as a missing one.
  if (!office && !(neighbour && noticeRunning(record, record.noticeEndsAt, now))) {
    await denied(deps, actor, 'poverty.objection.raise', record);
    throw notFound('monitoredHousehold');
  }
  if (!noticeRunning(record, record.noticeEndsAt, now)) throw new AppError('poverty_not_noticed');
  return deps.db.transaction().execute(async (trx) => {
    const objection = await repo.insertObjection(trx, id, {
      id: uuidv7(now),
      text: text.trim(),
      raisedBy: principal.userId,
      raisedAt: now,
      upheld: null,
      resolution: null,
      resolvedAt: null,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'poverty.objection.raise', targetType: 'monitoredHousehold', targetId: id, regionId: record.placement.regionId },
      now,
    );
    return objection;
  });
}

/** The village answers an objection; one upheld ends the procedure as a rejection at the notice would. */
export async function resolveObjection(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  objectionId: string,
  answer: { upheld: boolean; note: string },
): Promise<repo.ObjectionRecord> {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.objection.resolve');
  if (!officeKinds(principal, record.placement).includes('village')) {
    await denied(deps, actor, 'poverty.objection.resolve', record);
    throw forbidden();
  }
  const objection = (await repo.objectionsOf(deps.db, id)).find((o) => o.id === objectionId && o.resolvedAt === null);
  if (!objection) throw notFound('objection');
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const resolution = answer.note.trim();
    if (!(await repo.resolveObjection(trx, id, objectionId, { upheld: answer.upheld, resolution, by: principal.userId, at: now })))
      throw notFound('objection');
    if (answer.upheld) {
      const next = afterStep(record, 'reject');
      const changes: repo.MonitoredChanges = { status: next.status, doneSteps: next.doneSteps };
      if (!(await repo.updateMonitored(trx, id, record.version, changes, now))) throw new AppError('poverty_changed');
      await repo.insertStepEvent(trx, id, {
        id: uuidv7(now),
        phase: phaseOf(record),
        step: 'publicNotice' satisfies ProcedureStep,
        decision: 'reject',
        actorUserId: principal.userId,
        actorName: principal.displayName,
        actorRole: actor.roles,
        note: resolution,
        at: now,
      });
    }
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.objection.resolve',
        targetType: 'monitoredHousehold',
        targetId: id,
        regionId: record.placement.regionId,
        details: { upheld: answer.upheld },
      },
      now,
    );
    return { ...objection, upheld: answer.upheld, resolution, resolvedAt: now };
  });
}
