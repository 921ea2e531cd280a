import type { Kysely } from 'kysely';

/**
 * Notices (推送政务信息): government information a cadre writes and pushes to an audience (places,
 * grids, households with a trait, named people), with delivery and read receipts per recipient;
 * households' traits; the village loudspeakers that read urgent notices aloud.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // What a household is known for, for choosing audiences: monitoredForPoverty, keepsChickens, …
  await db.schema
    .createTable('household_traits')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('trait', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('household_traits_pk', ['household_id', 'trait'])
    .execute();
  await db.schema.createIndex('household_traits_trait_idx').on('household_traits').columns(['trait', 'household_id']).execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    // JSON: { regionIds, gridIds, traits, personIds }
    .addColumn('audience', 'text', (c) => c.notNull())
    // JSON: { id, name, contentType, key }[]
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    // draft → scheduled → sending → sent; or cancelled before it is sent
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notices_due_idx').on('notices').columns(['state', 'scheduled_at']).execute();
  await db.schema.createIndex('notices_township_idx').on('notices').columns(['township_id', 'id']).execute();

  // One row per person a notice reached; written once each, so a push resumed after a restart repeats nothing.
  await db.schema
    .createTable('notice_recipients')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('delivered_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_id', 'person_id'])
    .execute();
  await db.schema.createIndex('notice_recipients_user_idx').on('notice_recipients').columns(['user_id', 'notice_id']).execute();

  await db.schema
    .createTable('village_loudspeakers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // An urgent notice read aloud in a village: queued → fetched → played.
  await db.schema
    .createTable('notice_broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint')
    .addColumn('played_at', 'bigint')
    .execute();
  await db.schema.createIndex('notice_broadcasts_once').on('notice_broadcasts').columns(['notice_id', 'village_id']).unique().execute();
  await db.schema.createIndex('notice_broadcasts_village_idx').on('notice_broadcasts').columns(['village_id', 'state']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
