// Alarms after they are raised: out live to everyone who may see them, the jobs that raise them
// without a reading (a fall nobody cancelled, a day without activity, a silent device), the chain
// of people told while nobody takes one on, and taking one on and resolving it.
import { type AlarmHandlerRole, FAMILY_SEES_CLOSED_ALARMS_MS } from '@cunzhi/contracts/care';
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../notifications/notifications.service.ts';
import { gridWorkersOf, holdersOfRolesAt } from '../org/duty-holders.service.ts';
import { displayNamesOfUsers, phonesOfUsers } from '../org/users.service.ts';
import { withdrawnAmong } from '../privacy/privacy.service.ts';
import * as repo from './care-alarms.repository.ts';
import { auditRead } from './care-audit.ts';
import { flushNotedTimes } from './care-device-cache.ts';
import { listSilentDevices } from './care-devices.repository.ts';
import * as elders from './care-elders.repository.ts';
import { linkedElderIds, maySee, refuseWriteOnlyKey, withNames } from './care-elders.service.ts';
import { presentAlarm } from './care-presenters.ts';
import { type Cause, ESCALATION_CHAIN, SEVERITY } from './care-rules.ts';

export type { Alarm } from './care-alarms.repository.ts';
export type AlarmHandler = { name: string; role: AlarmHandlerRole };

/** One event per alarm to the duty screens in its place and to the elder's family. */
export async function publishAlarm(deps: Deps, alarm: repo.Alarm): Promise<void> {
  const family = await elders.familyOf(deps.reader, alarm.elderPersonId);
  const [listed = { ...alarm, handledBy: null }] = await withHandlers(deps, [alarm]);
  deps.events.publish({
    type: 'alarm',
    permission: 'care.read',
    placement: alarm.placement,
    users: family,
    // As the alarm list presents it (times in ISO-8601, who has it in hand): the pages merge the two.
    data: presentAlarm(listed),
    audit: { action: 'care.alarm.read', targetType: 'alarm', targetId: alarm.id, regionId: alarm.placement.regionId },
  });
}

/** Falls nobody cancelled with "I'm OK" within the window go out. */
export async function promoteDueFalls(deps: Deps): Promise<repo.Alarm[]> {
  const raised = await deps.db.transaction().execute((trx) => repo.promoteDueFalls(trx, deps.now()));
  for (const alarm of raised) await publishAlarm(deps, alarm);
  return raised;
}

/** Elders at home with no activity of their own for the configured hours. */
export async function checkInactivity(deps: Deps): Promise<repo.Alarm[]> {
  await flushNotedTimes(deps);
  const now = deps.now();
  return raiseForEach(deps, await elders.listInactive(deps.reader, now, deps.config.inactivityHours), 'inactivity', now);
}

/** Devices silent for DEVICE_OFFLINE_HOURS raise the device-offline alarm of their elder. */
export async function checkSilentDevices(deps: Deps): Promise<repo.Alarm[]> {
  await flushNotedTimes(deps);
  const now = deps.now();
  const silent = await listSilentDevices(deps.reader, now - deps.config.deviceOfflineHours * 3_600_000);
  const found = await elders.findElders(deps.reader, [...new Set(silent.map((d) => d.elderPersonId))]);
  return raiseForEach(
    deps,
    [...found.values()].filter((elder) => elder.presence === 'home'),
    'deviceOffline',
    now,
  );
}

/** Raises the alarm of a cause found by a job for each elder (once while it is open), and sends the new ones out. */
async function raiseForEach(deps: Deps, found: elders.ElderRecord[], cause: Cause, now: number): Promise<repo.Alarm[]> {
  const raised: repo.Alarm[] = [];
  // Readings stop with a withdrawn health-data consent: the silence that follows is no alarm.
  const withdrawn = await withdrawnAmong(
    deps,
    found.map((e) => e.personId),
    'healthData',
  );
  for (const elder of found.filter((e) => !withdrawn.has(e.personId))) {
    const result = await deps.db.transaction().execute((trx) =>
      repo.raiseAlarm(trx, {
        id: uuidv7(now),
        elder,
        cause,
        severity: SEVERITY[cause],
        state: 'raised',
        value: null,
        at: now,
        dueAt: null,
      }),
    );
    if (result.created) raised.push(result.alarm);
  }
  for (const alarm of raised) await publishAlarm(deps, alarm);
  return raised;
}

const CAUSE_NAMES: Record<Cause, [string, string]> = {
  sos: ['一键呼救', 'an SOS call'],
  fall: ['摔倒', 'a fall'],
  systolicHigh: ['血压过高', 'high blood pressure'],
  systolicLow: ['血压过低', 'low blood pressure'],
  heartHigh: ['心率过快', 'a fast heart rate'],
  heartLow: ['心率过慢', 'a slow heart rate'],
  glucoseLow: ['低血糖', 'low blood sugar'],
  glucoseHigh: ['血糖过高', 'high blood sugar'],
  inactivity: ['24小时无活动', 'no activity for a day'],
  lowBattery: ['设备电量低', 'a device low on battery'],
  deviceOffline: ['设备离线', 'a silent device'],
};

/**
 * The users told at a step of the chain after the family: the caretaker, every grid worker of the
 * elder's grid, the village's cadres, the doctor (else the township's doctors).
 */
async function usersAtStep(
  trx: Deps['db'],
  step: Exclude<(typeof ESCALATION_CHAIN)[number], 'family'>,
  elder: elders.ElderRecord,
): Promise<(string | null)[]> {
  if (step === 'caretaker') return [elder.caretakerUserId];
  if (step === 'doctor' && elder.doctorUserId) return [elder.doctorUserId];
  if (step === 'gridWorker') return gridWorkersOf(trx, elder.placement.regionId);
  const regionId = step === 'villageCadre' ? elder.placement.villageId : elder.placement.townshipId;
  return regionId ? holdersOfRolesAt(trx, [step], regionId) : [];
}

/**
 * Tells the next people along the chain of an alarm nobody has taken on: the family at once (the
 * linked family members in the app and by text, the contacts on the record by text), then every ESCALATION_MINUTES the caretaker, the grid worker, the village cadres and the
 * doctor (in the app). Each step is taken once, under the alarm's version.
 */
export async function escalateAlarms(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await repo.listDueEscalations(deps.reader, now - deps.config.escalationMinutes * 60_000, ESCALATION_CHAIN.length);
  // The elders of all the due alarms, named, in two reads rather than two per alarm.
  const found = await elders.findElders(deps.reader, [...new Set(due.map((a) => a.elderPersonId))]);
  const named = new Map((await withNames(deps, found.values())).map((e) => [e.personId, e]));
  // The family accounts linked to the elders of alarms at the family step, and their phones, read before any transaction.
  const family = new Map<string, string[]>();
  for (const alarm of due.filter((a) => ESCALATION_CHAIN[a.escalationStep] === 'family')) {
    family.set(alarm.id, await elders.familyOf(deps.reader, alarm.elderPersonId));
  }
  const phones = await phonesOfUsers(deps, [...family.values()].flat());
  const familyPhones = (alarmId: string, elder: elders.ElderRecord) => [
    ...new Set([
      ...(family.get(alarmId) ?? []).flatMap((userId) => phones.get(userId) ?? []),
      ...elder.contacts.flatMap((c) => (c.phone ? [c.phone] : [])),
    ]),
  ];
  let told = 0;
  for (const alarm of due) {
    const elder = named.get(alarm.elderPersonId);
    if (!elder) continue;
    const step = ESCALATION_CHAIN[alarm.escalationStep] as (typeof ESCALATION_CHAIN)[number];
    const [zh, en] = CAUSE_NAMES[alarm.cause];
    const message = {
      topic: 'care.alarm',
      subjectType: 'careAlarm',
      subjectId: alarm.id,
      zh: `【关爱老人】${elder.name}出现${zh}预警，请尽快联系或上门查看。`,
      en: `[Elder care] ${elder.name} has ${en}; please call or visit as soon as you can.`,
    };
    const stepped = await deps.db.transaction().execute(async (trx) => {
      const changes = { escalationStep: alarm.escalationStep + 1, escalatedAt: now };
      if (!(await repo.updateAlarmAtVersion(trx, alarm.id, alarm.version, changes))) return false;
      if (step === 'family') {
        // The linked family members first, in the app and by text; then the contacts on the record.
        for (const userId of family.get(alarm.id) ?? []) await notify(trx, { userId }, message, now);
        for (const phone of familyPhones(alarm.id, elder)) await notify(trx, { phone }, message, now);
      } else {
        for (const userId of new Set(await usersAtStep(trx, step, elder))) if (userId) await notify(trx, { userId }, message, now);
      }
      return true;
    });
    if (stepped) told++;
  }
  return told;
}

/** An alarm as the list shows it: with who has it in hand or closed it. */
export type ListedAlarm = repo.Alarm & { handledBy: AlarmHandler | null };

/**
 * The alarms in my scope, and those of the elders linked to me as family: open, or closed within
 * FAMILY_SEES_CLOSED_ALARMS_MS (what happened and who dealt with it, not the elder's whole history).
 */
export async function listAlarms(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { open?: boolean; elderPersonId?: string },
): Promise<ListedAlarm[]> {
  refuseWriteOnlyKey(principal);
  const alarms = await repo.listAlarms(deps.reader, {
    scope: scopeFor(principal, 'care.read'),
    alsoPersonIds: await linkedElderIds(deps, principal.userId),
    alsoClosedSince: deps.now() - FAMILY_SEES_CLOSED_ALARMS_MS,
    ...query,
    limit: 200,
  });
  const listed = await withHandlers(deps, alarms);
  await auditRead(deps, actor, 'care.alarms.read', {
    targetType: 'elder',
    targetId: query.elderPersonId,
    details: { count: alarms.length },
  });
  return listed;
}

/**
 * Names who took each alarm on or closed it, and their part in the elder's care, in three reads
 * for the whole list: the family far away reads "村医 张三" where the record holds an account id.
 */
async function withHandlers(deps: Deps, alarms: repo.Alarm[]): Promise<ListedAlarm[]> {
  const handlerOf = (a: repo.Alarm) => a.resolvedBy ?? a.acknowledgedBy;
  const handled = alarms.filter((a) => handlerOf(a) !== null);
  if (handled.length === 0) return alarms.map((alarm) => ({ ...alarm, handledBy: null }));
  const elderIds = [...new Set(handled.map((a) => a.elderPersonId))];
  const userIds = [...new Set(handled.map((a) => handlerOf(a) as string))];
  const [names, found, family] = await Promise.all([
    displayNamesOfUsers(deps, userIds),
    elders.findElders(deps.reader, elderIds),
    elders.familyLinksAmong(deps.reader, elderIds, userIds),
  ]);
  return alarms.map((alarm) => {
    const userId = handlerOf(alarm);
    const name = userId === null ? undefined : names.get(userId);
    if (userId === null || name === undefined) return { ...alarm, handledBy: null };
    const elder = found.get(alarm.elderPersonId);
    const role: AlarmHandler['role'] =
      elder?.doctorUserId === userId
        ? 'doctor'
        : elder?.caretakerUserId === userId
          ? 'caretaker'
          : family.has(`${alarm.elderPersonId} ${userId}`)
            ? 'family'
            : 'staff';
    return { ...alarm, handledBy: { name, role } };
  });
}

/**
 * The alarms a batch raised, as its sender may see them: a device or a write-only gateway key
 * learns nothing of the elder's alarms (their state, repeats, who took them on); a sender that may
 * read care gets them, audited like any read of alarms.
 */
export async function batchAlarmsFor(deps: Deps, reader: Principal | undefined, actor: Actor, alarms: repo.Alarm[]): Promise<repo.Alarm[]> {
  const visible = reader ? alarms.filter((a) => allows(reader, 'care.read', a.placement)) : [];
  if (visible.length > 0) await auditRead(deps, actor, 'care.alarms.read', { targetType: 'elder', details: { count: visible.length } });
  return visible;
}

/** Someone takes the alarm on; resolving it needs a note of what was done. */
export async function actOnAlarm(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { action: 'acknowledge' | 'resolve'; note?: string },
): Promise<repo.Alarm> {
  const alarm = await repo.findAlarm(deps.reader, id);
  if (!alarm || !(await maySee(deps, principal, alarm.elderPersonId, alarm.placement))) throw notFound('alarm');
  if (input.action === 'resolve' && !input.note?.trim()) throw new AppError('alarm_note_required');
  const from = input.action === 'acknowledge' ? ['raised'] : ['raised', 'acknowledged'];
  let repeated = false;
  const updated = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const current = await repo.findAlarm(trx, id);
    if (!current) throw notFound('alarm');
    // Taking on an alarm one has already taken on (a double tap, a resend) is done, not an error.
    if (input.action === 'acknowledge' && current.state === 'acknowledged' && current.acknowledgedBy === principal.userId) {
      repeated = true;
      return current;
    }
    if (!from.includes(current.state)) throw new AppError('invalid_transition', {}, { state: current.state, action: input.action });
    const changes: repo.AlarmChanges =
      input.action === 'acknowledge'
        ? { state: 'acknowledged', acknowledgedBy: principal.userId, acknowledgedAt: now }
        : { state: 'resolved', resolvedBy: principal.userId, resolvedAt: now, note: input.note ?? null };
    const changed = await repo.updateAlarmAtVersion(trx, id, current.version, changes);
    if (!changed) throw new AppError('case_busy');
    await recordAudit(
      trx,
      actor,
      { action: `care.alarm.${input.action}`, targetType: 'alarm', targetId: id, regionId: alarm.placement.regionId },
      now,
    );
    return changed;
  });
  if (!repeated) await publishAlarm(deps, updated);
  return updated;
}
