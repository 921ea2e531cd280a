// The queries behind agri's privacy declaration: a household's farm data, for a member's export.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function farmDataOfHousehold(db: Kysely<DB>, householdId: string) {
  const plots = await db
    .selectFrom('agri_plots')
    .select(['name', 'crop', 'variety', 'area_mu', 'planted_on', 'retired_at'])
    .where('household_id', '=', householdId)
    .execute();
  const flocks = await db
    .selectFrom('agri_flocks')
    .select(['name', 'species', 'breed', 'head_count', 'started_on', 'retired_at'])
    .where('household_id', '=', householdId)
    .execute();
  const observations = await db
    .selectFrom('agri_observations')
    .select(['kind', 'source', 'observed_on', 'growth_stage', 'pest', 'deaths', 'quantity_kg', 'price_yuan_per_kg', 'note'])
    .where('household_id', '=', householdId)
    .limit(10_000)
    .execute();
  const questions = await db
    .selectFrom('agri_questions')
    .select(['text', 'state', 'asked_at', 'answered_at'])
    .where('household_id', '=', householdId)
    .execute();
  return { plots, flocks, observations, questions };
}

/** Photos uploaded before `before` and never attached to anything: their rows and file keys. */
export async function freePhotosBefore(db: Kysely<DB>, before: number, limit: number): Promise<{ id: string; keys: string[] }[]> {
  const rows = await db
    .selectFrom('agri_photos')
    .select(['id', 'file_key', 'thumb_key'])
    .where('attached_id', 'is', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, keys: [r.file_key, r.thumb_key] }));
}

export async function deleteFreePhoto(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('agri_photos').where('id', '=', id).where('attached_id', 'is', null).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
