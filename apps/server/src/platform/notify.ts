// Telling people what happened: a message in the person's inbox in the app, or a text message for
// someone who has no account (a caller to the hotline). Messages are written in the same
// transaction as what they report; texts go out afterwards through the SMS gateway, each once.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { uuidv7 } from './ids.ts';

export type Message = { topic: string; subjectType?: string; subjectId?: string; zh: string; en: string };
export type Recipient = { userId: string } | { phone: string };

export async function notify(db: Kysely<DB>, recipient: Recipient, message: Message, now: number): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: uuidv7(now),
      user_id: 'userId' in recipient ? recipient.userId : null,
      phone: 'phone' in recipient ? recipient.phone : null,
      channel: 'userId' in recipient ? 'inbox' : 'sms',
      topic: message.topic,
      subject_type: message.subjectType ?? null,
      subject_id: message.subjectId ?? null,
      message_zh: message.zh,
      message_en: message.en,
      created_at: now,
      read_at: null,
      sent_at: null,
      attempts: 0,
    })
    .execute();
}

/** What a real SMS provider implements; the default writes to the log. */
export interface SmsGateway {
  send(phone: string, text: string): Promise<void>;
}

export function logSmsGateway(log: (line: Record<string, unknown>) => void): SmsGateway {
  return {
    async send(phone, text) {
      log({ sms: { to: `${phone.slice(0, 3)}****${phone.slice(-4)}`, text } });
    },
  };
}

const MAX_ATTEMPTS = 5;

/**
 * Sends waiting texts. Each is marked sent in its own statement right after the gateway took it,
 * and the job runs under a lease, so a text is sent once; a failing one is tried five times.
 */
export async function sendPendingTexts(db: Kysely<DB>, gateway: SmsGateway, now: () => number, batch = 100): Promise<number> {
  const pending = await db
    .selectFrom('notifications')
    .select(['id', 'phone', 'message_zh', 'attempts'])
    .where('channel', '=', 'sms')
    .where('sent_at', 'is', null)
    .where('attempts', '<', MAX_ATTEMPTS)
    .orderBy('id')
    .limit(batch)
    .execute();
  let sent = 0;
  for (const text of pending) {
    try {
      await gateway.send(text.phone as string, text.message_zh);
      await db
        .updateTable('notifications')
        .set({ sent_at: now(), attempts: text.attempts + 1 })
        .where('id', '=', text.id)
        .execute();
      sent++;
    } catch {
      await db
        .updateTable('notifications')
        .set({ attempts: text.attempts + 1 })
        .where('id', '=', text.id)
        .execute();
    }
  }
  return sent;
}
