// The reads a production start makes to find what of the demo county is left in its database.
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';

/** The accounts the demo's Open311 client and device gateway act as; their "phones" are names. */
export const DEMO_KEY_ACCOUNTS = ['open311-demo-client', 'gateway-huatian'];

/** Which of these key hashes some API key, device speaker or village loudspeaker holds. */
export async function findKeyHashes(db: Kysely<DB>, hashes: string[]): Promise<Set<string>> {
  const [apiKeys, devices, loudspeakers] = await Promise.all([
    db.selectFrom('api_keys').select('key_hash').where('key_hash', 'in', hashes).execute(),
    db.selectFrom('care_devices').select('key_hash').where('key_hash', 'in', hashes).execute(),
    db.selectFrom('village_loudspeakers').select('key_hash').where('key_hash', 'in', hashes).execute(),
  ]);
  return new Set([...apiKeys, ...devices, ...loudspeakers].map((row) => row.key_hash as string));
}

/** The accounts with these phones and their password hashes (null: no password, as a key-only account). */
export async function findUsersByPhone(db: Kysely<DB>, phones: string[]): Promise<{ phone: string; passwordHash: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('credentials', 'credentials.user_id', 'users.id')
    .select(['users.phone', 'credentials.password_hash'])
    .where('users.phone', 'in', phones)
    .execute();
  return rows.map((row) => ({ phone: row.phone, passwordHash: row.password_hash }));
}

export async function findUserIdByPhone(db: Kysely<DB>, phone: string): Promise<string> {
  return (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
}

export async function hasDemoLoadRecord(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('audit_log').select('id').where('action', '=', 'demo.seed').limit(1).execute()).length > 0;
}
