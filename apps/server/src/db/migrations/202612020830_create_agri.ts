import type { Kysely } from 'kysely';

/**
 * Farms (agri, issue 17): a household's plots and flocks (placed where the household is, retired
 * rather than deleted so the history keeps them), each change to them, uploaded photos,
 * observations, the advice library, its validity periods and deliveries (one row per rule,
 * household and period: what makes a retried push deliver nobody twice), the weather by place and
 * day, and questions with their messages. The tables are agri's alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const placed = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('region_id', 'text', (c) => c.notNull())
      .addColumn('village_id', 'text')
      .addColumn('township_id', 'text')
      .addColumn('county_id', 'text');

  await placed('agri_plots')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('crop', 'text', (c) => c.notNull())
    .addColumn('variety', 'text', (c) => c.notNull())
    .addColumn('area_mu', 'real', (c) => c.notNull())
    .addColumn('planted_on', 'text')
    .addColumn('growth_stage', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_plots_household_idx').on('agri_plots').columns(['household_id']).execute();
  await db.schema.createIndex('agri_plots_township_idx').on('agri_plots').columns(['township_id', 'crop']).execute();

  await placed('agri_flocks')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('species', 'text', (c) => c.notNull())
    .addColumn('breed', 'text', (c) => c.notNull())
    .addColumn('head_count', 'integer', (c) => c.notNull())
    .addColumn('started_on', 'text')
    .addColumn('growth_stage', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_flocks_household_idx').on('agri_flocks').columns(['household_id']).execute();
  await db.schema.createIndex('agri_flocks_township_idx').on('agri_flocks').columns(['township_id', 'species']).execute();

  await db.schema
    .createTable('agri_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull())
    // plot | flock
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // created | changed | retired
    .addColumn('action', 'text', (c) => c.notNull())
    // JSON: { field: { from, to } }
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text')
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_changes_household_idx').on('agri_changes').columns(['household_id', 'at']).execute();

  await db.schema
    .createTable('agri_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('thumb_key', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // observation | question | message | rule, once attached
    .addColumn('attached_type', 'text')
    .addColumn('attached_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await placed('agri_observations')
    .addColumn('plot_id', 'text')
    .addColumn('flock_id', 'text')
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('observed_on', 'text', (c) => c.notNull())
    .addColumn('growth_stage', 'text')
    .addColumn('pest', 'text')
    .addColumn('deaths', 'integer')
    .addColumn('quantity_kg', 'real')
    .addColumn('price_yuan_per_kg', 'real')
    .addColumn('note', 'text', (c) => c.notNull())
    // JSON: string[]
    .addColumn('photo_ids', 'text', (c) => c.notNull())
    .addColumn('camera_id', 'text')
    .addColumn('snapshot_id', 'text', (c) => c.unique())
    .addColumn('by_user_id', 'text')
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_observations_household_idx').on('agri_observations').columns(['household_id', 'created_at']).execute();
  await db.schema.createIndex('agri_observations_township_idx').on('agri_observations').columns(['township_id', 'observed_on']).execute();

  await db.schema
    .createTable('agri_advice_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON arrays
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('growth_stages', 'text', (c) => c.notNull())
    .addColumn('months', 'text', (c) => c.notNull())
    .addColumn('solar_terms', 'text', (c) => c.notNull())
    .addColumn('weather', 'text', (c) => c.notNull())
    .addColumn('picture_ids', 'text', (c) => c.notNull())
    .addColumn('valid_days', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agri_advice_periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text', (c) => c.notNull().references('agri_advice_rules.id'))
    // YYYY-MM-DD, Beijing; the end is exclusive
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agri_advice_periods_rule_start', ['rule_id', 'starts_on'])
    .execute();

  await db.schema
    .createTable('agri_advice_deliveries')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('period_id', 'text', (c) => c.notNull().references('agri_advice_periods.id'))
    .addColumn('notice_id', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('delivered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('agri_advice_deliveries_pk', ['rule_id', 'household_id', 'period_id'])
    .execute();
  await db.schema.createIndex('agri_advice_deliveries_household_idx').on('agri_advice_deliveries').columns(['household_id']).execute();
  await db.schema.createIndex('agri_advice_deliveries_period_idx').on('agri_advice_deliveries').columns(['period_id']).execute();

  await db.schema
    .createTable('agri_weather')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('min_temp_c', 'real', (c) => c.notNull())
    .addColumn('max_temp_c', 'real', (c) => c.notNull())
    .addColumn('rain_mm', 'real', (c) => c.notNull())
    // JSON: conditions named outright
    .addColumn('named_conditions', 'text', (c) => c.notNull())
    // manual | feed
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agri_weather_region_date', ['region_id', 'date'])
    .execute();

  await placed('agri_questions')
    .addColumn('plot_id', 'text')
    .addColumn('flock_id', 'text')
    .addColumn('subject_name', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('photo_ids', 'text', (c) => c.notNull())
    // open | answered | closed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('answered_by_name', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_questions_township_idx').on('agri_questions').columns(['township_id', 'state', 'asked_at']).execute();
  await db.schema.createIndex('agri_questions_household_idx').on('agri_questions').columns(['household_id', 'asked_at']).execute();

  await db.schema
    .createTable('agri_question_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('question_id', 'text', (c) => c.notNull().references('agri_questions.id'))
    // household | extensionWorker
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text', (c) => c.notNull())
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('photo_ids', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agri_question_messages_question_idx').on('agri_question_messages').columns(['question_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'agri_question_messages',
    'agri_questions',
    'agri_weather',
    'agri_advice_deliveries',
    'agri_advice_periods',
    'agri_advice_rules',
    'agri_observations',
    'agri_photos',
    'agri_changes',
    'agri_flocks',
    'agri_plots',
  ])
    await db.schema.dropTable(table).execute();
}
