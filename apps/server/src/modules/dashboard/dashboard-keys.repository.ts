// Screen keys: one row per wall screen, known by the hash of its key.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type ScreenKeyRecord = {
  id: string;
  regionId: string;
  name: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  /** When it was revoked; null while it is live. */
  revokedAt?: number | null;
};

const COLUMNS = ['id', 'region_id', 'name', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;
type Row = {
  id: string;
  region_id: string;
  name: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};
const toRecord = (r: Row): ScreenKeyRecord => ({
  id: r.id,
  regionId: r.region_id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export async function insertScreenKey(db: Kysely<DB>, key: ScreenKeyRecord & { keyHash: string }): Promise<ScreenKeyRecord> {
  await db
    .insertInto('screen_keys')
    .values({
      id: key.id,
      region_id: key.regionId,
      name: key.name,
      key_hash: key.keyHash,
      created_by: key.createdBy,
      created_at: key.createdAt,
      last_used_at: null,
      revoked_by: null,
      revoked_at: null,
    })
    .execute();
  return { id: key.id, regionId: key.regionId, name: key.name, createdBy: key.createdBy, createdAt: key.createdAt, lastUsedAt: null };
}

/** The live key with this hash. */
export async function findLiveByHash(db: Kysely<DB>, keyHash: string): Promise<ScreenKeyRecord | undefined> {
  const row = await db
    .selectFrom('screen_keys')
    .select(COLUMNS)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function findLive(db: Kysely<DB>, id: string): Promise<ScreenKeyRecord | undefined> {
  const row = await db.selectFrom('screen_keys').select(COLUMNS).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Live keys of these regions, and those revoked since `revokedSince`, newest first (a county has a
 * few hundred screens at most).
 */
export async function listRecent(
  db: Kysely<DB>,
  regionIds: readonly string[],
  revokedSince: number,
  limit: number,
): Promise<ScreenKeyRecord[]> {
  if (regionIds.length === 0) return [];
  const rows = await db
    .selectFrom('screen_keys')
    .select(COLUMNS)
    .where('region_id', 'in', [...regionIds])
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>=', revokedSince)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Revokes a live key; false when it was not live. */
export async function revoke(db: Kysely<DB>, id: string, by: string | null, now: number): Promise<boolean> {
  const result = await db
    .updateTable('screen_keys')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markUsed(db: Kysely<DB>, id: string, now: number): Promise<void> {
  await db.updateTable('screen_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
