// The points module's household data as the privacy module reaches it (points.privacy.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function householdPoints(db: Kysely<DB>, householdId: string) {
  const account = await db
    .selectFrom('points_accounts')
    .select(['balance', 'public_name'])
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  const ledger = await db
    .selectFrom('points_ledger')
    .select(['amount', 'balance_after', 'kind', 'category', 'month'])
    .where('household_id', '=', householdId)
    .orderBy('seq')
    .execute();
  return { account: account && { balance: account.balance, publicName: account.public_name === 1 }, ledger };
}

export async function hideHouseholdName(db: Kysely<DB>, householdId: string): Promise<void> {
  await db.updateTable('points_accounts').set({ public_name: 0 }).where('household_id', '=', householdId).execute();
}
