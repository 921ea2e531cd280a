// A person's own sessions, as the list of their signed-in devices shows them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** More than anyone keeps signed in; the list stops there rather than read without end. */
export const MAX_LISTED_SESSIONS = 100;

export type StoredSession = {
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string | null;
  signIn: string | null;
  staysUntil: number | null;
};

/** The account's sessions, newest first (at most MAX_LISTED_SESSIONS). */
export async function sessionsOfUser(db: Kysely<DB>, userId: string): Promise<StoredSession[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'last_seen_at', 'user_agent', 'sign_in', 'stays_until'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .limit(MAX_LISTED_SESSIONS)
    .execute();
  return rows.map((row) => ({
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    userAgent: row.user_agent,
    signIn: row.sign_in,
    staysUntil: row.stays_until === null ? null : Number(row.stays_until),
  }));
}

/** Ends one session of this account; says whether there was one to end. */
export async function deleteSessionOfUser(db: Kysely<DB>, userId: string, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Ends every session of this account but one; answers how many ended. */
export async function deleteOtherSessionsOfUser(db: Kysely<DB>, userId: string, keepTokenHash: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).executeTakeFirst();
  return Number(result.numDeletedRows);
}
