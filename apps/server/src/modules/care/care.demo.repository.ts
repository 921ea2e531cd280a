// What the demo's care seed reads of the demo county (care.demo.ts): the demo's carers by phone and
// the village's oldest registered people. Reads org's tables directly, as org offers no look-up by
// phone or by age; only the demo seed does this.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function userIdByPhone(db: Kysely<DB>, phone: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
  return row?.id;
}

/** The oldest people with a known birth date in a village, oldest first. */
export function oldestInVillage(db: Kysely<DB>, villageId: string, limit: number) {
  return db
    .selectFrom('people')
    .select(['id', 'household_id', 'region_id', 'village_id', 'township_id', 'county_id', 'name'])
    .where('village_id', '=', villageId)
    .where('birth_date', 'is not', null)
    .orderBy('birth_date')
    .limit(limit)
    .execute();
}
