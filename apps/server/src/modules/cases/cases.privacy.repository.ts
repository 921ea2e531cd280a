// The cases module's personal data as the privacy module reaches it (cases.privacy.ts): the cases
// a person reported through their accounts (org's, given here as ids).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function casesReportedBy(db: Kysely<DB>, accountIds: readonly string[]) {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('cases')
    .select(['number', 'title', 'description', 'state', 'reporter_name', 'reporter_phone', 'public_state', 'created_at', 'closed_at'])
    .where('reporter_user_id', 'in', accountIds)
    .execute();
}

export async function openCasesReportedBy(db: Kysely<DB>, accountIds: readonly string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select('number')
    .where('reporter_user_id', 'in', accountIds)
    .where('closed_at', 'is', null)
    .execute();
  return rows.map((r) => r.number);
}

/** Takes the person's reports off the exposure board: moderation's "not shown" state. */
export async function unpublishReportsOf(db: Kysely<DB>, accountIds: readonly string[], now: number): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .updateTable('cases')
    .set({ public_state: 'rejected', moderated_at: now, moderated_by: null })
    .where('reporter_user_id', 'in', accountIds)
    .where('public_state', 'in', ['pending', 'published'])
    .execute();
}

export async function forgetReporter(db: Kysely<DB>, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db.updateTable('cases').set({ reporter_name: null, reporter_phone: null }).where('reporter_user_id', 'in', accountIds).execute();
}
