import type { Kysely } from 'kysely';

/**
 * A texted code's wrong tries are counted apart by where they come from: `attempts` are those from
 * the address that asked for the code (the owner's phone, as a rule), `others_attempts` those from
 * every other address. Five of the owner's end the code; five of the others' only stop the others
 * from trying it, so a stranger guessing from elsewhere can no longer spend the owner's code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sms_login_codes')
    .addColumn('others_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
