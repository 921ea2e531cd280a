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
