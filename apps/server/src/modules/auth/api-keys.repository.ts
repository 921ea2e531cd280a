import type { Kysely } from 'kysely';
import type { ApiKeyTable, DB } from '../../db/schema.ts';

export type ApiKeyHolder = {
  kind: ApiKeyTable['kind'];
  userId: string;
  displayName: string;
  phone: string;
  personId: string | null;
  disabled: boolean;
};

/** A live key with the account it acts as. */
export async function findApiKey(db: Kysely<DB>, keyHash: string): Promise<ApiKeyHolder | undefined> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['k.kind', 'u.id', 'u.display_name', 'u.phone', 'u.person_id', 'u.disabled'])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      kind: row.kind,
      userId: row.id,
      displayName: row.display_name,
      phone: row.phone,
      personId: row.person_id,
      disabled: row.disabled === 1,
    }
  );
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
