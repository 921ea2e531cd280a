// Reminders and the device commands that carry them to the elders' speakers.
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { CareCommandTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type CommandState = CareCommandTable['state'];

/** What a speaker receives. */
export type DeviceCommand = { id: string; kind: 'speak'; text: string; expiresAt: number };

const toCommand = (r: { id: string; payload: string; expires_at: number }): DeviceCommand => ({
  id: r.id,
  kind: 'speak',
  text: (JSON.parse(r.payload) as { text: string }).text,
  expiresAt: r.expires_at,
});

export type Reminder = {
  id: string;
  text: string;
  placement: Placement;
  /** Sent by a family member to their own elder: listed to the sender only. */
  fromFamily: boolean;
  createdBy: string;
  createdAt: number;
};

export async function insertReminder(db: Kysely<DB>, reminder: Reminder): Promise<Reminder> {
  await db
    .insertInto('care_reminders')
    .values({
      id: reminder.id,
      text: reminder.text,
      ...placedColumns(reminder.placement),
      from_family: reminder.fromFamily ? 1 : 0,
      created_by: reminder.createdBy,
      created_at: reminder.createdAt,
    })
    .execute();
  return reminder;
}

/** Queues one "speak" command per speaker. */
export async function queueSpeakCommands(
  db: Kysely<DB>,
  reminder: Reminder,
  speakers: { id: string; elderPersonId: string }[],
  expiresAt: number,
  ids: () => string,
): Promise<void> {
  await db
    .insertInto('care_commands')
    .values(
      speakers.map((s) => ({
        id: ids(),
        reminder_id: reminder.id,
        device_id: s.id,
        elder_person_id: s.elderPersonId,
        kind: 'speak',
        payload: JSON.stringify({ text: reminder.text }),
        state: 'queued' as const,
        attempts: 0,
        created_at: reminder.createdAt,
        sent_at: null,
        delivered_at: null,
        expires_at: expiresAt,
      })),
    )
    .execute();
}

/** The commands waiting for a device (at most 20, oldest first), marked sent as they are taken. */
export async function takeWaitingCommands(db: Kysely<DB>, deviceId: string, now: number): Promise<DeviceCommand[]> {
  const rows = await db
    .selectFrom('care_commands')
    .select(['id', 'payload', 'expires_at'])
    .where('device_id', '=', deviceId)
    .where('state', 'in', ['queued', 'sent'])
    .where('expires_at', '>', now)
    .orderBy('id')
    .limit(20)
    .execute();
  if (rows.length > 0) {
    await db
      .updateTable('care_commands')
      .set((eb) => ({ state: 'sent', sent_at: now, attempts: eb('attempts', '+', 1) }))
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  }
  return rows.map(toCommand);
}

export async function findCommand(db: Kysely<DB>, id: string): Promise<{ state: CommandState; deviceId: string } | undefined> {
  const row = await db.selectFrom('care_commands').select(['state', 'device_id']).where('id', '=', id).executeTakeFirst();
  return row && { state: row.state, deviceId: row.device_id };
}

/** Records what the device reported, unless the command was settled already. */
export async function settleCommand(db: Kysely<DB>, id: string, outcome: 'delivered' | 'failed', now: number): Promise<void> {
  await db
    .updateTable('care_commands')
    .set({ state: outcome, delivered_at: outcome === 'delivered' ? now : null })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'sent', 'expired'])
    .execute();
}

export async function expireCommands(db: Kysely<DB>, now: number): Promise<void> {
  await db
    .updateTable('care_commands')
    .set({ state: 'expired' })
    .where('state', 'in', ['queued', 'sent'])
    .where('expires_at', '<=', now)
    .execute();
}

/** Commands to publish: the queued, and those sent a minute ago without an acknowledgement (up to five times). */
export async function commandsToPublish(db: Kysely<DB>, now: number): Promise<(DeviceCommand & { serial: string; attempts: number })[]> {
  const rows = await db
    .selectFrom('care_commands as c')
    .innerJoin('care_devices as d', 'd.id', 'c.device_id')
    .select(['c.id', 'c.payload', 'c.expires_at', 'c.attempts', 'd.serial'])
    .where((eb) =>
      eb.or([
        eb('c.state', '=', 'queued'),
        eb.and([eb('c.state', '=', 'sent'), eb('c.sent_at', '<', now - 60_000), eb('c.attempts', '<', 5)]),
      ]),
    )
    .orderBy('c.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...toCommand(r), serial: r.serial, attempts: r.attempts }));
}

export async function markCommandSent(db: Kysely<DB>, id: string, attempts: number, now: number): Promise<void> {
  await db
    .updateTable('care_commands')
    .set({ state: 'sent', sent_at: now, attempts })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'sent'])
    .execute();
}

/**
 * Staff's reminders in a scope, and those a user made, newest first, at most 100: a family
 * member's own only while they are still linked to an elder it went to (a withdrawn family access
 * ends the link, and with it what the family may read of the elder's speaker).
 */
export async function listReminders(
  db: Kysely<DB>,
  scope: Scope,
  userId: string,
): Promise<{ id: string; text: string; createdAt: number }[]> {
  const rows = await db
    .selectFrom('care_reminders as r')
    .select(['r.id', 'r.text', 'r.created_at'])
    .where((eb) =>
      eb.or([
        eb.and([inScope(scope, { table: 'r' }), eb('r.from_family', '=', 0)]),
        eb.and([
          eb('r.created_by', '=', userId),
          eb.or([
            eb('r.from_family', '=', 0),
            eb.exists(
              eb
                .selectFrom('care_commands as c')
                .innerJoin('care_family_links as l', 'l.elder_person_id', 'c.elder_person_id')
                .select('c.id')
                .whereRef('c.reminder_id', '=', 'r.id')
                .where('l.user_id', '=', userId),
            ),
          ]),
        ]),
      ]),
    )
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, text: r.text, createdAt: r.created_at }));
}

/** How many of each reminder's commands are in each state. */
export async function commandCounts(
  db: Kysely<DB>,
  reminderIds: string[],
): Promise<{ reminderId: string; state: CommandState; count: number }[]> {
  if (reminderIds.length === 0) return [];
  const rows = await db
    .selectFrom('care_commands')
    .select(['reminder_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('reminder_id', 'in', reminderIds)
    .groupBy(['reminder_id', 'state'])
    .execute();
  return rows.map((r) => ({ reminderId: r.reminder_id as string, state: r.state, count: Number(r.n) }));
}

export async function findReminder(db: Kysely<DB>, id: string): Promise<Reminder | undefined> {
  const row = await db.selectFrom('care_reminders').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    row && {
      id: row.id,
      text: row.text,
      placement: placementOf(row),
      fromFamily: row.from_family === 1,
      createdBy: row.created_by,
      createdAt: row.created_at,
    }
  );
}

/** A command to a speaker, for the reminder's delivery list; the elder's name is org's. */
export type CommandDeliveryRecord = {
  elderPersonId: string;
  serial: string;
  state: CommandState;
  sentAt: number | null;
  deliveredAt: number | null;
};

/** A reminder's commands, speaker by speaker, in no order. */
export async function listDeliveries(db: Kysely<DB>, reminderId: string): Promise<CommandDeliveryRecord[]> {
  const rows = await db
    .selectFrom('care_commands as c')
    .innerJoin('care_devices as d', 'd.id', 'c.device_id')
    .select(['c.elder_person_id', 'd.serial', 'c.state', 'c.sent_at', 'c.delivered_at'])
    .where('c.reminder_id', '=', reminderId)
    .execute();
  return rows.map((r) => ({
    elderPersonId: r.elder_person_id,
    serial: r.serial,
    state: r.state,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
  }));
}
