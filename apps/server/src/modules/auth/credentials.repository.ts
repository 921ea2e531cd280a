// An account's password and its lockout: auth's own table, one row per account that has a password.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type Credential = { userId: string; passwordHash: string; failedLogins: number; lockedUntil: number | null };

export async function findCredential(db: Kysely<DB>, userId: string): Promise<Credential | undefined> {
  const row = await db
    .selectFrom('credentials')
    .select(['user_id', 'password_hash', 'failed_logins', 'locked_until'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { userId: row.user_id, passwordHash: row.password_hash, failedLogins: row.failed_logins, lockedUntil: row.locked_until };
}

/**
 * Sets the account's password, making its row if it has none. `unlock` also clears the count of
 * wrong attempts and the lock (an administrator's reset); a user's own change leaves them.
 * `mustChange` marks a password someone other than the account's holder chose.
 */
export async function upsertPasswordHash(
  db: Kysely<DB>,
  userId: string,
  passwordHash: string,
  change: { now: number; unlock: boolean; mustChange: boolean },
): Promise<void> {
  const mustChange = change.mustChange ? 1 : 0;
  await db
    .insertInto('credentials')
    .values({ user_id: userId, password_hash: passwordHash, updated_at: change.now, must_change: mustChange })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        password_hash: passwordHash,
        updated_at: change.now,
        must_change: mustChange,
        ...(change.unlock && { failed_logins: 0, locked_until: null }),
      }),
    )
    .execute();
}

/**
 * The holder's own change: replaces the password only while it is still the one just checked (an
 * administrator's reset meanwhile wins), and ends the need to change it. False when it was not.
 */
export async function replacePasswordHash(
  db: Kysely<DB>,
  userId: string,
  change: { checked: string; hash: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('credentials')
    .set({ password_hash: change.hash, must_change: 0, updated_at: change.now })
    .where('user_id', '=', userId)
    .where('password_hash', '=', change.checked)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The account has no password any more: no password opens it (an integration key's account, an erased person's). */
export async function deleteCredential(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('credentials').where('user_id', '=', userId).execute();
}

export async function clearLock(db: Kysely<DB>, userId: string, now: number): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ failed_logins: 0, locked_until: null, updated_at: now })
    .where('user_id', '=', userId)
    .execute();
}

/** Until when each of these accounts is locked, for those locked now; the others are missing. */
export async function listLockedUntil(db: Kysely<DB>, userIds: readonly string[], now: number): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('credentials')
    .select(['user_id', 'locked_until'])
    .where('user_id', 'in', userIds)
    .where('locked_until', '>', now)
    .execute();
  return new Map(rows.flatMap((r) => (r.locked_until === null ? [] : [[r.user_id, r.locked_until] as const])));
}

/**
 * Counts one wrong password in a single statement, so that attempts arriving together cannot all
 * read the same count: the one that makes it `maxFailures` locks the account (`lockedUntil` set)
 * and starts the count again. Undefined when the account was locked meanwhile by another attempt
 * (or has no password row); nothing is counted then.
 */
export async function recordLoginFailure(
  db: Kysely<DB>,
  userId: string,
  rule: { now: number; maxFailures: number; lockedUntil: number },
): Promise<{ failedLogins: number; lockedUntil: number | null } | undefined> {
  const locks = sql<boolean>`failed_logins + 1 >= ${rule.maxFailures}`;
  // The cast gives PostgreSQL the parameter's type, which `case ... else null` leaves open.
  const row = await db
    .updateTable('credentials')
    .set({
      failed_logins: sql<number>`case when ${locks} then 0 else failed_logins + 1 end`,
      locked_until: sql<number | null>`case when ${locks} then cast(${rule.lockedUntil} as bigint) else null end`,
      updated_at: rule.now,
    })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', rule.now)]))
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  return row && { failedLogins: row.failed_logins, lockedUntil: row.locked_until };
}

/**
 * Clears the failure count of a right password or code, unless the account was locked while it
 * was being checked (by wrong attempts sent at the same time): false then, and nothing changes.
 * An account without a password row has nothing to clear and no lock: true.
 */
export async function recordLoginSuccess(db: Kysely<DB>, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('credentials')
    .set({ failed_logins: 0, locked_until: null, updated_at: now })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return true;
  return (await db.selectFrom('credentials').select('user_id').where('user_id', '=', userId).executeTakeFirst()) === undefined;
}
