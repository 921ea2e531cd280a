import { type Kysely, sql } from 'kysely';

/**
 * Care, second part: each elder's own alarm rules over the county defaults; per-device keys;
 * caretakers' and doctors' visits, and the visits found missed at the end of a day; reminders sent
 * to home speakers as device commands with their delivery; hourly and daily roll-ups of readings,
 * kept after the raw readings' retention window has passed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // JSON: { [cause]: { limit?, forMinutes?, enabled? } }; null keeps every county default.
  await db.schema.alterTable('care_elders').addColumn('alarm_rules', 'text').execute();
  await db.schema.alterTable('care_elders').addColumn('inactivity_hours', 'integer').execute();
  // Rounds: a visit every n days and a care round (cooking, cleaning) every m days; null: the defaults.
  await db.schema.alterTable('care_elders').addColumn('visit_every_days', 'integer').execute();
  await db.schema.alterTable('care_elders').addColumn('care_round_every_days', 'integer').execute();

  // A device may hold its own key (a speaker polling for commands, a bracelet posting on its own).
  await db.schema.alterTable('care_devices').addColumn('key_hash', 'text').execute();
  await db.schema.createIndex('care_devices_key_hash').on('care_devices').column('key_hash').unique().execute();

  await db.schema
    .createTable('care_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('elder_person_id', 'text', (c) => c.notNull().references('care_elders.person_id'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    // visit | careRound | doctorVisit
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    // JSON: what was done (bloodPressureTaken, mealCooked, …)
    .addColumn('tasks', 'text', (c) => c.notNull())
    .addColumn('systolic', 'integer')
    .addColumn('diastolic', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_visits_elder_idx').on('care_visits').columns(['elder_person_id', 'kind', 'at']).execute();

  // A visit that was due on a day and did not happen, flagged once to the village.
  await db.schema
    .createTable('care_missed_visits')
    .addColumn('elder_person_id', 'text', (c) => c.notNull().references('care_elders.person_id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('caretaker_user_id', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('flagged_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('care_missed_visits_pk', ['elder_person_id', 'day', 'kind'])
    .execute();
  await db.schema.createIndex('care_missed_visits_village_idx').on('care_missed_visits').columns(['village_id', 'day']).execute();

  await db.schema
    .createTable('care_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // queued → sent (published or fetched) → delivered (the device acknowledged); or failed/expired.
  await db.schema
    .createTable('care_commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reminder_id', 'text', (c) => c.references('care_reminders.id'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('care_devices.id'))
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_commands_device_idx').on('care_commands').columns(['device_id', 'state']).execute();
  await db.schema.createIndex('care_commands_reminder_idx').on('care_commands').column('reminder_id').execute();

  // Additive aggregates (count, sums, extremes) per elder, kind and hour or day, grown as readings arrive.
  await db.schema
    .createTable('care_reading_rollups')
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('start', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sum1', 'real')
    .addColumn('min1', 'real')
    .addColumn('max1', 'real')
    .addColumn('sum2', 'real')
    .addColumn('min2', 'real')
    .addColumn('max2', 'real')
    .addPrimaryKeyConstraint('care_reading_rollups_pk', ['elder_person_id', 'kind', 'period', 'start'])
    .execute();
  // The last reading id rolled up: readings are rolled up in arrival (id) order, each once.
  await db.schema
    .createTable('care_rollup_marks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into care_rollup_marks (name, last_id) values ('readings', '')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
