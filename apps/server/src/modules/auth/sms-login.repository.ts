// Requests for sign-in codes by text (sms_login_codes): one row per request, with the code's hash
// when one was sent.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type RecentRequests = {
  /** Requests for this number since `since`, and the oldest and newest of them. */
  byPhone: number;
  oldestByPhone: number | null;
  newestByPhone: number | null;
  /** Requests from this address since `since`, and the oldest of them. */
  byAddress: number;
  oldestByAddress: number | null;
};

export async function countRecentRequests(db: Kysely<DB>, filter: { phone: string; ip: string; since: number }): Promise<RecentRequests> {
  const [phone, address] = await Promise.all([
    db
      .selectFrom('sms_login_codes')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.min('created_at').as('oldest'),
        eb.fn.max('created_at').as('newest'),
      ])
      .where('phone', '=', filter.phone)
      .where('created_at', '>', filter.since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sms_login_codes')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('ip', '=', filter.ip)
      .where('created_at', '>', filter.since)
      .executeTakeFirstOrThrow(),
  ]);
  const time = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    byPhone: Number(phone.n),
    oldestByPhone: time(phone.oldest),
    newestByPhone: time(phone.newest),
    byAddress: Number(address.n),
    oldestByAddress: time(address.oldest),
  };
}

/** Records a request; a code sent ends every earlier code of the number, so only the newest works. */
export async function insertRequest(
  db: Kysely<DB>,
  request: { id: string; phone: string; ip: string; userId: string | null; codeHash: string | null; now: number; expiresAt: number },
): Promise<void> {
  if (request.codeHash !== null) {
    await db
      .updateTable('sms_login_codes')
      .set({ used_at: request.now })
      .where('phone', '=', request.phone)
      .where('used_at', 'is', null)
      .where('code_hash', 'is not', null)
      .execute();
  }
  await db
    .insertInto('sms_login_codes')
    .values({
      id: request.id,
      phone: request.phone,
      ip: request.ip,
      user_id: request.userId,
      code_hash: request.codeHash,
      created_at: request.now,
      expires_at: request.expiresAt,
    })
    .execute();
}

export type LiveCode = { id: string; userId: string; codeHash: string; attempts: number };

/** The number's code that still works: sent, unused, unexpired, with tries left. */
export async function findLiveCode(db: Kysely<DB>, phone: string, now: number, maxAttempts: number): Promise<LiveCode | undefined> {
  const row = await db
    .selectFrom('sms_login_codes')
    .select(['id', 'user_id', 'code_hash', 'attempts'])
    .where('phone', '=', phone)
    .where('code_hash', 'is not', null)
    .where('user_id', 'is not', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.user_id || !row.code_hash) return undefined;
  return { id: row.id, userId: row.user_id, codeHash: row.code_hash, attempts: row.attempts };
}

/**
 * Counts a wrong try in one statement, so tries sent together each count; the one that reaches
 * `maxAttempts` ends the code. Answers the tries counted, or undefined when the code was already gone.
 */
export async function countWrongAttempt(db: Kysely<DB>, id: string, maxAttempts: number, now: number): Promise<number | undefined> {
  const row = await db
    .updateTable('sms_login_codes')
    .set({
      attempts: sql<number>`attempts + 1`,
      used_at: sql<number | null>`case when attempts + 1 >= ${maxAttempts} then cast(${now} as bigint) else null end`,
    })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('attempts', '<', maxAttempts)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts;
}

/** Takes the code as used; false when another request took it first (or it died meanwhile). */
export async function takeCode(db: Kysely<DB>, id: string, now: number, maxAttempts: number): Promise<boolean> {
  const result = await db
    .updateTable('sms_login_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Requests older than `before` are of no more use to the limits: they go (their phone numbers with them). */
export async function deleteRequestsBefore(db: Kysely<DB>, before: number): Promise<void> {
  await db.deleteFrom('sms_login_codes').where('created_at', '<', before).execute();
}

/** An erased person's accounts: their codes and requests go. */
export async function deleteRequestsOfUser(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('sms_login_codes').where('user_id', '=', userId).execute();
}
