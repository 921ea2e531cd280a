// Reminders to elders' home speakers ("it is getting cold, wear more clothes"), sent as device
// commands: over MQTT when it is set up, and always by a poll endpoint the speaker calls with its
// own key. Each command is tracked: queued → sent → delivered (the speaker acknowledged it), or
// failed, or expired when nobody fetched it in time.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashToken } from '../auth/auth.service.ts';
import * as repo from './care.repository.ts';
import { auditRead } from './care-audit.ts';

export type CommandState = 'queued' | 'sent' | 'delivered' | 'failed' | 'expired';

/** What a speaker receives. */
export type DeviceCommand = { id: string; kind: 'speak'; text: string; expiresAt: number };

/** Publishes a command to a device (MQTT); false when no link is up, and the command waits for a poll. */
export type CommandLink = { publish(serial: string, command: DeviceCommand): Promise<boolean> };

/** A device's own key: made at registration, shown once, stored as a hash. */
export function newDeviceKey(): { key: string; hash: string } {
  const key = `dev_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashToken(key) };
}

export type KeyedDevice = { id: string; serial: string; kind: string; elderPersonId: string | null };

export async function deviceForKey(db: Kysely<DB>, key: string): Promise<KeyedDevice | undefined> {
  const row = await db
    .selectFrom('care_devices')
    .select(['id', 'serial', 'kind', 'elder_person_id'])
    .where('key_hash', '=', hashToken(key))
    .executeTakeFirst();
  return row && { id: row.id, serial: row.serial, kind: row.kind, elderPersonId: row.elder_person_id };
}

/** The lowest region that holds all the elders: their village, else their township, else their county. */
function commonPlacement(elders: repo.Elder[]): repo.Elder['placement'] {
  const first = (elders[0] as repo.Elder).placement;
  if (elders.length === 1) return first;
  const all = (pick: (p: repo.Elder['placement']) => string | null) => elders.every((e) => pick(e.placement) === pick(first));
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
  const elders = await repo.findElders(deps.reader, ids);
  const linked = new Set(await repo.linkedElderIds(deps.reader, principal.userId));
  for (const id of ids) {
    const elder = elders.get(id);
    if (!elder || !(allows(principal, 'care.manage', elder.placement) || linked.has(id))) throw notFound('elder');
  }
  const speakers = await deps.reader
    .selectFrom('care_devices')
    .select(['id', 'elder_person_id'])
    .where('elder_person_id', 'in', ids)
    .where('kind', '=', 'speaker')
    .execute();
  if (speakers.length === 0) throw new AppError('no_speaker');
  const placement = commonPlacement([...elders.values()]);
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'care.reminder', payload: input },
    async (trx) => {
      const now = deps.now();
      const id = uuidv7(now);
      await trx
        .insertInto('care_reminders')
        .values({
          id,
          text: input.text,
          ...placedColumns(placement),
          created_by: principal.userId,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('care_commands')
        .values(
          speakers.map((s) => ({
            id: uuidv7(now),
            reminder_id: id,
            device_id: s.id,
            elder_person_id: s.elder_person_id as string,
            kind: 'speak',
            payload: JSON.stringify({ text: input.text }),
            state: 'queued' as const,
            attempts: 0,
            created_at: now,
            sent_at: null,
            delivered_at: null,
            expires_at: now + deps.config.commandTtlHours * 3_600_000,
          })),
        )
        .execute();
      await recordAudit(
        trx,
        actor,
        {
          action: 'care.reminder.send',
          targetType: 'reminder',
          targetId: id,
          regionId: placement.regionId,
          details: { elders: ids.length },
        },
        now,
      );
      const withSpeaker = new Set(speakers.map((s) => s.elder_person_id));
      return { id, commands: speakers.length, withoutSpeaker: ids.filter((e) => !withSpeaker.has(e)) };
    },
  );
}

const toCommand = (r: { id: string; payload: string; expires_at: number }): DeviceCommand => ({
  id: r.id,
  kind: 'speak',
  text: (JSON.parse(r.payload) as { text: string }).text,
  expiresAt: r.expires_at,
});

/** A speaker polling with its own key: the commands waiting for it (marked sent), oldest first. */
export async function pollCommands(deps: Deps, device: KeyedDevice): Promise<DeviceCommand[]> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('care_commands')
      .select(['id', 'payload', 'expires_at'])
      .where('device_id', '=', device.id)
      .where('state', 'in', ['queued', 'sent'])
      .where('expires_at', '>', now)
      .orderBy('id')
      .limit(20)
      .execute();
    if (rows.length > 0) {
      await trx
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
  });
}

/** The device reports a command played (delivered) or not playable (failed); a repeat changes nothing. */
export async function acknowledgeCommand(
  deps: Deps,
  device: KeyedDevice,
  id: string,
  outcome: 'delivered' | 'failed',
): Promise<CommandState> {
  const now = deps.now();
  const row = await deps.db.selectFrom('care_commands').select(['state', 'device_id']).where('id', '=', id).executeTakeFirst();
  if (!row || row.device_id !== device.id) throw notFound('command');
  if (row.state === 'delivered' || row.state === 'failed') return row.state;
  await deps.db
    .updateTable('care_commands')
    .set({ state: outcome, delivered_at: outcome === 'delivered' ? now : null })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'sent', 'expired'])
    .execute();
  return outcome;
}

/**
 * The command job: expires what nobody fetched in time, and over a live MQTT link publishes what
 * is queued and publishes again what was sent a minute ago without an acknowledgement (up to five times).
 */
export async function dispatchCommands(deps: Deps, link: CommandLink | undefined): Promise<number> {
  const now = deps.now();
  await deps.db
    .updateTable('care_commands')
    .set({ state: 'expired' })
    .where('state', 'in', ['queued', 'sent'])
    .where('expires_at', '<=', now)
    .execute();
  if (!link) return 0;
  const due = await deps.reader
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
  let sent = 0;
  for (const row of due) {
    if (!(await link.publish(row.serial, toCommand(row)))) break;
    await deps.db
      .updateTable('care_commands')
      .set({ state: 'sent', sent_at: now, attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .where('state', 'in', ['queued', 'sent'])
      .execute();
    sent++;
  }
  return sent;
}

export type ReminderSummary = { id: string; text: string; createdAt: number; counts: Record<CommandState, number> };

/**
 * Reminders sent in the caller's scope, newest first, with how many speakers have played each;
 * audited: a reminder's text is often about an elder's health ("take the blood pressure pills").
 */
export async function listReminders(deps: Deps, principal: Principal, actor: Actor): Promise<ReminderSummary[]> {
  const reminders = await deps.reader
    .selectFrom('care_reminders as r')
    .select(['r.id', 'r.text', 'r.created_at'])
    .where((eb) => eb.or([inScope(scopeFor(principal, 'care.read'), { table: 'r' }), eb('r.created_by', '=', principal.userId)]))
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
  await auditRead(deps, actor, 'care.reminders.read', { targetType: 'reminder', details: { count: reminders.length } });
  if (reminders.length === 0) return [];
  const counts = await deps.reader
    .selectFrom('care_commands')
    .select(['reminder_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'reminder_id',
      'in',
      reminders.map((r) => r.id),
    )
    .groupBy(['reminder_id', 'state'])
    .execute();
  return reminders.map((r) => {
    const tally: Record<CommandState, number> = { queued: 0, sent: 0, delivered: 0, failed: 0, expired: 0 };
    for (const c of counts) if (c.reminder_id === r.id) tally[c.state as CommandState] = Number(c.n);
    return { id: r.id, text: r.text, createdAt: r.created_at, counts: tally };
  });
}

export type CommandDelivery = {
  elderPersonId: string;
  name: string;
  serial: string;
  state: CommandState;
  sentAt: number | null;
  deliveredAt: number | null;
};

/** One reminder's delivery, speaker by speaker; audited: it names the elders the reminder went to. */
export async function reminderDelivery(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<CommandDelivery[]> {
  const reminder = await deps.reader.selectFrom('care_reminders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!reminder) throw notFound('reminder');
  const placement = placementOf(reminder);
  if (reminder.created_by !== principal.userId && !allows(principal, 'care.read', placement)) throw notFound('reminder');
  const rows = await deps.reader
    .selectFrom('care_commands as c')
    .innerJoin('care_devices as d', 'd.id', 'c.device_id')
    .innerJoin('people as p', 'p.id', 'c.elder_person_id')
    .select(['c.elder_person_id', 'p.name', 'd.serial', 'c.state', 'c.sent_at', 'c.delivered_at'])
    .where('c.reminder_id', '=', id)
    .orderBy('p.name')
    .execute();
  await auditRead(deps, actor, 'care.reminder.read', { targetType: 'reminder', targetId: id, details: { count: rows.length } });
  return rows.map((r) => ({
    elderPersonId: r.elder_person_id,
    name: r.name,
    serial: r.serial,
    state: r.state,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
  }));
}
