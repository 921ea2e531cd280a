import type { Kysely } from 'kysely';

/**
 * The last number given out in each numbering (a day's cases, a villager group's households), taken
 * and raised in one statement (db/number-counters.ts) so that two writes at the same moment on
 * PostgreSQL never draw the same number, as counting the rows did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('number_counters')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
