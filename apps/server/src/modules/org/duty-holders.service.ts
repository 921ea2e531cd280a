// Who holds a duty at a place: the people other modules route work to and tell about it. Takes
// `db` so that a caller inside a transaction reads through it (SQLite has one writer connection).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import * as repo from './duty-holders.repository.ts';

export function gridWorkerOf(db: Kysely<DB>, villagerGroupId: string): Promise<string | undefined> {
  return repo.findGridWorker(db, villagerGroupId);
}

export function holdersOfRolesAt(db: Kysely<DB>, roles: readonly string[], regionId: string): Promise<string[]> {
  return repo.holdersOfRolesAt(db, roles, regionId);
}

/** All the grid workers of the villager group's grid: an alarm tells each of them, a case goes to one. */
export function gridWorkersOf(db: Kysely<DB>, villagerGroupId: string): Promise<string[]> {
  return repo.listGridWorkers(db, villagerGroupId);
}
