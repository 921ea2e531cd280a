// The notifications table: each person's inbox messages, and the texts waiting for the SMS gateway.
import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';

export type NotificationRecord = {
  id: string;
  userId: string | null;
  phone: string | null;
  channel: 'inbox' | 'sms';
  topic: string;
  subjectType: string | null;
  subjectId: string | null;
  messageZh: string;
  messageEn: string;
  createdAt: number;
  readAt: number | null;
  sentAt: number | null;
  attempts: number;
};

export type InboxItem = Pick<
  NotificationRecord,
  'id' | 'topic' | 'subjectType' | 'subjectId' | 'messageZh' | 'messageEn' | 'createdAt' | 'readAt'
>;

export async function insertNotification(db: Kysely<DB>, record: NotificationRecord): Promise<NotificationRecord> {
  await db
    .insertInto('notifications')
    .values({
      id: record.id,
      user_id: record.userId,
      phone: record.phone,
      channel: record.channel,
      topic: record.topic,
      subject_type: record.subjectType,
      subject_id: record.subjectId,
      message_zh: record.messageZh,
      message_en: record.messageEn,
      created_at: record.createdAt,
      read_at: record.readAt,
      sent_at: record.sentAt,
      attempts: record.attempts,
    })
    .execute();
  return record;
}

/** One page of a user's inbox, newest first; `after` is the last id of the page before. */
export async function listInbox(db: Kysely<DB>, userId: string, after: [string] | undefined, limit: number): Promise<InboxItem[]> {
  const query = db
    .selectFrom('notifications')
    .select(['id', 'topic', 'subject_type', 'subject_id', 'message_zh', 'message_en', 'created_at', 'read_at'])
    .where('user_id', '=', userId);
  const rows = await keysetPage(query, [['id', 'desc']], after, limit).execute();
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    messageZh: r.message_zh,
    messageEn: r.message_en,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

/** The user's unread messages, and how many of them are of `topic`. */
export async function countUnread(db: Kysely<DB>, userId: string, topic: string): Promise<{ all: number; ofTopic: number }> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('topic', '=', topic).then(1).else(0).end()).as('of_topic'),
    ])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { all: Number(row.n), ofTopic: Number(row.of_topic ?? 0) };
}

/** Marks the user's message read if it was unread; says whether a row changed. */
export async function markRead(db: Kysely<DB>, userId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks read the user's unread messages of a topic about one subject. */
export async function markReadAbout(db: Kysely<DB>, userId: string, topic: string, subjectId: string, now: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('topic', '=', topic)
    .where('subject_id', '=', subjectId)
    .where('read_at', 'is', null)
    .execute();
}

export async function isUsersNotification(db: Kysely<DB>, userId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function markAllRead(db: Kysely<DB>, userId: string, now: number): Promise<void> {
  await db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export type PendingText = { id: string; phone: string; messageZh: string; attempts: number };

/** Texts not yet sent and not yet given up on, oldest first. */
export async function listPendingTexts(db: Kysely<DB>, maxAttempts: number, limit: number): Promise<PendingText[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'phone', 'message_zh', 'attempts'])
    .where('channel', '=', 'sms')
    .where('sent_at', 'is', null)
    .where('attempts', '<', maxAttempts)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, phone: r.phone as string, messageZh: r.message_zh, attempts: r.attempts }));
}

/** One more attempt at a text, and when the gateway took it (null while it has not). */
export async function recordTextAttempt(db: Kysely<DB>, id: string, attempts: number, sentAt: number | null): Promise<void> {
  await db
    .updateTable('notifications')
    .set(sentAt === null ? { attempts } : { attempts, sent_at: sentAt })
    .where('id', '=', id)
    .execute();
}
