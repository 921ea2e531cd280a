// What the demo's services seed reads of the demo county (services.demo.ts): the demo's hall agent
// and villager by phone, and the applicants by name. Reads org's tables directly, as org offers no
// look-up by phone or by name; only the demo seed does this.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function userIdByPhone(db: Kysely<DB>, phone: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
  return row?.id;
}

export function personNamed(db: Kysely<DB>, name: string) {
  return db
    .selectFrom('people')
    .select(['id', 'household_id', 'region_id', 'village_id', 'township_id', 'county_id'])
    .where('name', '=', name)
    .executeTakeFirst();
}
