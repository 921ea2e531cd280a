// The notices delivered to a person, as the privacy module reaches them (notices.privacy.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function receiptsOf(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('notice_recipients')
    .innerJoin('notices', 'notices.id', 'notice_recipients.notice_id')
    .select(['notices.title', 'notice_recipients.delivered_at', 'notice_recipients.read_at'])
    .where('notice_recipients.person_id', '=', personId)
    .execute();
}

/** Notices that expired before the cutoff and still carry attachments, with their file keys. */
export async function expiredWithAttachments(db: Kysely<DB>, cutoff: number, limit = 200) {
  const rows = await db
    .selectFrom('notices')
    .select(['id', 'attachments'])
    .where('expires_at', '<', cutoff)
    .where('attachments', '!=', '[]')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, keys: (JSON.parse(r.attachments) as { key: string }[]).map((a) => a.key) }));
}

export async function clearAttachments(db: Kysely<DB>, noticeId: string): Promise<void> {
  await db.updateTable('notices').set({ attachments: '[]' }).where('id', '=', noticeId).execute();
}
