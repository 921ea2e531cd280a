import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * Return-to-poverty monitoring (poverty): the county's settings per year, every record of a
 * household's economics (the history is the rows, newest last), the monitored households with
 * their running procedure (status and steps done, under a version), each step's record, its
 * evidence files, the help measures, the follow-up visits and the objections to a public notice.
 * Households are org's: the household id is copied, not referenced, with its place, as cases do.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const placed = (table: CreateTableBuilder<string, any>) =>
    table
      .addColumn('region_id', 'text', (c) => c.notNull())
      .addColumn('village_id', 'text')
      .addColumn('township_id', 'text')
      .addColumn('county_id', 'text');

  await db.schema
    .createTable('poverty_settings')
    .addColumn('county_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('income_line', 'double precision', (c) => c.notNull())
    .addColumn('expense_ratio', 'double precision', (c) => c.notNull())
    .addColumn('expense_minimum', 'double precision', (c) => c.notNull())
    .addColumn('stable_months', 'integer', (c) => c.notNull())
    .addColumn('visit_interval_days', 'integer', (c) => c.notNull())
    .addColumn('notice_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('poverty_settings_pk', ['county_id', 'year'])
    .execute();

  await placed(
    db.schema
      .createTable('poverty_economics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull()),
  )
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('labour', 'integer', (c) => c.notNull())
    .addColumn('formerly_poor', 'integer', (c) => c.notNull())
    // JSON: { wage, business, property, transfer, other } in yuan
    .addColumn('income', 'text', (c) => c.notNull())
    .addColumn('income_year', 'double precision', (c) => c.notNull())
    .addColumn('income_last12', 'double precision', (c) => c.notNull())
    .addColumn('per_capita_year', 'double precision', (c) => c.notNull())
    .addColumn('per_capita_last12', 'double precision', (c) => c.notNull())
    // JSON: [{ kind, amount, note? }]
    .addColumn('expenses', 'text', (c) => c.notNull())
    // JSON: { food, clothing, education, medical, housing, water }: booleans
    .addColumn('assurances', 'text', (c) => c.notNull())
    .addColumn('serious_illness', 'integer', (c) => c.notNull())
    .addColumn('disaster', 'integer', (c) => c.notNull())
    .addColumn('causes_resolved', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    // entry | import
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_economics_household_idx').on('poverty_economics').columns(['household_id', 'recorded_at']).execute();
  await db.schema.createIndex('poverty_economics_village_idx').on('poverty_economics').columns(['village_id', 'recorded_at']).execute();

  await placed(
    db.schema
      .createTable('poverty_monitored')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('household_number', 'text', (c) => c.notNull())
      .addColumn('head_name', 'text', (c) => c.notNull()),
  )
    // null until the data comparison finds it
    .addColumn('category', 'text')
    // identifying | monitored | removing | removed | dismissed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_steps', 'integer', (c) => c.notNull())
    // data | visit | selfReport
    .addColumn('source', 'text', (c) => c.notNull())
    // JSON: FlagReason[]
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('notice_text', 'text')
    .addColumn('notice_starts_at', 'bigint')
    .addColumn('notice_ends_at', 'bigint')
    .addColumn('next_visit_due_at', 'bigint')
    .addColumn('flagged_by', 'text')
    .addColumn('flagged_at', 'bigint', (c) => c.notNull())
    .addColumn('monitored_at', 'bigint')
    .addColumn('removed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_monitored_household_idx').on('poverty_monitored').columns(['household_id', 'flagged_at']).execute();
  await db.schema.createIndex('poverty_monitored_village_idx').on('poverty_monitored').columns(['village_id', 'status']).execute();
  await db.schema.createIndex('poverty_monitored_township_idx').on('poverty_monitored').columns(['township_id', 'status']).execute();
  await db.schema.createIndex('poverty_monitored_county_idx').on('poverty_monitored').columns(['county_id', 'status']).execute();

  await db.schema
    .createTable('poverty_step_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitored_id', 'text', (c) => c.notNull().references('poverty_monitored.id'))
    // flag | identification | removal
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    // approve | reject | flag
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_step_events_monitored_idx').on('poverty_step_events').columns(['monitored_id', 'at']).execute();

  await db.schema
    .createTable('poverty_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitored_id', 'text', (c) => c.notNull().references('poverty_monitored.id'))
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('step_event_id', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_evidence_monitored_idx').on('poverty_evidence').columns(['monitored_id']).execute();

  await placed(
    db.schema
      .createTable('poverty_measures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('monitored_id', 'text', (c) => c.notNull().references('poverty_monitored.id')),
  )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_measures_monitored_idx').on('poverty_measures').columns(['monitored_id']).execute();
  await db.schema.createIndex('poverty_measures_village_idx').on('poverty_measures').columns(['village_id', 'kind']).execute();

  await db.schema
    .createTable('poverty_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitored_id', 'text', (c) => c.notNull().references('poverty_monitored.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('visitor_user_id', 'text', (c) => c.notNull())
    .addColumn('visitor_name', 'text')
    // JSON: measure ids done on this visit
    .addColumn('measures_done', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poverty_visits_monitored_idx').on('poverty_visits').columns(['monitored_id', 'at']).execute();

  await db.schema
    .createTable('poverty_objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitored_id', 'text', (c) => c.notNull().references('poverty_monitored.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('upheld', 'integer')
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('poverty_objections_monitored_idx').on('poverty_objections').columns(['monitored_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'poverty_objections',
    'poverty_visits',
    'poverty_measures',
    'poverty_evidence',
    'poverty_step_events',
    'poverty_monitored',
    'poverty_economics',
    'poverty_settings',
  ])
    await db.schema.dropTable(table).execute();
}
