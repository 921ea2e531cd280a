// Who a notice reached (one row per person, written once) and when each read it: the inbox of
// villagers and the receipts of cadres.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type RecipientRecord = {
  noticeId: string;
  personId: string;
  householdId: string | null;
  userId: string | null;
  deliveredAt: number;
  readAt: number | null;
};

/** Writes the person's row unless the notice already reached them; says whether it was new. */
export async function insertRecipient(db: Kysely<DB>, recipient: RecipientRecord): Promise<boolean> {
  const inserted = await db
    .insertInto('notice_recipients')
    .values({
      notice_id: recipient.noticeId,
      person_id: recipient.personId,
      household_id: recipient.householdId,
      user_id: recipient.userId,
      delivered_at: recipient.deliveredAt,
      read_at: recipient.readAt,
    })
    .onConflict((oc) => oc.columns(['notice_id', 'person_id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function countRecipients(db: Kysely<DB>, noticeId: string): Promise<number> {
  const row = await db
    .selectFrom('notice_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notice_id', '=', noticeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type InboxRow = { id: string; title: string; urgent: boolean; sentAt: number; read: boolean };

/** The notices that reached a user and have not expired at `now`, newest first. */
export async function listInbox(db: Kysely<DB>, userId: string, now: number, limit: number): Promise<InboxRow[]> {
  const rows = await db
    .selectFrom('notice_recipients as r')
    .innerJoin('notices as n', 'n.id', 'r.notice_id')
    .select(['n.id', 'n.title', 'n.urgent', 'n.sent_at', 'r.read_at'])
    .where('r.user_id', '=', userId)
    .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', now)]))
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, urgent: r.urgent === 1, sentAt: r.sent_at as number, read: r.read_at !== null }));
}

/** The user's own row for a notice, if it reached them. */
export async function findUsersReceipt(
  db: Kysely<DB>,
  noticeId: string,
  userId: string,
): Promise<{ personId: string; readAt: number | null } | undefined> {
  const row = await db
    .selectFrom('notice_recipients')
    .select(['person_id', 'read_at'])
    .where('notice_id', '=', noticeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { personId: row.person_id, readAt: row.read_at };
}

/** The first read counts: a row already read keeps its time. */
export async function markRead(db: Kysely<DB>, noticeId: string, personId: string, now: number): Promise<void> {
  await db
    .updateTable('notice_recipients')
    .set({ read_at: now })
    .where('notice_id', '=', noticeId)
    .where('person_id', '=', personId)
    .where('read_at', 'is', null)
    .execute();
}

/** Each person a notice reached: their household and when they read it. */
export async function listReceipts(db: Kysely<DB>, noticeId: string): Promise<{ householdId: string | null; readAt: number | null }[]> {
  const rows = await db.selectFrom('notice_recipients').select(['household_id', 'read_at']).where('notice_id', '=', noticeId).execute();
  return rows.map((r) => ({ householdId: r.household_id, readAt: r.read_at }));
}
