import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The grid workers of the grid that holds this villager group, the longest-serving first. */
function gridWorkersOfGroup(db: Kysely<DB>, regionId: string) {
  return db
    .selectFrom('grid_groups as gg')
    .innerJoin('role_assignments as ra', 'ra.grid_id', 'gg.grid_id')
    .select('ra.user_id')
    .where('gg.region_id', '=', regionId)
    .where('ra.role', '=', 'gridWorker')
    .orderBy('ra.created_at');
}

/** The grid worker a case of this villager group goes to, if the group has one. */
export async function findGridWorker(db: Kysely<DB>, regionId: string): Promise<string | undefined> {
  return (await gridWorkersOfGroup(db, regionId).executeTakeFirst())?.user_id;
}

/** Everyone holding one of these roles at exactly this region. */
export async function holdersOfRolesAt(db: Kysely<DB>, roles: readonly string[], regionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('role', 'in', [...roles])
    .where('region_id', '=', regionId)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

/** Every grid worker of the grid that holds this villager group (a grid may have several). */
export async function listGridWorkers(db: Kysely<DB>, regionId: string): Promise<string[]> {
  const rows = await gridWorkersOfGroup(db, regionId).execute();
  return [...new Set(rows.map((r) => r.user_id))];
}
