import { type Kysely, sql } from 'kysely';

/**
 * The appeals roll-ups summed once more per township and per county, for each local day and
 * month: a county's year of statistics reads one row per category, department and source and
 * period (a few hundred) instead of one per village too (ten thousand at a million cases, and
 * more as the villages' rows fill in), and stays the same size as the cases grow. Kept in the same
 * transaction as every case write, like the village rows they are summed from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable('case_area_rollups')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    // 'county' or 'township'; area_id is that region's id, and county_id / township_id place it.
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('area_id', 'text', (c) => c.notNull())
    .addColumn('county_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('department_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull());
  for (const counter of COUNTERS) table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await table.execute();
  await db.schema
    .createIndex('case_area_rollups_key')
    .on('case_area_rollups')
    .columns(['period', 'bucket', 'area_id', 'category_id', 'department_key', 'source'])
    .unique()
    .execute();
  const sums = sql.raw(COUNTERS.map((c) => `sum(r.${c})`).join(', '));
  const columns = sql.raw(COUNTERS.join(', '));
  await sql`
    insert into case_area_rollups (period, bucket, level, area_id, county_id, township_id, category_id, department_key, source, ${columns})
    select r.period, r.bucket, 'county', r.county_id, r.county_id, null, r.category_id, r.department_key, r.source, ${sums}
    from case_rollups r where r.county_id is not null
    group by r.period, r.bucket, r.county_id, r.category_id, r.department_key, r.source`.execute(db);
  await sql`
    insert into case_area_rollups (period, bucket, level, area_id, county_id, township_id, category_id, department_key, source, ${columns})
    select r.period, r.bucket, 'township', r.township_id, r.county_id, r.township_id, r.category_id, r.department_key, r.source, ${sums}
    from case_rollups r where r.township_id is not null
    group by r.period, r.bucket, r.county_id, r.township_id, r.category_id, r.department_key, r.source`.execute(db);
}

const COUNTERS = [
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
  'open_count',
] as const;

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
