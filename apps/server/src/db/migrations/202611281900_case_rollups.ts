import { type Kysely, type SqlBool, SqliteAdapter, sql } from 'kysely';

/**
 * The appeals figures rolled up per village, category, department and source, for each local day
 * and each local month the cases came in: a year of a county's statistics sums the months and the
 * days at the edges, a few thousand rows, instead of scanning a million cases. Replaces the daily
 * roll-up per villager group, which held almost as many rows as there were cases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_daily_stats').execute();
  let table = db.schema
    .createTable('case_rollups')
    // 'd': bucket is the local day (days since 1970-01-01 in Asia/Shanghai); 'm': year * 12 + month - 1.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('department_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull());
  for (const counter of COUNTERS) table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await table.execute();
  await db.schema
    .createIndex('case_rollups_key')
    .on('case_rollups')
    .columns(['period', 'bucket', 'village_id', 'category_id', 'department_key', 'source'])
    .unique()
    .execute();

  // Overdue open cases are counted live (they depend on the moment): an index of the open cases
  // that holds every column the count needs answers it without reading the cases themselves. It
  // replaces the index of open cases by deadline alone, which is its first column.
  await db.schema.dropIndex('cases_open_deadline_idx').execute();
  await db.schema
    .createIndex('cases_open_overdue_idx')
    .on('cases')
    .columns([
      'deadline_at',
      'county_id',
      'township_id',
      'village_id',
      'region_id',
      'created_at',
      'category_id',
      'assignee_department_id',
      'source',
      'merged_into_id',
      'state',
    ])
    .where(sql<SqlBool>`state in ('received', 'assigned', 'accepted', 'handled')`)
    .execute();

  // Existing cases are rolled up once here; from now on every case write keeps the rows.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const local = sql`(c.created_at + 28800000)`;
  const day = sql`${local} / 86400000`;
  const month = sqlite
    ? sql`(cast(strftime('%Y', ${local} / 1000, 'unixepoch') as integer) * 12 + cast(strftime('%m', ${local} / 1000, 'unixepoch') as integer) - 1)`
    : sql`(extract(year from to_timestamp(${local} / 1000.0) at time zone 'UTC')::integer * 12 + extract(month from to_timestamp(${local} / 1000.0) at time zone 'UTC')::integer - 1)`;
  for (const [period, bucket] of [
    ['d', day],
    ['m', month],
  ] as const) {
    const flag = (condition: string) => sql.raw(`sum(case when ${condition} then 1 else 0 end)`);
    await sql`
      insert into case_rollups (period, bucket, village_id, township_id, county_id, category_id, department_key, source,
        received, answered, assigned, handled, replied, replied_on_time, closed, rated, rating_sum, satisfied)
      select ${period}, ${bucket}, c.village_id, c.township_id, c.county_id, c.category_id, coalesce(c.assignee_department_id, ''), c.source,
        count(*), ${flag('c.answered_at is not null')}, ${flag('c.assigned_at is not null')}, ${flag('c.handled_at is not null')},
        ${flag('c.replied_at is not null')}, ${flag('c.replied_at is not null and c.replied_at <= c.deadline_at')},
        ${flag('c.closed_at is not null')}, ${flag('c.rating is not null')}, coalesce(sum(c.rating), 0), ${flag('c.rating >= 4')}
      from cases c
      where c.merged_into_id is null and c.village_id is not null
      group by 2, 3, 4, 5, 6, 7, 8`.execute(db);
  }
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
] as const;

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
