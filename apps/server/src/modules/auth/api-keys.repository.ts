import type { Kysely } from 'kysely';
import type { ApiKeyTable, DB } from '../../db/schema.ts';

export async function findApiKey(
  db: Kysely<DB>,
  keyHash: string,
): Promise<{ id: string; kind: ApiKeyTable['kind']; userId: string } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'kind', 'user_id'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, kind: row.kind, userId: row.user_id };
}

export async function insertApiKey(
  db: Kysely<DB>,
  key: { id: string; name: string; kind: ApiKeyTable['kind']; keyHash: string; userId: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ id: key.id, name: key.name, kind: key.kind, key_hash: key.keyHash, user_id: key.userId, created_at: now, revoked_at: null })
    .execute();
}
