import { type Kysely, sql } from 'kysely';

/**
 * The last case number given out each day (Asia/Shanghai), taken and raised in one statement so
 * that two reports arriving together on PostgreSQL never draw the same number (counting the
 * day's cases did). Seeded from the cases already numbered.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_number_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  await sql`
    insert into case_number_counters (day, last)
    select substr(number, 1, 8), count(*) from cases group by substr(number, 1, 8)
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
