import type { Kysely } from 'kysely';

/**
 * A password an administrator set (a new account's first, a reset) is known to two people: the
 * account must change it at its next password sign-in before anything else opens. 1 until then.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('credentials')
    .addColumn('must_change', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
