import { CompiledQuery, type Kysely, type SqlBool, sql } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { CareAlarmTable, CareElderTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { Cause, ElderRules, Severity } from './care-rules.ts';

export type Elder = {
  personId: string;
  name: string;
  householdId: string | null;
  livingSituation: string;
  conditions: string[];
  contacts: { name: string; relation: string; phone: string }[];
  doctorUserId: string | null;
  caretakerUserId: string | null;
  presence: 'home' | 'away' | 'hospital';
  lastActivityAt: number | null;
  /** The elder's own changes to the county's alarm rules; null: the defaults. */
  rules: ElderRules | null;
  /** Null: the county's round intervals. */
  visitEveryDays: number | null;
  careRoundEveryDays: number | null;
  placement: Placement;
};

const toElder = (r: CareElderTable & { name: string }): Elder => ({
  personId: r.person_id,
  name: r.name,
  householdId: r.household_id,
  livingSituation: r.living_situation,
  conditions: JSON.parse(r.conditions) as string[],
  contacts: JSON.parse(r.contacts) as Elder['contacts'],
  doctorUserId: r.doctor_user_id,
  caretakerUserId: r.caretaker_user_id,
  presence: r.presence,
  lastActivityAt: r.last_activity_at,
  rules: r.alarm_rules === null ? null : (JSON.parse(r.alarm_rules) as ElderRules),
  visitEveryDays: r.visit_every_days,
  careRoundEveryDays: r.care_round_every_days,
  placement: placementOf(r, r.household_id),
});

const selectElders = (db: Kysely<DB>) =>
  db.selectFrom('care_elders as e').innerJoin('people as p', 'p.id', 'e.person_id').selectAll('e').select('p.name');

export async function findElder(db: Kysely<DB>, personId: string): Promise<Elder | undefined> {
  const row = await selectElders(db).where('e.person_id', '=', personId).executeTakeFirst();
  return row && toElder(row);
}

export async function findElders(db: Kysely<DB>, personIds: string[]): Promise<Map<string, Elder>> {
  const found = new Map<string, Elder>();
  for (let start = 0; start < personIds.length; start += 500) {
    const rows = await selectElders(db)
      .where('e.person_id', 'in', personIds.slice(start, start + 500))
      .execute();
    for (const row of rows) found.set(row.person_id, toElder(row));
  }
  return found;
}

/** Elders in the scope, and those named (a family member's linked elders). */
export async function listElders(db: Kysely<DB>, scope: Scope, alsoPersonIds: string[] = []): Promise<Elder[]> {
  const rows = await selectElders(db)
    .where((eb) =>
      eb.or([
        inScope(scope, { table: 'e', householdColumn: 'household_id' }),
        ...(alsoPersonIds.length > 0 ? [eb('e.person_id', 'in', alsoPersonIds)] : []),
      ]),
    )
    .orderBy('p.name')
    .execute();
  return rows.map(toElder);
}

export async function upsertElder(
  db: Kysely<DB>,
  elder: Omit<Elder, 'name' | 'lastActivityAt' | 'rules' | 'visitEveryDays' | 'careRoundEveryDays'> &
    Partial<Pick<Elder, 'visitEveryDays' | 'careRoundEveryDays'>>,
  now: number,
): Promise<void> {
  const values = {
    household_id: elder.householdId,
    ...placedColumns(elder.placement),
    living_situation: elder.livingSituation,
    conditions: JSON.stringify(elder.conditions),
    contacts: JSON.stringify(elder.contacts),
    doctor_user_id: elder.doctorUserId,
    caretaker_user_id: elder.caretakerUserId,
    presence: elder.presence,
    ...(elder.visitEveryDays !== undefined && { visit_every_days: elder.visitEveryDays }),
    ...(elder.careRoundEveryDays !== undefined && { care_round_every_days: elder.careRoundEveryDays }),
    updated_at: now,
  };
  await db
    .insertInto('care_elders')
    .values({ person_id: elder.personId, ...values, last_activity_at: now, created_at: now })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
    .execute();
}

export async function markActivity(db: Kysely<DB>, personId: string, at: number): Promise<void> {
  await db
    .updateTable('care_elders')
    .set({ last_activity_at: at })
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('last_activity_at', 'is', null), eb('last_activity_at', '<', at)]))
    .execute();
}

/** Stores an elder's own alarm rules (and the inactivity hours they give, which the job reads in SQL). */
export async function setElderRules(
  db: Kysely<DB>,
  personId: string,
  rules: ElderRules | null,
  inactivityHours: number | null,
  now: number,
) {
  await db
    .updateTable('care_elders')
    .set({ alarm_rules: rules && JSON.stringify(rules), inactivity_hours: inactivityHours, updated_at: now })
    .where('person_id', '=', personId)
    .execute();
  // A breach under way was measured against the old rule.
  await db.deleteFrom('care_breaches').where('elder_person_id', '=', personId).execute();
}

/**
 * Elders at home with no activity of their own for their hours (their own rule, or the county's),
 * and no open inactivity alarm. An elder whose rule is switched off (0 hours) is never listed.
 */
export async function listInactive(db: Kysely<DB>, now: number, countyHours: number): Promise<Elder[]> {
  const hours = sql<number>`coalesce(e.inactivity_hours, ${countyHours})`;
  const rows = await selectElders(db)
    .where('e.presence', '=', 'home')
    .where(hours, '>', 0)
    .where(sql<number>`e.last_activity_at + cast(${hours} as bigint) * 3600000`, '<', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('care_alarms as a')
            .select('a.id')
            .whereRef('a.elder_person_id', '=', 'e.person_id')
            .where('a.cause', '=', 'inactivity')
            .where('a.state', 'in', ['pending', 'raised', 'acknowledged']),
        ),
      ),
    )
    .execute();
  return rows.map(toElder);
}

export type Device = {
  id: string;
  serial: string;
  kind: string;
  elderPersonId: string | null;
  battery: number | null;
  lastSeenAt: number | null;
};

export async function findDevicesBySerial(db: Kysely<DB>, serials: string[]): Promise<Map<string, Device>> {
  if (serials.length === 0) return new Map();
  const rows = await db.selectFrom('care_devices').selectAll().where('serial', 'in', serials).execute();
  return new Map(
    rows.map((r) => [
      r.serial,
      { id: r.id, serial: r.serial, kind: r.kind, elderPersonId: r.elder_person_id, battery: r.battery, lastSeenAt: r.last_seen_at },
    ]),
  );
}

export async function insertDevice(
  db: Kysely<DB>,
  device: { id: string; serial: string; kind: string; elderPersonId: string | null; keyHash: string | null },
  now: number,
) {
  await db
    .insertInto('care_devices')
    .values({
      id: device.id,
      serial: device.serial,
      kind: device.kind,
      elder_person_id: device.elderPersonId,
      battery: null,
      last_seen_at: null,
      created_at: now,
      key_hash: device.keyHash,
    })
    .execute();
}

export async function listDevicesOf(db: Kysely<DB>, personId: string): Promise<Device[]> {
  const rows = await db.selectFrom('care_devices').selectAll().where('elder_person_id', '=', personId).orderBy('serial').execute();
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    kind: r.kind,
    elderPersonId: r.elder_person_id,
    battery: r.battery,
    lastSeenAt: r.last_seen_at,
  }));
}

/** The devices of the elders in a scope. */
export async function listDevicesIn(db: Kysely<DB>, scope: Scope): Promise<{ serial: string; kind: string }[]> {
  return db
    .selectFrom('care_devices as d')
    .innerJoin('care_elders as e', 'e.person_id', 'd.elder_person_id')
    .select(['d.serial', 'd.kind'])
    .where(inScope(scope, { table: 'e', householdColumn: 'household_id' }))
    .orderBy('d.serial')
    .execute();
}

export async function touchDevice(db: Kysely<DB>, deviceId: string, at: number, battery: number | null): Promise<void> {
  await db
    .updateTable('care_devices')
    .set({
      last_seen_at: sql<number>`case when last_seen_at is null or last_seen_at < ${at} then ${at} else last_seen_at end`,
      ...(battery !== null && { battery }),
    })
    .where('id', '=', deviceId)
    .execute();
}

/** An elder's readings in a window (`until` exclusive), oldest first, at most 5,000. */
export async function listReadings(db: Kysely<DB>, personId: string, window: { since: number; until?: number; kinds?: string[] }) {
  let query = db.selectFrom('care_readings').selectAll().where('elder_person_id', '=', personId).where('at', '>=', window.since);
  if (window.until !== undefined) query = query.where('at', '<', window.until);
  if (window.kinds) query = query.where('kind', 'in', window.kinds);
  return query.orderBy('at').orderBy('id').limit(5000).execute();
}

export async function findReading(db: Kysely<DB>, id: string) {
  return db.selectFrom('care_readings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The id a reading was stored under, by its device and key. */
export async function findReadingId(db: Kysely<DB>, deviceId: string, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('care_readings')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('reading_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

/** When a breach of a rule with a duration began; starts it at `at` if it had not. */
export async function breachSince(db: Kysely<DB>, personId: string, cause: Cause, at: number): Promise<number> {
  await db
    .insertInto('care_breaches')
    .values({ elder_person_id: personId, cause, since: at })
    .onConflict((oc) => oc.columns(['elder_person_id', 'cause']).doNothing())
    .execute();
  const row = await db
    .selectFrom('care_breaches')
    .select('since')
    .where('elder_person_id', '=', personId)
    .where('cause', '=', cause)
    .executeTakeFirstOrThrow();
  return row.since;
}

export async function clearBreach(db: Kysely<DB>, personId: string, cause: Cause): Promise<void> {
  await db.deleteFrom('care_breaches').where('elder_person_id', '=', personId).where('cause', '=', cause).execute();
}

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
    elder: Elder;
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
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  if (!created) {
    await db
      .updateTable('care_alarms')
      .set((eb) => ({ repeats: eb('repeats', '+', 1), last_at: alarm.at, value: alarm.value, version: eb('version', '+', 1) }))
      .where('elder_person_id', '=', alarm.elder.personId)
      .where('cause', '=', alarm.cause)
      .where('state', 'in', OPEN_STATES)
      .execute();
  }
  const row = await db
    .selectFrom('care_alarms')
    .selectAll()
    .where('elder_person_id', '=', alarm.elder.personId)
    .where('cause', '=', alarm.cause)
    .where('state', 'in', OPEN_STATES)
    .executeTakeFirstOrThrow();
  return { alarm: toAlarm(row), created };
}

export async function findAlarm(db: Kysely<DB>, id: string): Promise<Alarm | undefined> {
  const row = await db.selectFrom('care_alarms').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAlarm(row);
}

export async function updateAlarmAtVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  changes: Partial<CareAlarmTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('care_alarms')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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
    if (await updateAlarmAtVersion(db, row.id, row.version, { state: 'raised' }))
      raised.push({ ...toAlarm(row), state: 'raised', version: row.version + 1 });
  }
  return raised;
}

export async function listAlarms(
  db: Kysely<DB>,
  filter: { scope: Scope; alsoPersonIds?: string[]; open?: boolean; elderPersonId?: string; limit: number },
): Promise<Alarm[]> {
  const also = filter.alsoPersonIds ?? [];
  let query = db
    .selectFrom('care_alarms as a')
    .selectAll('a')
    .where((eb) => eb.or([inScope(filter.scope, { table: 'a' }), ...(also.length > 0 ? [eb('a.elder_person_id', 'in', also)] : [])]));
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

/** The users who hold a role for the place of an elder: a grid worker of their grid, the village's cadres, the township's doctors. */
export async function usersFor(db: Kysely<DB>, step: 'gridWorker' | 'villageCadre' | 'doctor', placement: Placement): Promise<string[]> {
  if (step === 'gridWorker') {
    const rows = await db
      .selectFrom('grid_groups as gg')
      .innerJoin('role_assignments as ra', 'ra.grid_id', 'gg.grid_id')
      .select('ra.user_id')
      .where('gg.region_id', '=', placement.regionId)
      .where('ra.role', '=', 'gridWorker')
      .execute();
    return rows.map((r) => r.user_id);
  }
  const regionId = step === 'villageCadre' ? placement.villageId : placement.townshipId;
  if (!regionId) return [];
  const rows = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('role', '=', step)
    .where('region_id', '=', regionId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Devices silent since `before`, with their elder. */
export async function listSilentDevices(
  db: Kysely<DB>,
  before: number,
): Promise<{ deviceId: string; serial: string; elderPersonId: string }[]> {
  const rows = await db
    .selectFrom('care_devices')
    .select(['id', 'serial', 'elder_person_id'])
    .where('elder_person_id', 'is not', null)
    .where('last_seen_at', '<', before)
    .execute();
  return rows.map((r) => ({ deviceId: r.id, serial: r.serial, elderPersonId: r.elder_person_id as string }));
}

export type NewReading = {
  id: string;
  deviceId: string;
  readingKey: string;
  elderPersonId: string;
  kind: string;
  value1: number | null;
  value2: number | null;
  at: number;
};

/** Stores many readings in one statement; returns the ids of those that were new (a repeat is skipped). */
const READING_COLUMNS = ['id', 'device_id', 'reading_key', 'elder_person_id', 'kind', 'value1', 'value2', 'at', 'received_at'] as const;

/**
 * The insert statement for n readings, compiled by Kysely once per dialect and row count and
 * reused: building the query tree for 900 values on every batch cost as much as the insert itself.
 */
const insertTexts = new Map<string, string>();
function insertReadingsSql(db: Kysely<DB>, n: number): string {
  const key = `${db.getExecutor().adapter.constructor.name}|${n}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const row = Object.fromEntries(
      READING_COLUMNS.map((c) => [c, c === 'value1' || c === 'value2' || c === 'at' || c === 'received_at' ? 0 : '']),
    ) as never;
    text = db
      .insertInto('care_readings')
      .values(Array.from({ length: n }, () => row))
      .onConflict((oc) => oc.columns(['device_id', 'reading_key']).doNothing())
      .returning('id')
      .compile().sql;
    insertTexts.set(key, text);
  }
  return text;
}

/** Stores many readings, 100 to a statement; returns the ids of those that were new (a repeat is skipped). */
export async function insertReadings(db: Kysely<DB>, readings: NewReading[], now: number): Promise<Set<string>> {
  const fresh = new Set<string>();
  for (let start = 0; start < readings.length; start += 100) {
    const chunk = readings.slice(start, start + 100);
    const parameters: unknown[] = [];
    for (const r of chunk) parameters.push(r.id, r.deviceId, r.readingKey, r.elderPersonId, r.kind, r.value1, r.value2, r.at, now);
    const inserted = await db.executeQuery<{ id: string }>(CompiledQuery.raw(insertReadingsSql(db, chunk.length), parameters));
    for (const row of inserted.rows) fresh.add(row.id);
  }
  return fresh;
}

/** Moves each device's last-seen time forward to its latest reading, in one statement. */
export async function touchDevices(db: Kysely<DB>, latest: Map<string, number>): Promise<void> {
  if (latest.size === 0) return;
  const values = sql.join([...latest].map(([id, at]) => sql`(${id}, ${at})`));
  await sql`
    update care_devices set last_seen_at = cast(v.column2 as bigint)
    from (values ${values}) as v
    where care_devices.id = v.column1 and (care_devices.last_seen_at is null or care_devices.last_seen_at < cast(v.column2 as bigint))`.execute(
    db,
  );
}

/** Moves each elder's last activity forward to their latest active reading, in one statement. */
export async function markActivities(db: Kysely<DB>, latest: Map<string, number>): Promise<void> {
  if (latest.size === 0) return;
  const values = sql.join([...latest].map(([id, at]) => sql`(${id}, ${at})`));
  await sql`
    update care_elders set last_activity_at = cast(v.column2 as bigint)
    from (values ${values}) as v
    where care_elders.person_id = v.column1 and (care_elders.last_activity_at is null or care_elders.last_activity_at < cast(v.column2 as bigint))`.execute(
    db,
  );
}

/** The breaches under way for these elders, as "elder|cause". */
export async function openBreaches(db: Kysely<DB>, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('care_breaches')
    .select(['elder_person_id', 'cause'])
    .where('elder_person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => `${r.elder_person_id}|${r.cause}`));
}

export async function linkFamily(
  db: Kysely<DB>,
  link: { elderPersonId: string; userId: string; linkedBy: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('care_family_links')
    .values({ elder_person_id: link.elderPersonId, user_id: link.userId, consent_at: now, linked_by: link.linkedBy })
    .onConflict((oc) => oc.columns(['elder_person_id', 'user_id']).doNothing())
    .execute();
}

export async function unlinkFamily(db: Kysely<DB>, elderPersonId: string, userId: string): Promise<void> {
  await db.deleteFrom('care_family_links').where('elder_person_id', '=', elderPersonId).where('user_id', '=', userId).execute();
}

/** The elders a family member is linked to. */
export async function linkedElderIds(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('care_family_links').select('elder_person_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.elder_person_id);
}

/** The family members linked to an elder. */
export async function familyOf(db: Kysely<DB>, elderPersonId: string): Promise<string[]> {
  const rows = await db.selectFrom('care_family_links').select('user_id').where('elder_person_id', '=', elderPersonId).execute();
  return rows.map((r) => r.user_id);
}
