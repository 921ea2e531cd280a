import type { Kysely } from 'kysely';

/**
 * Villagers and family members sign in with a six-digit code texted to their phone. Each request
 * for a code is a row, whether or not a code went out (a number without an account, a staff
 * account), so that the limits per number and per address count every request alike and the
 * answer tells nobody which numbers have accounts. Codes are kept as hashes; rows go after a day.
 * A session opened by a code may stay signed in for 30 days on the person's phone (stays_until),
 * instead of ending after the idle timeout.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sms_login_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('code_hash', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('sms_login_codes_phone_idx').on('sms_login_codes').columns(['phone', 'created_at']).execute();
  await db.schema.createIndex('sms_login_codes_ip_idx').on('sms_login_codes').columns(['ip', 'created_at']).execute();
  await db.schema.alterTable('sessions').addColumn('stays_until', 'bigint').execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
