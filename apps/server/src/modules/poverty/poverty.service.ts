// Monitored households: flagged by a grid worker's or cadre's visit, or by the household itself on
// the phone (农户自主申报); listed for the offices of their place by status, category and step;
// read as a whole file (audited: it tells why the household is at risk).
import type { MonitoredStatus, PovertyCategory, ProcedureStep } from '@cunzhi/contracts/poverty';
import { PROCEDURE_STEPS } from '@cunzhi/contracts/poverty';
import type { FlagInput, SelfReportInput } from '@cunzhi/contracts/poverty-monitored';
import { placementColumn } from '../../db/scope-filter.ts';
import { type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as repo from './poverty.repository.ts';
import { guardPlace, officeKinds } from './poverty-access.ts';
import { incomeHistory } from './poverty-economics.service.ts';
import { openFlag } from './poverty-flags.service.ts';
import * as help from './poverty-help.repository.ts';
import { stepsFor } from './poverty-workflow.ts';

export type { MonitoredRecord } from './poverty.repository.ts';

/** A grid worker or cadre flags a household after a visit; a second flag of a household already followed is refused. */
export async function flagByVisit(deps: Deps, principal: Principal, actor: Actor, input: FlagInput): Promise<repo.MonitoredRecord> {
  const household = (await householdHeadsOf(deps, [input.householdId])).get(input.householdId);
  if (!household) throw notFound('household');
  await guardPlace(deps, principal, actor, 'poverty.flag', household.placement, {
    type: 'household',
    id: household.id,
    notFound: 'household',
  });
  const formerlyPoor = (await incomeHistory(deps, household.id))[0]?.formerlyPoor ?? false;
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const { record, created } = await openFlag(trx, {
      household,
      source: 'visit',
      reasons: input.reasons,
      formerlyPoor,
      note: input.note?.trim() || null,
      by: { userId: principal.userId, name: principal.displayName, roles: actor.roles },
      now,
    });
    if (!created) throw new AppError('poverty_already_flagged');
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.flag',
        targetType: 'monitoredHousehold',
        targetId: record.id,
        regionId: household.placement.regionId,
        details: { reasons: input.reasons },
      },
      now,
    );
    return record;
  });
}

/**
 * A villager reports their own household at risk from the phone. A retry with the same
 * Idempotency-Key gets the first answer; a report while a record is open adds its reasons to it.
 */
export async function selfReport(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: SelfReportInput,
  idempotencyKey: string | undefined,
): Promise<repo.MonitoredRecord> {
  const householdId = principal.householdId;
  const household = householdId ? (await householdHeadsOf(deps, [householdId])).get(householdId) : undefined;
  if (!household) {
    await recordAudit(deps.db, actor, { action: 'poverty.self_report', outcome: 'denied', targetType: 'household' }, deps.now());
    throw notFound('household');
  }
  const formerlyPoor = (await incomeHistory(deps, household.id))[0]?.formerlyPoor ?? false;
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'poverty.selfReport', payload: input },
    async (trx) => {
      const now = deps.now();
      const { record } = await openFlag(trx, {
        household,
        source: 'selfReport',
        reasons: input.reasons,
        formerlyPoor,
        note: input.note?.trim() || null,
        by: { userId: principal.userId, name: principal.displayName, roles: actor.roles },
        now,
      });
      await recordAudit(
        trx,
        actor,
        { action: 'poverty.self_report', targetType: 'monitoredHousehold', targetId: record.id, regionId: household.placement.regionId },
        now,
      );
      return record;
    },
  );
}

/**
 * What a villager sees of monitoring: their own household's open record, as far as the procedure
 * has gone and the difficulties a family may report of itself (not the office's income or
 * assurance findings, no figures, nobody else's). Audited as every read of it is.
 */
export async function ownSelfReport(deps: Deps, principal: Principal, actor: Actor): Promise<repo.MonitoredRecord | null> {
  const householdId = principal.householdId;
  const record = householdId ? ((await repo.findOpenOfHousehold(deps.reader, householdId)) ?? null) : null;
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'poverty.self_report.read',
      targetType: record ? 'monitoredHousehold' : 'household',
      targetId: record?.id ?? householdId ?? null,
      regionId: record?.placement.regionId ?? null,
    },
    deps.now(),
  );
  return record;
}

export type MonitoredQuery = {
  status?: MonitoredStatus;
  /** Only the households still followed (being identified, monitored, or being removed): what the figures count by category. */
  followed?: boolean;
  category?: PovertyCategory;
  step?: ProcedureStep;
  regionId?: string;
  limit?: number;
  cursor?: string;
};

/** The list names households and why they are at risk: the read is audited (how many, which filter), as the file is. */
export async function listMonitored(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: MonitoredQuery,
): Promise<Page<repo.MonitoredRecord>> {
  const limit = query.limit ?? 20;
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const after = decodeCursor(query.cursor, ['text']);
  const rows = await repo.listMonitored(
    deps.reader,
    {
      scope: scopeFor(principal, 'poverty.read'),
      status: query.status,
      followed: query.followed,
      category: query.category,
      doneSteps: query.step ? PROCEDURE_STEPS.indexOf(query.step) : undefined,
      region: region && { column: placementColumn(region), id: region.id },
    },
    after,
    limit,
  );
  const page = toPage(rows, limit, (m) => [m.id]);
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'poverty.monitored.list',
      targetType: 'monitoredHousehold',
      regionId: region?.id ?? null,
      details: { count: page.items.length, status: query.status ?? null, category: query.category ?? null, step: query.step ?? null },
    },
    deps.now(),
  );
  return page;
}

/** A monitored household that the caller may reach; refusals are audited under `action`. */
export async function reachableMonitored(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  action: string,
): Promise<repo.MonitoredRecord> {
  const record = await repo.findMonitored(deps.db, id);
  if (!record) throw notFound('monitoredHousehold');
  await guardPlace(deps, principal, actor, action, record.placement, { type: 'monitoredHousehold', id, notFound: 'monitoredHousehold' });
  return record;
}

/** The whole file: steps with who and when, measures, visits, objections and evidence; the read is audited. */
export async function monitoredDetail(deps: Deps, principal: Principal, actor: Actor, id: string) {
  const record = await reachableMonitored(deps, principal, actor, id, 'poverty.monitored.read');
  const [steps, measures, visits, objections, evidence] = await Promise.all([
    repo.stepEventsOf(deps.reader, id),
    help.measuresOf(deps.reader, id),
    help.visitsOf(deps.reader, id),
    repo.objectionsOf(deps.reader, id),
    repo.evidenceOf(deps.reader, id),
  ]);
  await recordAudit(
    deps.db,
    actor,
    { action: 'poverty.monitored.read', targetType: 'monitoredHousehold', targetId: id, regionId: record.placement.regionId },
    deps.now(),
  );
  const mayTake = stepsFor(record, officeKinds(principal, record.placement));
  return { record, steps, measures, visits, objections, evidence, mayTake };
}
