import type { Kysely } from 'kysely';

/**
 * Photos of cases (stored files, their thumbnails and published copies), the exposure board's
 * moderation, deadline reminders, people's notifications, and leases for background jobs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('thumb_key', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text')
    .addColumn('public_thumb_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_photos_case_idx').on('case_photos').columns(['case_id', 'id']).execute();

  // SQLite adds one column per statement.
  for (const [name, type] of [
    ['reminded_at', 'bigint'],
    ['overdue_at', 'bigint'],
    ['public_state', 'text'],
    ['public_title', 'text'],
    ['public_text', 'text'],
    ['moderated_by', 'text'],
    ['moderated_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('cases').addColumn(name, type).execute();
  }
  await db.schema.createIndex('cases_public_idx').on('cases').columns(['village_id', 'public_state', 'created_at']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text')
    .addColumn('phone', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('message_zh', 'text', (c) => c.notNull())
    .addColumn('message_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_outbox_idx').on('notifications').columns(['channel', 'sent_at']).execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .addColumn('last_run_at', 'bigint')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
