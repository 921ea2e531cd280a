// Household traits (keeps chickens, grows tea, monitored for poverty …): what a notice's audience
// can be narrowed by. The notices module keeps them; nothing else reads them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The households that have any of the traits. */
export async function householdsWithTraits(db: Kysely<DB>, traits: readonly string[]): Promise<Set<string>> {
  if (traits.length === 0) return new Set();
  const rows = await db.selectFrom('household_traits').select('household_id').where('trait', 'in', traits).execute();
  return new Set(rows.map((r) => r.household_id));
}

export async function addHouseholdTrait(db: Kysely<DB>, householdId: string, trait: string): Promise<void> {
  await db.insertInto('household_traits').values({ household_id: householdId, trait }).execute();
}
