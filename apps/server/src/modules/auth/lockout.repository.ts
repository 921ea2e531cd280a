// Counting wrong passwords toward a lock, alike for an account (credentials) and for a number
// without a login account (login_failures), so that the answers of the two cannot be told apart.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type FailureRule = {
  now: number;
  /** The failure that makes the count this many locks, and the count starts again. */
  maxFailures: number;
  lockedUntil: number;
  /** A count whose last failure is older than this starts again from one. */
  forgetBefore: number;
};

export type CountedFailure = { failedLogins: number; lockedUntil: number | null };

/**
 * The new count and lock of one more failure, over `table`'s current row, as one expression each:
 * attempts arriving together cannot all read the same count.
 */
function failureSet(table: 'credentials' | 'login_failures', rule: FailureRule) {
  const counted = sql<number>`case when ${sql.ref(`${table}.updated_at`)} <= ${rule.forgetBefore} then 1 else ${sql.ref(`${table}.failed_logins`)} + 1 end`;
  const locks = sql<boolean>`${counted} >= ${rule.maxFailures}`;
  return {
    failed_logins: sql<number>`case when ${locks} then 0 else ${counted} end`,
    // The cast gives PostgreSQL the parameter's type, which `case ... else null` leaves open.
    locked_until: sql<number | null>`case when ${locks} then cast(${rule.lockedUntil} as bigint) else null end`,
    updated_at: rule.now,
  };
}

const row = (found: { failed_logins: number; locked_until: number | null } | undefined): CountedFailure | undefined =>
  found && { failedLogins: found.failed_logins, lockedUntil: found.locked_until === null ? null : Number(found.locked_until) };

/**
 * Counts one wrong secret of an account in a single statement. Undefined when the account was
 * locked meanwhile by another attempt (or has no password row); nothing is counted then.
 */
export async function recordAccountFailure(db: Kysely<DB>, userId: string, rule: FailureRule): Promise<CountedFailure | undefined> {
  const found = await db
    .updateTable('credentials')
    .set(failureSet('credentials', rule))
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', rule.now)]))
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  return row(found);
}

/** Counts one wrong password for a number without a login account, as recordAccountFailure does for an account. */
export async function recordNumberFailure(db: Kysely<DB>, phone: string, rule: FailureRule): Promise<CountedFailure | undefined> {
  const first = rule.maxFailures <= 1;
  const found = await db
    .insertInto('login_failures')
    .values({ phone, failed_logins: first ? 0 : 1, locked_until: first ? rule.lockedUntil : null, updated_at: rule.now })
    .onConflict((oc) =>
      oc
        .column('phone')
        .doUpdateSet(failureSet('login_failures', rule))
        .where((eb) => eb.or([eb('login_failures.locked_until', 'is', null), eb('login_failures.locked_until', '<=', rule.now)])),
    )
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  return row(found);
}

/** Until when a number without a login account is locked, or null. */
export async function findNumberLock(db: Kysely<DB>, phone: string, now: number): Promise<number | null> {
  const found = await db
    .selectFrom('login_failures')
    .select('locked_until')
    .where('phone', '=', phone)
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return found?.locked_until === null || found?.locked_until === undefined ? null : Number(found.locked_until);
}

/** Numbers whose count would start again and whose lock is over are of no more use: they go. */
export async function deleteStaleNumberFailures(db: Kysely<DB>, forgetBefore: number, now: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('updated_at', '<=', forgetBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}
