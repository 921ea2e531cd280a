import { type Kysely, type SqlBool, sql } from 'kysely';

/**
 * Care for empty-nester elders: elders and their devices, readings from bracelets and home
 * buttons, the last activity of each elder, per-rule breach state, and alarms with their lifecycle.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('care_elders')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('people.id'))
    .addColumn('household_id', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('living_situation', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('doctor_user_id', 'text')
    .addColumn('caretaker_user_id', 'text')
    // home | away | hospital: away and in hospital, nobody expects activity at home.
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_elders_township_idx').on('care_elders').columns(['township_id', 'village_id']).execute();

  // A family member sees one elder's care, linked by the village with the elder's consent.
  await db.schema
    .createTable('care_family_links')
    .addColumn('elder_person_id', 'text', (c) => c.notNull().references('care_elders.person_id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('consent_at', 'bigint', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('care_family_links_pk', ['elder_person_id', 'user_id'])
    .execute();
  await db.schema.createIndex('care_family_links_user_idx').on('care_family_links').column('user_id').execute();

  await db.schema
    .createTable('care_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('elder_person_id', 'text', (c) => c.references('care_elders.person_id'))
    .addColumn('battery', 'integer')
    .addColumn('last_seen_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_devices_elder_idx').on('care_devices').column('elder_person_id').execute();

  // Raw readings in arrival order (the primary key is time-ordered), so inserts append; a reading
  // repeated by a device (same device and reading key) is stored once.
  await db.schema
    .createTable('care_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('reading_key', 'text', (c) => c.notNull())
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value1', 'real')
    .addColumn('value2', 'real')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_readings_device_key').on('care_readings').columns(['device_id', 'reading_key']).unique().execute();
  await db.schema.createIndex('care_readings_elder_idx').on('care_readings').columns(['elder_person_id', 'kind', 'at']).execute();

  // Since when a threshold has been crossed without a break (for rules with a duration).
  await db.schema
    .createTable('care_breaches')
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('care_breaches_pk', ['elder_person_id', 'cause'])
    .execute();

  await db.schema
    .createTable('care_alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('elder_person_id', 'text', (c) => c.notNull().references('care_elders.person_id'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    // pending (a fall waiting for "I'm OK") → raised → acknowledged → resolved; or cancelled.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('repeats', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('value', 'real')
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('note', 'text')
    // How far along the chain (family, caretaker, grid worker, village cadre, doctor) it has been sent.
    .addColumn('escalation_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // No flood: one open alarm per elder and cause; repeats are counted on it.
  await db.schema
    .createIndex('care_alarms_open_cause')
    .on('care_alarms')
    .columns(['elder_person_id', 'cause'])
    .unique()
    .where(sql<SqlBool>`state in ('pending', 'raised', 'acknowledged')`)
    .execute();
  await db.schema.createIndex('care_alarms_township_idx').on('care_alarms').columns(['township_id', 'state', 'id']).execute();
  await db.schema.createIndex('care_alarms_due_idx').on('care_alarms').columns(['state', 'due_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
