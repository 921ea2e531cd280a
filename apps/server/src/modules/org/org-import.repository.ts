// The look-ups an import makes before it writes: which codes, numbers, names and ID numbers the
// database already holds, so every row's problem is reported before anything is written.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { listAllRegions, type RegionRecord } from './regions.repository.ts';

/** Every region by its code; a county has a few thousand at most. */
export async function regionsByCode(db: Kysely<DB>): Promise<Map<string, RegionRecord>> {
  return new Map((await listAllRegions(db)).map((region) => [region.code, region]));
}

export async function findCounty(db: Kysely<DB>): Promise<{ id: string; code: string } | undefined> {
  return db.selectFrom('regions').select(['id', 'code']).where('level', '=', 'county').executeTakeFirst();
}

export async function existingHouseholdNumbers(db: Kysely<DB>, numbers: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = await db
      .selectFrom('households')
      .select('number')
      .where('number', 'in', numbers.slice(i, i + 500))
      .execute();
    for (const row of rows) found.add(row.number);
  }
  return found;
}

export async function existingIdNumberHashes(db: Kysely<DB>, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db
      .selectFrom('people')
      .select('id_number_hash')
      .where('id_number_hash', 'in', hashes.slice(i, i + 500))
      .execute();
    for (const row of rows) if (row.id_number_hash) found.add(row.id_number_hash);
  }
  return found;
}

/** "villageId/name" of every grid, to refuse a second grid of the same name in a village. */
export async function gridKeys(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('grids').select(['village_id', 'name']).execute();
  return new Set(rows.map((row) => `${row.village_id}/${row.name}`));
}

export async function phoneExists(db: Kysely<DB>, phone: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst()) !== undefined;
}

/** No region and no account yet: a database nobody has set up. */
export async function isOrgEmpty(db: Kysely<DB>): Promise<boolean> {
  const regions = await db.selectFrom('regions').select('id').limit(1).execute();
  const users = await db.selectFrom('users').select('id').limit(1).execute();
  return regions.length === 0 && users.length === 0;
}
