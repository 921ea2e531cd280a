// The care module's personal data as the privacy module reaches it (care.privacy.ts): export,
// erasure and the effects of a withdrawn consent.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

const EXPORT_READINGS_LIMIT = 100_000;

export async function careDataOf(db: Kysely<DB>, personId: string) {
  const elder = await db.selectFrom('care_elders').selectAll().where('person_id', '=', personId).executeTakeFirst();
  if (!elder) return null;
  const [devices, familyLinks, alarms, readings, visits, calls, reminders] = await Promise.all([
    db.selectFrom('care_devices').select(['serial', 'kind', 'created_at']).where('elder_person_id', '=', personId).execute(),
    db.selectFrom('care_family_links').select(['user_id', 'consent_at']).where('elder_person_id', '=', personId).execute(),
    db.selectFrom('care_alarms').select(['cause', 'state', 'first_at']).where('elder_person_id', '=', personId).execute(),
    db
      .selectFrom('care_readings')
      .select(['kind', 'value1', 'value2', 'at'])
      .where('elder_person_id', '=', personId)
      .orderBy('at')
      .limit(EXPORT_READINGS_LIMIT)
      .execute(),
    db.selectFrom('care_visits').selectAll().where('elder_person_id', '=', personId).execute(),
    db
      .selectFrom('care_calls')
      .select(['kind', 'direction', 'user_id', 'state', 'started_at'])
      .where('elder_person_id', '=', personId)
      .orderBy('started_at')
      .execute(),
    // What was sent to the elder's speaker, in words: the family's reminders are theirs alone.
    db
      .selectFrom('care_commands as c')
      .innerJoin('care_reminders as r', 'r.id', 'c.reminder_id')
      .select(['r.text', 'r.from_family', 'c.state', 'c.created_at'])
      .where('c.elder_person_id', '=', personId)
      .orderBy('c.created_at')
      .execute(),
  ]);
  return {
    elder: {
      livingSituation: elder.living_situation,
      conditions: JSON.parse(elder.conditions) as unknown,
      contacts: JSON.parse(elder.contacts) as unknown,
      presence: elder.presence,
      createdAt: new Date(Number(elder.created_at)).toISOString(),
    },
    devices: devices.map((d) => ({ serial: d.serial, kind: d.kind })),
    familyLinks: familyLinks.map((l) => ({ userId: l.user_id, consentAt: new Date(Number(l.consent_at)).toISOString() })),
    alarms: alarms.map((a) => ({ cause: a.cause, state: a.state, at: new Date(Number(a.first_at)).toISOString() })),
    readings: readings.map((r) => ({ kind: r.kind, value: r.value1, value2: r.value2, at: new Date(Number(r.at)).toISOString() })),
    visits: visits.length,
    calls: calls.map((c) => ({
      kind: c.kind,
      direction: c.direction,
      userId: c.user_id,
      state: c.state,
      at: new Date(Number(c.started_at)).toISOString(),
    })),
    reminders: reminders.map((r) => ({
      text: r.text,
      from: Number(r.from_family) === 1 ? 'family' : 'staff',
      state: r.state,
      at: new Date(Number(r.created_at)).toISOString(),
    })),
  };
}

export async function endFamilyLinks(db: Kysely<DB>, personId: string): Promise<void> {
  await db.deleteFrom('care_family_links').where('elder_person_id', '=', personId).execute();
}

/** The family's speaker reminders to the elder not yet played: they end with the family's access, unplayed. */
export async function endFamilyReminders(db: Kysely<DB>, personId: string): Promise<void> {
  await db
    .updateTable('care_commands')
    .set({ state: 'expired' })
    .where('elder_person_id', '=', personId)
    .where('state', 'in', ['queued', 'sent'])
    .where('reminder_id', 'in', (eb) => eb.selectFrom('care_reminders').select('id').where('from_family', '=', 1))
    .execute();
}

/** Raw readings, their roll-ups and the breaches under way: the health data itself. */
export async function deleteHealthData(db: Kysely<DB>, personIds: string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const result = await db.deleteFrom('care_readings').where('elder_person_id', 'in', personIds).executeTakeFirst();
  await db.deleteFrom('care_reading_rollups').where('elder_person_id', 'in', personIds).execute();
  await db.deleteFrom('care_breaches').where('elder_person_id', 'in', personIds).execute();
  return Number(result.numDeletedRows);
}

/** The optional facts of an elder's record; the record and its alarms stay as the care history. */
export async function blankElder(db: Kysely<DB>, personId: string, now: number): Promise<void> {
  await db
    .updateTable('care_elders')
    .set({ living_situation: '', conditions: '[]', contacts: '[]', updated_at: now })
    .where('person_id', '=', personId)
    .execute();
  await db.updateTable('care_devices').set({ elder_person_id: null }).where('elder_person_id', '=', personId).execute();
}

/** A withdrawn family access also takes back the standing consent to a look at home. */
export async function endLookConsent(db: Kysely<DB>, personId: string): Promise<void> {
  await db.updateTable('care_call_settings').set({ look_consent: 0, auto_answer: '[]' }).where('elder_person_id', '=', personId).execute();
}

/** Calls and looks, the call settings, and the home devices' keys (revoked) and pairing codes. */
export async function eraseCallData(db: Kysely<DB>, personId: string, now: number): Promise<void> {
  await db.deleteFrom('care_calls').where('elder_person_id', '=', personId).execute();
  await db.deleteFrom('care_call_settings').where('elder_person_id', '=', personId).execute();
  await db.deleteFrom('care_home_pairings').where('elder_person_id', '=', personId).execute();
  await db.updateTable('care_home_devices').set({ revoked_at: now }).where('elder_person_id', '=', personId).execute();
}
