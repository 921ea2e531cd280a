import type { Kysely } from 'kysely';

/**
 * The appeals figures rolled up per day the cases came in, per place, category, department and
 * source, kept by every case write: a year of a county's statistics sums a few thousand rows
 * instead of scanning a million cases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable('case_daily_stats')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('department_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull());
  for (const counter of [
    'received',
    'answered',
    'assigned',
    'handled',
    'replied',
    'replied_on_time',
    'closed',
    'rated',
    'rating_sum',
    'satisfied',
  ]) {
    table = table.addColumn(counter, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await table.addPrimaryKeyConstraint('case_daily_stats_pk', ['day', 'region_id', 'category_id', 'department_key', 'source']).execute();
  await db.schema.createIndex('case_daily_stats_county_day_idx').on('case_daily_stats').columns(['county_id', 'day']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
