import type { Kysely } from 'kysely';
import { lockedForShare } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';

export type SessionRow = {
  tokenHash: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  userId: string;
  enrolOnly: boolean;
  /** A code sign-in that stays signed in lasts until then, however idle; null for every other. */
  staysUntil: number | null;
  /** Signed in with a password an administrator set, not changed since: it may only be changed. */
  passwordChangeOnly: boolean;
};

export async function findSession(db: Kysely<DB>, tokenHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .leftJoin('credentials', 'credentials.user_id', 'sessions.user_id')
    .select([
      'sessions.token_hash',
      'sessions.csrf_token',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.user_id',
      'sessions.enrol_only',
      'sessions.stays_until',
      'sessions.sign_in',
      'credentials.must_change',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tokenHash: row.token_hash,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    userId: row.user_id,
    enrolOnly: row.enrol_only === 1,
    staysUntil: row.stays_until === null ? null : Number(row.stays_until),
    // A texted code's session did not use the password, so the password does not hold it back.
    passwordChangeOnly: row.must_change === 1 && row.sign_in !== 'sms_code',
  };
}

export async function insertSession(
  db: Kysely<DB>,
  session: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    now: number;
    ip: string | null;
    userAgent: string | null;
    enrolOnly?: boolean;
    staysUntil?: number | null;
    /** How it signed in: 'password', 'password_totp' or 'sms_code'. */
    signIn?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.now,
      last_seen_at: session.now,
      ip: session.ip,
      user_agent: session.userAgent,
      enrol_only: session.enrolOnly ? 1 : 0,
      stays_until: session.staysUntil ?? null,
      sign_in: session.signIn ?? null,
    })
    .execute();
}

export async function touchSession(db: Kysely<DB>, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

/**
 * Returns once no open transaction is still changing this session, so that a read made next sees
 * a logout that was under way (the user's roles: org's awaitRoleWriters). PostgreSQL makes a
 * locking read wait for the writers of those rows; SQLite has one writer connection, and a
 * statement on it runs only after the transaction holding it ends.
 */
export async function awaitSessionWriters(db: Kysely<DB>, tokenHash: string): Promise<void> {
  await lockedForShare(db, db.selectFrom('sessions').select('token_hash').where('token_hash', '=', tokenHash)).execute();
}

export async function deleteSession(db: Kysely<DB>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(db: Kysely<DB>, userId: string, exceptTokenHash?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptTokenHash) query = query.where('token_hash', '!=', exceptTokenHash);
  await query.execute();
}
