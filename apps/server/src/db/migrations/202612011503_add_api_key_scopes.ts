import type { Kysely } from 'kysely';

/**
 * What the county granted an integration key beyond what its kind does, space-separated. Empty (every
 * existing key): a device gateway writes readings and reads nothing back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
