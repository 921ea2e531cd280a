import type { Kysely } from 'kysely';

/**
 * Family calls and a look at home (care): the elder's home devices (a tablet or TV box paired with
 * a one-time code, known by the hash of its own key), the pairing codes waiting to be used, the
 * elder's call settings (who is answered automatically, the standing consent to a look at home)
 * and every call and look with how it ended, for the call history and the audit of looks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('care_home_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('paired_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('care_home_devices_elder_idx').on('care_home_devices').column('elder_person_id').execute();

  await db.schema
    .createTable('care_home_pairings')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await db.schema
    .createTable('care_call_settings')
    .addColumn('elder_person_id', 'text', (c) => c.primaryKey())
    // JSON: string[] of family members' user ids answered without a press
    .addColumn('auto_answer', 'text', (c) => c.notNull())
    .addColumn('look_consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('care_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('elder_person_id', 'text', (c) => c.notNull())
    // call | look
    .addColumn('kind', 'text', (c) => c.notNull())
    // home | family | caretaker: who started it; the home side is the elder's device
    .addColumn('direction', 'text', (c) => c.notNull())
    // the user on the other side of the elder's home (the caller, or the one called)
    .addColumn('user_id', 'text', (c) => c.notNull())
    // ringing | active | ended | missed | declined
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('auto_answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('care_calls_elder_idx').on('care_calls').columns(['elder_person_id', 'started_at']).execute();
  await db.schema.createIndex('care_calls_user_idx').on('care_calls').columns(['user_id', 'started_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('care_calls').execute();
  await db.schema.dropTable('care_call_settings').execute();
  await db.schema.dropTable('care_home_pairings').execute();
  await db.schema.dropTable('care_home_devices').execute();
}
