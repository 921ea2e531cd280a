import type { Kysely } from 'kysely';

/**
 * Screen keys (dashboard): one per wall screen, for one region, known by the hash of the key. A
 * revoked key keeps its row (who issued and revoked it, and when) for the audit's sake.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('screen_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('screen_keys_region_idx').on('screen_keys').columns(['region_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('screen_keys').execute();
}
