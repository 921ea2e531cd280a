// The cases module's personal data as the privacy module reaches it (cases.privacy.ts): the cases
// a person reported through their accounts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

const reporterAccounts = (db: Kysely<DB>, personId: string) => db.selectFrom('users').select('id').where('person_id', '=', personId);

export async function casesReportedBy(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('cases')
    .select(['number', 'title', 'description', 'state', 'reporter_name', 'reporter_phone', 'public_state', 'created_at', 'closed_at'])
    .where('reporter_user_id', 'in', reporterAccounts(db, personId))
    .execute();
}

export async function openCasesReportedBy(db: Kysely<DB>, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('number')
    .where('reporter_user_id', 'in', reporterAccounts(db, personId))
    .where('closed_at', 'is', null)
    .execute();
  return rows.map((r) => r.number);
}

/** Takes the person's reports off the exposure board: moderation's "not shown" state. */
export async function unpublishReportsOf(db: Kysely<DB>, personId: string, now: number): Promise<void> {
  await db
    .updateTable('cases')
    .set({ public_state: 'rejected', moderated_at: now, moderated_by: null })
    .where('reporter_user_id', 'in', reporterAccounts(db, personId))
    .where('public_state', 'in', ['pending', 'published'])
    .execute();
}

export async function forgetReporter(db: Kysely<DB>, personId: string): Promise<void> {
  await db
    .updateTable('cases')
    .set({ reporter_name: null, reporter_phone: null })
    .where('reporter_user_id', 'in', reporterAccounts(db, personId))
    .execute();
}
