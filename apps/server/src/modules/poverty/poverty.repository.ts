// Monitored households with their running procedure, each step's record, evidence files and the
// objections to a public notice.
import type { MonitoredStatus } from '@cunzhi/contracts/poverty';
import type { Kysely, Updateable } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { placedColumns } from '../../db/placement.ts';
import type { DB, PovertyMonitoredTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type MonitoredRecord = {
  id: string;
  householdId: string;
  householdNumber: string;
  headName: string;
  placement: Placement & { householdId: string };
  category: string | null;
  status: MonitoredStatus;
  doneSteps: number;
  source: string;
  reasons: string[];
  noticeText: string | null;
  noticeStartsAt: number | null;
  noticeEndsAt: number | null;
  nextVisitDueAt: number | null;
  flaggedBy: string | null;
  flaggedAt: number;
  monitoredAt: number | null;
  removedAt: number | null;
  version: number;
};

const num = (v: number | null) => (v === null ? null : Number(v));

const fromRow = (r: PovertyMonitoredTable): MonitoredRecord => ({
  id: r.id,
  householdId: r.household_id,
  householdNumber: r.household_number,
  headName: r.head_name,
  placement: {
    regionId: r.region_id,
    villageId: r.village_id,
    townshipId: r.township_id,
    countyId: r.county_id,
    householdId: r.household_id,
  },
  category: r.category,
  status: r.status as MonitoredStatus,
  doneSteps: r.done_steps,
  source: r.source,
  reasons: JSON.parse(r.reasons) as string[],
  noticeText: r.notice_text,
  noticeStartsAt: num(r.notice_starts_at),
  noticeEndsAt: num(r.notice_ends_at),
  nextVisitDueAt: num(r.next_visit_due_at),
  flaggedBy: r.flagged_by,
  flaggedAt: Number(r.flagged_at),
  monitoredAt: num(r.monitored_at),
  removedAt: num(r.removed_at),
  version: r.version,
});

export async function insertMonitored(db: Kysely<DB>, m: MonitoredRecord, now: number): Promise<MonitoredRecord> {
  await db
    .insertInto('poverty_monitored')
    .values({
      id: m.id,
      household_id: m.householdId,
      household_number: m.householdNumber,
      head_name: m.headName,
      ...placedColumns(m.placement),
      category: m.category,
      status: m.status,
      done_steps: m.doneSteps,
      source: m.source,
      reasons: JSON.stringify(m.reasons),
      notice_text: m.noticeText,
      notice_starts_at: m.noticeStartsAt,
      notice_ends_at: m.noticeEndsAt,
      next_visit_due_at: m.nextVisitDueAt,
      flagged_by: m.flaggedBy,
      flagged_at: m.flaggedAt,
      monitored_at: m.monitoredAt,
      removed_at: m.removedAt,
      version: m.version,
      updated_at: now,
    })
    .execute();
  return m;
}

export async function findMonitored(db: Kysely<DB>, id: string): Promise<MonitoredRecord | undefined> {
  const row = await db.selectFrom('poverty_monitored').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

/** The household's open record (being identified, monitored or being removed), if any. */
export async function findOpenOfHousehold(db: Kysely<DB>, householdId: string): Promise<MonitoredRecord | undefined> {
  const row = await db
    .selectFrom('poverty_monitored')
    .selectAll()
    .where('household_id', '=', householdId)
    .where('status', 'in', ['identifying', 'monitored', 'removing'])
    .orderBy('flagged_at', 'desc')
    .executeTakeFirst();
  return row && fromRow(row);
}

export type MonitoredChanges = Partial<{
  category: string | null;
  status: MonitoredStatus;
  doneSteps: number;
  reasons: string[];
  noticeText: string | null;
  noticeStartsAt: number | null;
  noticeEndsAt: number | null;
  nextVisitDueAt: number | null;
  monitoredAt: number | null;
  removedAt: number | null;
}>;

/** Applies the changes if the record is still at `version`; false when someone changed it first. */
export async function updateMonitored(
  db: Kysely<DB>,
  id: string,
  version: number,
  changes: MonitoredChanges,
  now: number,
): Promise<boolean> {
  const set: Updateable<PovertyMonitoredTable> = {
    version: version + 1,
    updated_at: now,
    ...(changes.category !== undefined && { category: changes.category }),
    ...(changes.status !== undefined && { status: changes.status }),
    ...(changes.doneSteps !== undefined && { done_steps: changes.doneSteps }),
    ...(changes.reasons !== undefined && { reasons: JSON.stringify(changes.reasons) }),
    ...(changes.noticeText !== undefined && { notice_text: changes.noticeText }),
    ...(changes.noticeStartsAt !== undefined && { notice_starts_at: changes.noticeStartsAt }),
    ...(changes.noticeEndsAt !== undefined && { notice_ends_at: changes.noticeEndsAt }),
    ...(changes.nextVisitDueAt !== undefined && { next_visit_due_at: changes.nextVisitDueAt }),
    ...(changes.monitoredAt !== undefined && { monitored_at: changes.monitoredAt }),
    ...(changes.removedAt !== undefined && { removed_at: changes.removedAt }),
  };
  const result = await db.updateTable('poverty_monitored').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The records still followed: the desk's default list and what the figures count by category. */
export const FOLLOWED_STATUSES: MonitoredStatus[] = ['identifying', 'monitored', 'removing'];

export type MonitoredFilter = {
  scope: Scope;
  status?: MonitoredStatus;
  followed?: boolean;
  category?: string;
  /** With a step: the records whose procedure waits for it (by the number of steps done). */
  doneSteps?: number;
  region?: { column: 'county_id' | 'township_id' | 'village_id' | 'region_id'; id: string };
};

export async function listMonitored(
  db: Kysely<DB>,
  filter: MonitoredFilter,
  after: readonly [string] | undefined,
  limit: number,
): Promise<MonitoredRecord[]> {
  let query = db
    .selectFrom('poverty_monitored as m')
    .selectAll('m')
    .where(inScope(filter.scope, { table: 'm' }));
  if (filter.status) query = query.where('m.status', '=', filter.status);
  if (filter.followed) query = query.where('m.status', 'in', FOLLOWED_STATUSES);
  if (filter.category) query = query.where('m.category', '=', filter.category);
  if (filter.doneSteps !== undefined)
    query = query.where('m.done_steps', '=', filter.doneSteps).where('m.status', 'in', ['identifying', 'removing']);
  if (filter.region) query = query.where(`m.${filter.region.column}`, '=', filter.region.id);
  const rows = await keysetPage(query, [['m.id', 'desc']], after, limit).execute();
  return rows.map(fromRow);
}

/** The open records in a scope that someone must act on: a procedure running or a visit due by `dueBy`. */
export async function listOpenInScope(db: Kysely<DB>, scope: Scope, dueBy: number, limit: number): Promise<MonitoredRecord[]> {
  const rows = await db
    .selectFrom('poverty_monitored as m')
    .selectAll('m')
    .where(inScope(scope, { table: 'm' }))
    .where((eb) =>
      eb.or([
        eb('m.status', 'in', ['identifying', 'removing']),
        eb.and([eb('m.status', '=', 'monitored'), eb('m.next_visit_due_at', '<=', dueBy)]),
      ]),
    )
    .orderBy('m.flagged_at')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** The records under public notice in a village while it runs: what the public page shows. */
export async function listNoticed(db: Kysely<DB>, villageId: string, now: number): Promise<MonitoredRecord[]> {
  const rows = await db
    .selectFrom('poverty_monitored')
    .selectAll()
    .where('village_id', '=', villageId)
    .where('status', 'in', ['identifying', 'removing'])
    .where('notice_starts_at', '<=', now)
    .where('notice_ends_at', '>', now)
    .orderBy('notice_starts_at')
    .limit(200)
    .execute();
  return rows.map(fromRow);
}

export type StepEventRecord = {
  id: string;
  phase: 'flag' | 'identification' | 'removal';
  step: string;
  decision: string;
  actorUserId: string | null;
  actorName: string | null;
  actorRole: string | null;
  note: string | null;
  at: number;
};

export async function insertStepEvent(db: Kysely<DB>, monitoredId: string, e: StepEventRecord): Promise<void> {
  await db
    .insertInto('poverty_step_events')
    .values({
      id: e.id,
      monitored_id: monitoredId,
      phase: e.phase,
      step: e.step,
      decision: e.decision,
      actor_user_id: e.actorUserId,
      actor_name: e.actorName,
      actor_role: e.actorRole,
      note: e.note,
      at: e.at,
    })
    .execute();
}

export async function stepEventsOf(db: Kysely<DB>, monitoredId: string): Promise<StepEventRecord[]> {
  const rows = await db
    .selectFrom('poverty_step_events')
    .selectAll()
    .where('monitored_id', '=', monitoredId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    phase: r.phase as StepEventRecord['phase'],
    step: r.step,
    decision: r.decision,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    note: r.note,
    at: Number(r.at),
  }));
}

export type EvidenceRecord = { id: string; fileKey: string; contentType: string; stepEventId: string | null; uploadedAt: number };

export async function insertEvidence(
  db: Kysely<DB>,
  monitoredId: string,
  e: EvidenceRecord & { uploadedBy: string },
): Promise<EvidenceRecord> {
  await db
    .insertInto('poverty_evidence')
    .values({
      id: e.id,
      monitored_id: monitoredId,
      file_key: e.fileKey,
      content_type: e.contentType,
      step_event_id: null,
      uploaded_by: e.uploadedBy,
      uploaded_at: e.uploadedAt,
    })
    .execute();
  return { id: e.id, fileKey: e.fileKey, contentType: e.contentType, stepEventId: null, uploadedAt: e.uploadedAt };
}

export async function evidenceOf(db: Kysely<DB>, monitoredId: string): Promise<EvidenceRecord[]> {
  const rows = await db.selectFrom('poverty_evidence').selectAll().where('monitored_id', '=', monitoredId).orderBy('uploaded_at').execute();
  return rows.map((r) => ({
    id: r.id,
    fileKey: r.file_key,
    contentType: r.content_type,
    stepEventId: r.step_event_id,
    uploadedAt: Number(r.uploaded_at),
  }));
}

/** How many of a household's evidence files no step names yet. */
export async function countUnattachedEvidence(db: Kysely<DB>, monitoredId: string): Promise<number> {
  const row = await db
    .selectFrom('poverty_evidence')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('monitored_id', '=', monitoredId)
    .where('step_event_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether an evidence id is taken already (the phone mints them). */
export async function evidenceExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('poverty_evidence').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Ties the unattached evidence named to a step's record; returns how many it tied. */
export async function attachEvidence(db: Kysely<DB>, monitoredId: string, ids: readonly string[], stepEventId: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('poverty_evidence')
    .set({ step_event_id: stepEventId })
    .where('monitored_id', '=', monitoredId)
    .where('id', 'in', ids)
    .where('step_event_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type ObjectionRecord = {
  id: string;
  text: string;
  raisedBy: string;
  raisedAt: number;
  upheld: boolean | null;
  resolution: string | null;
  resolvedAt: number | null;
};

export async function insertObjection(db: Kysely<DB>, monitoredId: string, o: ObjectionRecord): Promise<ObjectionRecord> {
  await db
    .insertInto('poverty_objections')
    .values({ id: o.id, monitored_id: monitoredId, text: o.text, raised_by: o.raisedBy, raised_at: o.raisedAt })
    .execute();
  return o;
}

export async function objectionsOf(db: Kysely<DB>, monitoredId: string): Promise<ObjectionRecord[]> {
  const rows = await db.selectFrom('poverty_objections').selectAll().where('monitored_id', '=', monitoredId).orderBy('raised_at').execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    raisedBy: r.raised_by,
    raisedAt: Number(r.raised_at),
    upheld: r.upheld === null ? null : r.upheld === 1,
    resolution: r.resolution,
    resolvedAt: num(r.resolved_at),
  }));
}

/** Answers an open objection; false when it was answered already or is not this record's. */
export async function resolveObjection(
  db: Kysely<DB>,
  monitoredId: string,
  id: string,
  answer: { upheld: boolean; resolution: string; by: string; at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('poverty_objections')
    .set({ upheld: answer.upheld ? 1 : 0, resolution: answer.resolution, resolved_by: answer.by, resolved_at: answer.at })
    .where('monitored_id', '=', monitoredId)
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
