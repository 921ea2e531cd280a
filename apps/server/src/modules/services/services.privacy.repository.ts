// The services module's applications as the privacy module reaches them (services.privacy.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function applicationsOf(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('service_applications')
    .select(['id', 'item_id', 'channel', 'state', 'delivery', 'address', 'consent_at', 'created_at'])
    .where('applicant_person_id', '=', personId)
    .execute();
}
