import type { Kysely } from 'kysely';

/**
 * Service items get the short names people search by (低保 for 最低生活保障), kept with the item
 * and exported and imported with the catalogue. Applications get the human number of their
 * certificate (500242-2026-000123, drawn from number_counters when approved) and who delivered
 * them (the name as it was at the time, like the audit log's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('service_items')
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('service_applications').addColumn('certificate_number', 'text').execute();
  await db.schema.alterTable('service_applications').addColumn('delivered_by', 'text').execute();
  await db.schema.alterTable('service_applications').addColumn('delivered_by_name', 'text').execute();
  await db.schema
    .createIndex('service_applications_certificate_number')
    .unique()
    .on('service_applications')
    .column('certificate_number')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
