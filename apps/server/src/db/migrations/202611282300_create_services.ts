import type { Kysely } from 'kysely';

/**
 * Government services: the catalogue of service items (政务服务事项) with their materials, time
 * limits, places and tags; applications made online or by proxy at a postal service hall, their
 * uploaded materials and every step of their history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    // JSON: { name, required, note }[]
    .addColumn('materials', 'text', (c) => c.notNull())
    .addColumn('fee', 'text', (c) => c.notNull())
    .addColumn('statutory_days', 'integer', (c) => c.notNull())
    .addColumn('promised_days', 'integer', (c) => c.notNull())
    // JSON: ('county' | 'townshipHall' | 'postalHall' | 'online')[]
    .addColumn('places', 'text', (c) => c.notNull())
    // JSON: ('immediate' | 'atMostOneTrip' | 'zeroTrip' | 'nearby' | 'fullyOnline')[]
    .addColumn('tags', 'text', (c) => c.notNull())
    // JSON: life events (startingBusiness, havingChild, oldAge, farmingSubsidies, …)
    .addColumn('life_events', 'text', (c) => c.notNull())
    // The name, its pinyin and pinyin initials, lower case: what catalogue search matches.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('service_items.id'))
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('applicant_person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('household_id', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    // online | proxy (a service-hall agent on the villager's behalf, with consent recorded)
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('agent_user_id', 'text')
    .addColumn('consent_at', 'bigint')
    // submitted → accepted ⇄ moreMaterials → approved | refused → delivered
    .addColumn('state', 'text', (c) => c.notNull())
    // JSON: names of the materials asked for, all at once
    .addColumn('missing', 'text')
    // collect | mail
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('decided_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('overdue_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_applications_queue_idx')
    .on('service_applications')
    .columns(['department_id', 'state', 'due_at'])
    .execute();
  await db.schema
    .createIndex('service_applications_applicant_idx')
    .on('service_applications')
    .columns(['applicant_person_id', 'id'])
    .execute();
  await db.schema
    .createIndex('service_applications_township_idx')
    .on('service_applications')
    .columns(['township_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('service_application_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('service_applications.id'))
    .addColumn('material', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_application_files_app_idx').on('service_application_files').column('application_id').execute();

  await db.schema
    .createTable('service_application_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('service_applications.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_application_events_app_idx')
    .on('service_application_events')
    .columns(['application_id', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
