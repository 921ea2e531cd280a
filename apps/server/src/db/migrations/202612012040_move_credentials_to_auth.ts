import { type Kysely, sql } from 'kysely';

/**
 * An account's login credentials (password hash, the count of wrong passwords and codes, the lock
 * they set) move from org's users rows into auth's own credentials table, so that auth writes no
 * table of org's. Rows are copied as they are; the old columns are then dropped (SQLite 3.35+ and
 * PostgreSQL both drop a plain column in place). An account without a credentials row has no
 * password: it cannot sign in with one (integration-key accounts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into credentials (user_id, password_hash, failed_logins, locked_until, updated_at)
    select id, password_hash, failed_logins, locked_until, updated_at from users`.execute(db);
  for (const column of ['password_hash', 'failed_logins', 'locked_until']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
