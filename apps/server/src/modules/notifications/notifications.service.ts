// Telling people what happened: a message in the person's inbox in the app, or a text message for
// someone who has no account (a caller to the hotline). Other modules write messages only through
// `notify`, in the same transaction as what they report; texts go out afterwards through the SMS
// gateway (platform/notify.ts), each once.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { SmsGateway } from '../../platform/notify.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import * as repo from './notifications.repository.ts';

/**
 * The topic of the message that announces a notice (notices-push.service.ts). The notices inbox
 * counts those itself, so the home's 消息 figure leaves them out (listMine's unreadNotices).
 */
export const NOTICE_TOPIC = 'notices.notice';

export type Message = { topic: string; subjectType?: string; subjectId?: string; zh: string; en: string };
export type Recipient = { userId: string } | { phone: string };

/** Writes a message for a user's inbox, or a text for a phone; `db` is the caller's transaction. */
export function notify(db: Kysely<DB>, recipient: Recipient, message: Message, now: number): Promise<repo.NotificationRecord> {
  return repo.insertNotification(db, {
    id: uuidv7(now),
    userId: 'userId' in recipient ? recipient.userId : null,
    phone: 'phone' in recipient ? recipient.phone : null,
    channel: 'userId' in recipient ? 'inbox' : 'sms',
    topic: message.topic,
    subjectType: message.subjectType ?? null,
    subjectId: message.subjectId ?? null,
    messageZh: message.zh,
    messageEn: message.en,
    createdAt: now,
    readAt: null,
    sentAt: null,
    attempts: 0,
  });
}

const MAX_ATTEMPTS = 5;

/**
 * Sends waiting texts. Each is marked sent in its own statement right after the gateway took it,
 * and the job runs under a lease, so a text is sent once; a failing one is tried five times.
 */
export async function sendPendingTexts(db: Kysely<DB>, gateway: SmsGateway, now: () => number, batch = 100): Promise<number> {
  const pending = await repo.listPendingTexts(db, MAX_ATTEMPTS, batch);
  let sent = 0;
  for (const text of pending) {
    try {
      await gateway.send(text.phone, text.messageZh);
      await repo.recordTextAttempt(db, text.id, text.attempts + 1, now());
      sent++;
    } catch {
      await repo.recordTextAttempt(db, text.id, text.attempts + 1, null);
    }
  }
  return sent;
}

// ---- The signed-in person's inbox ----------------------------------------------------------------

export async function listMine(
  deps: Deps,
  principal: Principal,
  query: { limit?: number; cursor?: string },
): Promise<{ page: Page<repo.InboxItem>; unread: number; unreadNotices: number }> {
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text']);
  const [items, unread] = await Promise.all([
    repo.listInbox(deps.reader, principal.userId, after, limit),
    repo.countUnread(deps.reader, principal.userId, NOTICE_TOPIC),
  ]);
  return { page: toPage(items, limit, (n) => [n.id]), unread: unread.all, unreadNotices: unread.ofTopic };
}

/** Someone else's message is not found, never marked. */
export async function markRead(deps: Deps, principal: Principal, id: string): Promise<void> {
  if (await repo.markRead(deps.db, principal.userId, id, deps.now())) return;
  if (!(await repo.isUsersNotification(deps.db, principal.userId, id))) throw notFound('notification');
}

/** A notice read on the notices page: the message that announced it is read too; `db` is the caller's transaction. */
export function markNoticeMessageRead(db: Kysely<DB>, userId: string, noticeId: string, now: number): Promise<void> {
  return repo.markReadAbout(db, userId, NOTICE_TOPIC, noticeId, now);
}

export async function markAllRead(deps: Deps, principal: Principal): Promise<void> {
  await repo.markAllRead(deps.db, principal.userId, deps.now());
}
