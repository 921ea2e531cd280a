import type { Kysely } from 'kysely';
import type { ApiKeyTable, DB } from '../../db/schema.ts';

export type ApiKeyHolder = {
  kind: ApiKeyTable['kind'];
  /** What the county granted the key beyond its kind. */
  scopes: string[];
  userId: string;
};

const scopesOf = (text: string) => text.split(' ').filter(Boolean);

/** A live key with the account it acts as. */
export async function findApiKey(db: Kysely<DB>, keyHash: string): Promise<ApiKeyHolder | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['kind', 'scopes', 'user_id'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      kind: row.kind,
      scopes: scopesOf(row.scopes),
      userId: row.user_id,
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

export type ApiKeySummary = { id: string; name: string; kind: ApiKeyTable['kind']; scopes: string[]; userId: string; createdAt: number };

/** The live keys of a kind, oldest first; never their hashes. */
export async function listApiKeys(db: Kysely<DB>, kind: ApiKeyTable['kind']): Promise<ApiKeySummary[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'kind', 'scopes', 'user_id', 'created_at'])
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    scopes: scopesOf(r.scopes),
    userId: r.user_id,
    createdAt: r.created_at,
  }));
}

export async function findApiKeyById(db: Kysely<DB>, id: string): Promise<ApiKeySummary | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'kind', 'scopes', 'user_id', 'created_at'])
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return (
    row && { id: row.id, name: row.name, kind: row.kind, scopes: scopesOf(row.scopes), userId: row.user_id, createdAt: row.created_at }
  );
}

export async function setApiKeyScopes(db: Kysely<DB>, id: string, scopes: string[]): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ scopes: scopes.join(' ') })
    .where('id', '=', id)
    .execute();
}

/** Whether an integration key, live or revoked, acts as this account. */
export async function userBacksApiKey(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db.selectFrom('api_keys').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return row !== undefined;
}
