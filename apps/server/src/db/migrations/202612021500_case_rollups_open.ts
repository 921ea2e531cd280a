import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Open cases counted in the roll-ups too. A case is overdue once the moment passes its deadline,
 * with no write to note it, so the statistics counted every open case live, which grew with the
 * county's history (277 ms at 1,000,000 cases). Now they take the open cases from the roll-ups and
 * subtract those not yet due, read from the index of open cases by deadline: only the cases whose
 * deadline is still ahead, which grow with the daily intake, not with the years.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('case_rollups')
    .addColumn('open_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // Existing cases: the open ones counted into their day's and month's rows (every case already has its rows).
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const local = sql`(c.created_at + 28800000)`;
  const month = sqlite
    ? sql`(cast(strftime('%Y', ${local} / 1000, 'unixepoch') as integer) * 12 + cast(strftime('%m', ${local} / 1000, 'unixepoch') as integer) - 1)`
    : sql`(extract(year from to_timestamp(${local} / 1000.0) at time zone 'UTC')::integer * 12 + extract(month from to_timestamp(${local} / 1000.0) at time zone 'UTC')::integer - 1)`;
  for (const [period, bucket] of [
    ['d', sql`${local} / 86400000`],
    ['m', month],
  ] as const) {
    await sql`
      update case_rollups set open_count = o.n
      from (
        select ${bucket} as bucket, c.village_id, c.category_id, coalesce(c.assignee_department_id, '') as department_key, c.source, count(*) as n
        from cases c
        where c.merged_into_id is null and c.village_id is not null
          and c.state in ('received', 'assigned', 'accepted', 'handled') and c.closed_at is null
        group by 1, 2, 3, 4, 5
      ) o
      where case_rollups.period = ${period} and case_rollups.bucket = o.bucket and case_rollups.village_id = o.village_id
        and case_rollups.category_id = o.category_id and case_rollups.department_key = o.department_key
        and case_rollups.source = o.source`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
