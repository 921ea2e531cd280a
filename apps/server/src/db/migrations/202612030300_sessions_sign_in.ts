import type { Kysely } from 'kysely';

/**
 * How each session signed in (password, password and authenticator code, texted code), so that a
 * person's list of signed-in devices can say it. Sessions opened before this say nothing (null).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('sign_in', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
