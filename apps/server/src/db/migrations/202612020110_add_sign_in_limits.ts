import type { Kysely } from 'kysely';

/**
 * Sign-in limits that answer alike whether or not a number has an account (issue 15, the
 * attacker's review): login_failures counts wrong passwords for a number without a login account
 * (none, or an integration key's) as credentials counts them for an account, so that such a number
 * locks as an account would. Rows go a day after their last failure.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('phone', 'text', (c) => c.primaryKey())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
