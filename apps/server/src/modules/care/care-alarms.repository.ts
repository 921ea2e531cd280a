// Alarms: one open alarm per elder and cause (repeats counted), their lifecycle under a version,
// and who is told along the escalation chain.
import { type Kysely, type SqlBool, sql } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { CareAlarmTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { ElderRecord } from './care-elders.repository.ts';
import type { Cause, Severity } from './care-rules.ts';

export type Alarm = {
  id: string;
  elderPersonId: string;
  cause: Cause;
  severity: Severity;
  state: 'pending' | 'raised' | 'acknowledged' | 'resolved' | 'cancelled';
  repeats: number;
  value: number | null;
  firstAt: number;
  lastAt: number;
  dueAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  note: string | null;
  escalationStep: number;
  escalatedAt: number | null;
  version: number;
  placement: Placement;
};

const toAlarm = (r: CareAlarmTable): Alarm => ({
  id: r.id,
  elderPersonId: r.elder_person_id,
  cause: r.cause as Cause,
  severity: r.severity as Severity,
  state: r.state as Alarm['state'],
  repeats: r.repeats,
  value: r.value,
  firstAt: r.first_at,
  lastAt: r.last_at,
  dueAt: r.due_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
  note: r.note,
  escalationStep: r.escalation_step,
  escalatedAt: r.escalated_at,
  version: r.version,
  placement: placementOf(r),
});

const OPEN_STATES = ['pending', 'raised', 'acknowledged'];
const openStates = sql<SqlBool>`state in ('pending', 'raised', 'acknowledged')`;

/**
 * Raises an alarm, or counts a repeat on the open one of the same cause (one open alarm per
 * elder and cause, guarded by a partial unique index). Returns the alarm and whether it is new.
 */
export async function raiseAlarm(
  db: Kysely<DB>,
  alarm: {
    id: string;
    elder: ElderRecord;
    cause: Cause;
    severity: Severity;
    state: 'pending' | 'raised';
    value: number | null;
    at: number;
    dueAt: number | null;
  },
): Promise<{ alarm: Alarm; created: boolean }> {
  const inserted = await db
    .insertInto('care_alarms')
    .values({
      id: alarm.id,
      elder_person_id: alarm.elder.personId,
      ...placedColumns(alarm.elder.placement),
      cause: alarm.cause,
      severity: alarm.severity,
      state: alarm.state,
      repeats: 1,
      value: alarm.value,
      first_at: alarm.at,
      last_at: alarm.at,
      due_at: alarm.dueAt,
      acknowledged_by: null,
      acknowledged_at: null,
      resolved_by: null,
      resolved_at: null,
      note: null,
      escalation_step: 0,
      escalated_at: null,
      version: 0,
    })
    .onConflict((oc) => oc.columns(['elder_person_id', 'cause']).where(openStates).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { alarm: toAlarm(inserted), created: true };
  const repeated = await db
    .updateTable('care_alarms')
    .set((eb) => ({ repeats: eb('repeats', '+', 1), last_at: alarm.at, value: alarm.value, version: eb('version', '+', 1) }))
    .where('elder_person_id', '=', alarm.elder.personId)
    .where('cause', '=', alarm.cause)
    .where('state', 'in', OPEN_STATES)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { alarm: toAlarm(repeated), created: false };
}

/** Places these elders' open alarms at their new place, so that they go to the staff who care for it now. */
export async function moveOpenAlarms(db: Kysely<DB>, personIds: string[], placement: Placement): Promise<void> {
  if (personIds.length === 0) return;
  await db
    .updateTable('care_alarms')
    .set(placedColumns(placement))
    .where('elder_person_id', 'in', personIds)
    .where('state', 'in', OPEN_STATES)
    .execute();
}

export async function findAlarm(db: Kysely<DB>, id: string): Promise<Alarm | undefined> {
  const row = await db.selectFrom('care_alarms').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAlarm(row);
}

/** What a step of an alarm's lifecycle changes. */
export type AlarmChanges = Partial<
  Pick<Alarm, 'state' | 'acknowledgedBy' | 'acknowledgedAt' | 'resolvedBy' | 'resolvedAt' | 'note' | 'escalationStep' | 'escalatedAt'>
>;

/** Applies the changes if the alarm is still at `version`; returns the alarm as changed, or undefined when it had moved on. */
export async function updateAlarmAtVersion(db: Kysely<DB>, id: string, version: number, changes: AlarmChanges): Promise<Alarm | undefined> {
  const row = await db
    .updateTable('care_alarms')
    .set({
      ...(changes.state !== undefined && { state: changes.state }),
      ...(changes.acknowledgedBy !== undefined && { acknowledged_by: changes.acknowledgedBy }),
      ...(changes.acknowledgedAt !== undefined && { acknowledged_at: changes.acknowledgedAt }),
      ...(changes.resolvedBy !== undefined && { resolved_by: changes.resolvedBy }),
      ...(changes.resolvedAt !== undefined && { resolved_at: changes.resolvedAt }),
      ...(changes.note !== undefined && { note: changes.note }),
      ...(changes.escalationStep !== undefined && { escalation_step: changes.escalationStep }),
      ...(changes.escalatedAt !== undefined && { escalated_at: changes.escalatedAt }),
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  return row && toAlarm(row);
}

/** The pending fall of an elder, cancelled by "I'm OK". */
export async function cancelPendingFall(db: Kysely<DB>, personId: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('care_alarms')
    .set((eb) => ({ state: 'cancelled', resolved_at: at, note: "I'm OK pressed", version: eb('version', '+', 1) }))
    .where('elder_person_id', '=', personId)
    .where('cause', '=', 'fall')
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Pending falls whose window has passed: they go out now. */
export async function promoteDueFalls(db: Kysely<DB>, now: number): Promise<Alarm[]> {
  const due = await db.selectFrom('care_alarms').selectAll().where('state', '=', 'pending').where('due_at', '<=', now).execute();
  const raised: Alarm[] = [];
  for (const row of due) {
    const alarm = await updateAlarmAtVersion(db, row.id, row.version, { state: 'raised' });
    if (alarm) raised.push(alarm);
  }
  return raised;
}

export async function listAlarms(
  db: Kysely<DB>,
  filter: { scope: Scope; alsoPersonIds?: string[]; alsoClosedSince?: number; open?: boolean; elderPersonId?: string; limit: number },
): Promise<Alarm[]> {
  const also = filter.alsoPersonIds ?? [];
  const since = filter.alsoClosedSince ?? 0;
  // The elders seen only as a linked family member's: their open alarms and those closed since `since`.
  let query = db
    .selectFrom('care_alarms as a')
    .selectAll('a')
    .where((eb) =>
      eb.or([
        inScope(filter.scope, { table: 'a' }),
        ...(also.length > 0
          ? [eb.and([eb('a.elder_person_id', 'in', also), eb.or([eb('a.resolved_at', 'is', null), eb('a.resolved_at', '>=', since)])])]
          : []),
      ]),
    );
  if (filter.open) query = query.where('a.state', 'in', ['raised', 'acknowledged']);
  if (filter.elderPersonId) query = query.where('a.elder_person_id', '=', filter.elderPersonId);
  const rows = await query.orderBy('a.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => toAlarm(r as CareAlarmTable));
}

/**
 * Raised alarms whose next step along the chain is due: those nobody has been told of yet, and
 * those nobody took on since the last step, before `before`.
 */
export async function listDueEscalations(db: Kysely<DB>, before: number, steps: number): Promise<Alarm[]> {
  const rows = await db
    .selectFrom('care_alarms')
    .selectAll()
    .where('state', '=', 'raised')
    .where('escalation_step', '<', steps)
    .where((eb) => eb.or([eb('escalation_step', '=', 0), eb('escalated_at', '<', before)]))
    .execute();
  return rows.map(toAlarm);
}
