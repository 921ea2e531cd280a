import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * PIPL (Personal Information Protection Law of the PRC): consents per person and purpose (arts.
 * 13-15, 28-31), data subject requests (arts. 44-47) and legal holds that keep data the law
 * requires kept (art. 47, 19).
 *
 * Records from before this change: an elder already under care was taken on with a paper consent
 * (care's registration asked for it), and a family link was only ever made with the elder's
 * recorded consent (care: consent_required). Both are written here as "on file" grants
 * (recorded_by null, note 'onFile'), so that the record shows them and a withdrawal has something
 * to withdraw. A consent row is appended, never updated: the latest row per person and purpose is
 * the state, and the rows are the proof of when consent was given and taken back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('guardian_person_id', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('privacy_consents_person').on('privacy_consents').columns(['person_id', 'purpose', 'at']).execute();

  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('handled_by', 'text')
    .addColumn('answer', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_requests_person').on('privacy_requests').column('person_id').execute();

  await db.schema
    .createTable('privacy_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'bigint', (c) => c.notNull())
    .addColumn('released_at', 'bigint')
    .execute();
  await db.schema.createIndex('privacy_holds_person').on('privacy_holds').column('person_id').execute();

  const now = Date.now();
  const elders = await db.selectFrom('care_elders').select(['person_id', 'created_at']).execute();
  const links = await db
    .selectFrom('care_family_links')
    .select(['elder_person_id'])
    .select((eb) => eb.fn.min('consent_at').as('consent_at'))
    .groupBy('elder_person_id')
    .execute();
  const rows = [
    ...elders.map((e) => ({ person: e.person_id as string, purpose: 'healthData', at: Number(e.created_at) })),
    ...links.map((l) => ({ person: l.elder_person_id as string, purpose: 'familyAccess', at: Number(l.consent_at) })),
  ];
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('privacy_consents')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          id: randomUUID(),
          person_id: r.person,
          purpose: r.purpose,
          granted: 1,
          at: Number.isFinite(r.at) ? r.at : now,
          recorded_by: null,
          guardian_person_id: null,
          note: 'onFile',
        })),
      )
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
