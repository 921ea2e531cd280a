// Reminders to elders' home speakers ("it is getting cold, wear more clothes"), sent as device
// commands: over MQTT when it is set up, and always by a poll endpoint the speaker calls with its
// own key. Each command is tracked: queued → sent → delivered (the speaker acknowledged it), or
// failed, or expired when nobody fetched it in time.
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, countRecentActions, recordAudit } from '../../platform/audit.ts';
import { isBlankText } from '../../platform/blank-text.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { namesOfPeople } from '../org/people.service.ts';
import { auditRead } from './care-audit.ts';
import * as repo from './care-commands.repository.ts';
import { type Device, speakersOf } from './care-devices.repository.ts';
import { type ElderRecord, findElders } from './care-elders.repository.ts';
import { compareText, deviceForKey, linkedElderIds } from './care-elders.service.ts';

export type { CommandState, DeviceCommand } from './care-commands.repository.ts';

/** How many reminders one person may send in an hour (each to any number of elders). */
export const REMINDERS_PER_HOUR = 30;
const HOUR_MS = 3_600_000;

/** A command to a speaker with the name of the elder it is for. */
export type CommandDelivery = repo.CommandDeliveryRecord & { name: string };

/** Publishes a command to a device (MQTT); false when no link is up, and the command waits for a poll. */
export type CommandLink = { publish(serial: string, command: repo.DeviceCommand): Promise<boolean> };

/** The lowest region that holds all the elders: their village, else their township, else their county. */
function commonPlacement(elders: ElderRecord[]): ElderRecord['placement'] {
  const first = (elders[0] as ElderRecord).placement;
  if (elders.length === 1) return first;
  const all = (pick: (p: ElderRecord['placement']) => string | null) => elders.every((e) => pick(e.placement) === pick(first));
  if (first.villageId && all((p) => p.villageId)) return { ...first, regionId: first.villageId };
  if (first.townshipId && all((p) => p.townshipId)) return { ...first, regionId: first.townshipId, villageId: null };
  return { ...first, regionId: first.countyId as string, villageId: null, townshipId: null };
}

/**
 * Sends a reminder to the speakers of the named elders. The village, the township and the doctor
 * may remind the elders in their care; a family member their own linked elder. Every elder must
 * be one the sender may remind (else 404, nothing sent); at least one must have a speaker.
 */
export async function sendReminder(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { text: string; elderPersonIds: string[] },
  idempotencyKey: string | undefined,
): Promise<{ id: string; commands: number; withoutSpeaker: string[] }> {
  const ids = [...new Set(input.elderPersonIds)];
  const elders = await findElders(deps.reader, ids);
  const linked = new Set(await linkedElderIds(deps, principal.userId));
  let fromFamily = false;
  for (const id of ids) {
    const elder = elders.get(id);
    const asStaff = elder !== undefined && allows(principal, 'care.manage', elder.placement);
    if (!elder || !(asStaff || linked.has(id))) throw notFound('elder');
    // To an elder reached only as their family, the reminder is the family's own.
    if (!asStaff) fromFamily = true;
  }
  // Words of nothing but spaces would play as silence on the elder's speaker.
  if (isBlankText(input.text)) throw new AppError('text_blank');
  const speakers = await speakersOf(deps.reader, ids);
  if (speakers.length === 0) throw new AppError('no_speaker');
  const placement = commonPlacement([...elders.values()]);
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'care.reminder', payload: input },
    async (trx) => {
      const now = deps.now();
      // One sender cannot flood the elders' speakers: a doctor's round of reminders is one reminder to many.
      if ((await countRecentActions(trx, principal.userId, 'care.reminder.send', HOUR_MS, now)) >= REMINDERS_PER_HOUR)
        throw new AppError('reminders_too_many', { count: REMINDERS_PER_HOUR });
      const reminder = await repo.insertReminder(trx, {
        id: uuidv7(now),
        text: input.text,
        placement,
        fromFamily,
        createdBy: principal.userId,
        createdAt: now,
      });
      await repo.queueSpeakCommands(trx, reminder, speakers, now + deps.config.commandTtlHours * 3_600_000, () => uuidv7(now));
      await recordAudit(
        trx,
        actor,
        {
          action: 'care.reminder.send',
          targetType: 'reminder',
          targetId: reminder.id,
          regionId: placement.regionId,
          details: { elders: ids.length },
        },
        now,
      );
      const withSpeaker = new Set(speakers.map((s) => s.elderPersonId));
      return { id: reminder.id, commands: speakers.length, withoutSpeaker: ids.filter((e) => !withSpeaker.has(e)) };
    },
  );
}

/** The device calling with its own key; not authenticated when the key is no device's. */
async function requireDevice(deps: Deps, key: string): Promise<Device> {
  const device = key ? await deviceForKey(deps, key) : undefined;
  if (!device) throw new AppError('not_authenticated');
  return device;
}

/** A speaker polling with its own key: the commands waiting for it (marked sent), oldest first. */
export async function pollCommands(deps: Deps, key: string): Promise<repo.DeviceCommand[]> {
  const device = await requireDevice(deps, key);
  const now = deps.now();
  return deps.db.transaction().execute((trx) => repo.takeWaitingCommands(trx, device.id, now));
}

/** The device reports a command played (delivered) or not playable (failed); a repeat changes nothing. */
export async function acknowledgeCommand(deps: Deps, key: string, id: string, outcome: 'delivered' | 'failed'): Promise<repo.CommandState> {
  const device = await requireDevice(deps, key);
  const now = deps.now();
  const command = await repo.findCommand(deps.db, id);
  if (!command || command.deviceId !== device.id) throw notFound('command');
  if (command.state === 'delivered' || command.state === 'failed') return command.state;
  await repo.settleCommand(deps.db, id, outcome, now);
  return outcome;
}

/**
 * The command job: expires what nobody fetched in time, and over a live MQTT link publishes what
 * is queued and publishes again what was sent a minute ago without an acknowledgement (up to five times).
 */
export async function dispatchCommands(deps: Deps, link: CommandLink | undefined): Promise<number> {
  const now = deps.now();
  await repo.expireCommands(deps.db, now);
  if (!link) return 0;
  const due = await repo.commandsToPublish(deps.reader, now);
  let sent = 0;
  for (const { serial, attempts, ...command } of due) {
    if (!(await link.publish(serial, command))) break;
    await repo.markCommandSent(deps.db, command.id, attempts + 1, now);
    sent++;
  }
  return sent;
}

export type ReminderSummary = { id: string; text: string; createdAt: number; counts: Record<repo.CommandState, number> };

/**
 * Reminders sent in the caller's scope, newest first, with how many speakers have played each;
 * audited: a reminder's text is often about an elder's health ("take the blood pressure pills").
 */
export async function listReminders(deps: Deps, principal: Principal, actor: Actor): Promise<ReminderSummary[]> {
  const reminders = await repo.listReminders(deps.reader, scopeFor(principal, 'care.read'), principal.userId);
  await auditRead(deps, actor, 'care.reminders.read', { targetType: 'reminder', details: { count: reminders.length } });
  const counts = await repo.commandCounts(
    deps.reader,
    reminders.map((r) => r.id),
  );
  return reminders.map((r) => {
    const tally: Record<repo.CommandState, number> = { queued: 0, sent: 0, delivered: 0, failed: 0, expired: 0 };
    for (const c of counts) if (c.reminderId === r.id) tally[c.state] = c.count;
    return { ...r, counts: tally };
  });
}

/** One reminder's delivery, speaker by speaker; audited: it names the elders the reminder went to. */
export async function reminderDelivery(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<CommandDelivery[]> {
  const reminder = await repo.findReminder(deps.reader, id);
  if (!reminder) throw notFound('reminder');
  const mayRead = reminder.createdBy === principal.userId || (!reminder.fromFamily && allows(principal, 'care.read', reminder.placement));
  if (!mayRead) throw notFound('reminder');
  // A family member's own reminder, to the elders they are still linked to (a withdrawal ends that).
  const linked = reminder.fromFamily ? new Set(await linkedElderIds(deps, principal.userId)) : undefined;
  const records = (await repo.listDeliveries(deps.reader, id)).filter((d) => !linked || linked.has(d.elderPersonId));
  if (linked && records.length === 0) throw notFound('reminder');
  const names = await namesOfPeople(
    deps,
    records.map((d) => d.elderPersonId),
  );
  // By the elder's name; a command whose elder is gone from the register is left out, as the join it replaces left it out.
  const deliveries = records
    .flatMap((d) => {
      const name = names.get(d.elderPersonId);
      return name === undefined ? [] : [{ ...d, name }];
    })
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.elderPersonId, b.elderPersonId) || compareText(a.serial, b.serial));
  await auditRead(deps, actor, 'care.reminder.read', { targetType: 'reminder', targetId: id, details: { count: deliveries.length } });
  return deliveries;
}
