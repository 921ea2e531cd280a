import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { lockedForShare } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';

export type SessionRow = {
  tokenHash: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  userId: string;
  enrolOnly: boolean;
};

export async function findSession(db: Kysely<DB>, tokenHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['token_hash', 'csrf_token', 'created_at', 'last_seen_at', 'user_id', 'enrol_only'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tokenHash: row.token_hash,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    userId: row.user_id,
    enrolOnly: row.enrol_only === 1,
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

export type LoginUser = {
  id: string;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: number | null;
  disabled: boolean;
  /** An integration key acts as the account (live or revoked): it never logs in. */
  backsApiKey: boolean;
};

const loginUserColumns = (eb: ExpressionBuilder<DB, 'users'>) =>
  [
    'users.id',
    'users.password_hash',
    'users.failed_logins',
    'users.locked_until',
    'users.disabled',
    eb.exists(eb.selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.user_id', '=', 'users.id')).as('backs_api_key'),
  ] as const;

type LoginUserRow = {
  id: string;
  password_hash: string;
  failed_logins: number;
  locked_until: number | null;
  disabled: number;
  backs_api_key: unknown;
};

const toLoginUser = (row: LoginUserRow): LoginUser => ({
  id: row.id,
  passwordHash: row.password_hash,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  disabled: row.disabled === 1,
  // SQLite answers exists with 1 or 0, PostgreSQL with a boolean.
  backsApiKey: row.backs_api_key === true || Number(row.backs_api_key) === 1,
});

export async function findLoginUser(db: Kysely<DB>, phone: string): Promise<LoginUser | undefined> {
  const row = await db.selectFrom('users').select(loginUserColumns).where('users.phone', '=', phone).executeTakeFirst();
  return row && toLoginUser(row);
}

/** The same account as findLoginUser, by id: what checking a password for a password change needs. */
export async function findLoginUserById(db: Kysely<DB>, userId: string): Promise<LoginUser | undefined> {
  const row = await db.selectFrom('users').select(loginUserColumns).where('users.id', '=', userId).executeTakeFirst();
  return row && toLoginUser(row);
}

/**
 * Counts one wrong password in a single statement, so that attempts arriving together cannot all
 * read the same count: the one that makes it `maxFailures` locks the account (`lockedUntil` set)
 * and starts the count again. Undefined when the account was locked meanwhile by another attempt;
 * nothing is counted then.
 */
export async function recordLoginFailure(
  db: Kysely<DB>,
  userId: string,
  rule: { now: number; maxFailures: number; lockedUntil: number },
): Promise<{ failedLogins: number; lockedUntil: number | null } | undefined> {
  const locks = sql<boolean>`failed_logins + 1 >= ${rule.maxFailures}`;
  // The cast gives PostgreSQL the parameter's type, which `case ... else null` leaves open.
  const row = await db
    .updateTable('users')
    .set({
      failed_logins: sql<number>`case when ${locks} then 0 else failed_logins + 1 end`,
      locked_until: sql<number | null>`case when ${locks} then cast(${rule.lockedUntil} as bigint) else null end`,
      updated_at: rule.now,
    })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', rule.now)]))
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  return row && { failedLogins: row.failed_logins, lockedUntil: row.locked_until };
}

/**
 * Clears the failure count of a right password, unless the account was locked while the password
 * was being checked (by wrong attempts sent at the same time): false then, and nothing changes.
 */
export async function recordLoginSuccess(db: Kysely<DB>, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, updated_at: now })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updatePasswordHash(db: Kysely<DB>, userId: string, passwordHash: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute();
}
