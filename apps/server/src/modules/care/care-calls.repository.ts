// Family calls and looks at home (care): the calls with how they ended, the elder's call settings,
// the elder's home devices and the one-time codes that pair them.
import type { Kysely } from 'kysely';
import type { CareCallTable, DB } from '../../db/schema.ts';

export type CallRecord = {
  id: string;
  elderPersonId: string;
  kind: CareCallTable['kind'];
  direction: CareCallTable['direction'];
  userId: string;
  state: CareCallTable['state'];
  autoAnswered: boolean;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: string | null;
};

const toCall = (r: CareCallTable): CallRecord => ({
  id: r.id,
  elderPersonId: r.elder_person_id,
  kind: r.kind,
  direction: r.direction,
  userId: r.user_id,
  state: r.state,
  autoAnswered: r.auto_answered === 1,
  startedAt: Number(r.started_at),
  answeredAt: r.answered_at === null ? null : Number(r.answered_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  endReason: r.end_reason,
});

export async function insertCall(db: Kysely<DB>, call: CallRecord): Promise<CallRecord> {
  await db
    .insertInto('care_calls')
    .values({
      id: call.id,
      elder_person_id: call.elderPersonId,
      kind: call.kind,
      direction: call.direction,
      user_id: call.userId,
      state: call.state,
      auto_answered: call.autoAnswered ? 1 : 0,
      started_at: call.startedAt,
      answered_at: call.answeredAt,
      ended_at: call.endedAt,
      end_reason: call.endReason,
    })
    .execute();
  return call;
}

export async function findCall(db: Kysely<DB>, id: string): Promise<CallRecord | undefined> {
  const row = await db.selectFrom('care_calls').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCall(row);
}

/** Moves a call on from the state it was seen in; false when another request moved it first. */
export async function moveCall(
  db: Kysely<DB>,
  id: string,
  from: CallRecord['state'][],
  to: Pick<CallRecord, 'state'> & Partial<Pick<CallRecord, 'answeredAt' | 'endedAt' | 'endReason' | 'autoAnswered'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('care_calls')
    .set({
      state: to.state,
      ...(to.answeredAt !== undefined && { answered_at: to.answeredAt }),
      ...(to.endedAt !== undefined && { ended_at: to.endedAt }),
      ...(to.endReason !== undefined && { end_reason: to.endReason }),
      ...(to.autoAnswered !== undefined && { auto_answered: to.autoAnswered ? 1 : 0 }),
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Calls still ringing or on: a restart finds them so and ends them. */
export async function openCalls(db: Kysely<DB>, elderPersonId?: string): Promise<CallRecord[]> {
  let query = db.selectFrom('care_calls').selectAll().where('state', 'in', ['ringing', 'active']);
  if (elderPersonId) query = query.where('elder_person_id', '=', elderPersonId);
  return (await query.execute()).map(toCall);
}

/** The latest calls of an elder's home, or of one user (with one elder, or all), newest first. */
export async function listCalls(db: Kysely<DB>, filter: { elderPersonId?: string; userId?: string }, limit = 100): Promise<CallRecord[]> {
  let query = db.selectFrom('care_calls').selectAll();
  if (filter.elderPersonId) query = query.where('elder_person_id', '=', filter.elderPersonId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toCall);
}

/** Whether the elder answered or made a call since this moment: they were seen then. */
export async function spokeSince(db: Kysely<DB>, elderPersonId: string, since: number): Promise<boolean> {
  const row = await db
    .selectFrom('care_calls')
    .select('id')
    .where('elder_person_id', '=', elderPersonId)
    .where('answered_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type CallSettings = { autoAnswerUserIds: string[]; lookConsent: boolean };

export async function findSettings(db: Kysely<DB>, elderPersonId: string): Promise<CallSettings> {
  const row = await db.selectFrom('care_call_settings').selectAll().where('elder_person_id', '=', elderPersonId).executeTakeFirst();
  if (!row) return { autoAnswerUserIds: [], lookConsent: false };
  return { autoAnswerUserIds: JSON.parse(row.auto_answer) as string[], lookConsent: row.look_consent === 1 };
}

export async function saveSettings(db: Kysely<DB>, elderPersonId: string, settings: CallSettings, by: string, now: number): Promise<void> {
  const values = {
    auto_answer: JSON.stringify(settings.autoAnswerUserIds),
    look_consent: settings.lookConsent ? 1 : 0,
    updated_by: by,
    updated_at: now,
  };
  await db
    .insertInto('care_call_settings')
    .values({ elder_person_id: elderPersonId, ...values })
    .onConflict((oc) => oc.column('elder_person_id').doUpdateSet(values))
    .execute();
}

export type HomeDevice = { id: string; elderPersonId: string };

export async function insertHomeDevice(
  db: Kysely<DB>,
  device: HomeDevice & { keyHash: string; pairedBy: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('care_home_devices')
    .values({
      id: device.id,
      elder_person_id: device.elderPersonId,
      key_hash: device.keyHash,
      paired_by: device.pairedBy,
      created_at: now,
      last_seen_at: now,
      revoked_at: null,
    })
    .execute();
}

export async function findHomeDeviceByKeyHash(db: Kysely<DB>, keyHash: string): Promise<HomeDevice | undefined> {
  const row = await db
    .selectFrom('care_home_devices')
    .select(['id', 'elder_person_id'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, elderPersonId: row.elder_person_id };
}

export async function insertPairing(
  db: Kysely<DB>,
  pairing: { codeHash: string; elderPersonId: string; issuedBy: string; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('care_home_pairings')
    .values({
      code_hash: pairing.codeHash,
      elder_person_id: pairing.elderPersonId,
      issued_by: pairing.issuedBy,
      expires_at: pairing.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Takes a pairing code: once, before it expires. Answers whose home and who issued it. */
export async function usePairing(
  db: Kysely<DB>,
  codeHash: string,
  now: number,
): Promise<{ elderPersonId: string; issuedBy: string } | undefined> {
  const row = await db
    .selectFrom('care_home_pairings')
    .select(['elder_person_id', 'issued_by'])
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const taken = await db
    .updateTable('care_home_pairings')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return undefined;
  return { elderPersonId: row.elder_person_id, issuedBy: row.issued_by };
}

/** Revokes home devices (one, or all of an elder's): their keys stop working at once. Answers how many. */
export async function revokeHomeDevices(db: Kysely<DB>, filter: { id?: string; elderPersonId: string }, now: number): Promise<number> {
  let query = db
    .updateTable('care_home_devices')
    .set({ revoked_at: now })
    .where('elder_person_id', '=', filter.elderPersonId)
    .where('revoked_at', 'is', null);
  if (filter.id) query = query.where('id', '=', filter.id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}
