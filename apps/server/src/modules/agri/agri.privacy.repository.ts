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
