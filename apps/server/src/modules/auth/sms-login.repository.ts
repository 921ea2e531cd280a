// Requests for sign-in codes by text (sms_login_codes): one row per request let through, with the
// code's hash when one was sent.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RecentRequests } from './sms-login.limits.ts';

/** The requests let through lately: the number's since `numberSince` (with their addresses), and the address's since `addressSince`. */
export async function findRecentRequests(
  db: Kysely<DB>,
  filter: { phone: string; ip: string; numberSince: number; addressSince: number },
): Promise<RecentRequests> {
  const [ofNumber, ofAddress] = await Promise.all([
    db
      .selectFrom('sms_login_codes')
      .select(['created_at', 'ip'])
      .where('phone', '=', filter.phone)
      .where('created_at', '>', filter.numberSince)
      .execute(),
    db
      .selectFrom('sms_login_codes')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('ip', '=', filter.ip)
      .where('created_at', '>', filter.addressSince)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    ofNumber: ofNumber.map((row) => ({ at: Number(row.created_at), ip: row.ip })),
    ofAddress: {
      count: Number(ofAddress.n),
      oldest: ofAddress.oldest === null || ofAddress.oldest === undefined ? null : Number(ofAddress.oldest),
    },
  };
}

/** Records a request; earlier codes of the number keep working until used or expired. */
export async function insertRequest(
  db: Kysely<DB>,
  request: { id: string; phone: string; ip: string; userId: string | null; codeHash: string | null; now: number; expiresAt: number },
): Promise<void> {
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

/**
 * The number's codes that `ip` may still try: sent, unused, unexpired, with tries left for the
 * address that asked for it, and, from any other address, with the others' tries left too; newest
 * first.
 */
export async function findLiveCodes(db: Kysely<DB>, phone: string, ip: string, now: number, maxAttempts: number): Promise<LiveCode[]> {
  const rows = await db
    .selectFrom('sms_login_codes')
    .select(['id', 'user_id', 'code_hash', 'attempts'])
    .where('phone', '=', phone)
    .where('code_hash', 'is not', null)
    .where('user_id', 'is not', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .where((eb) => eb.or([eb('ip', '=', ip), eb('others_attempts', '<', maxAttempts)]))
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  return rows.flatMap((row) =>
    row.user_id && row.code_hash ? [{ id: row.id, userId: row.user_id, codeHash: row.code_hash, attempts: row.attempts }] : [],
  );
}

/**
 * Counts a wrong try from `ip` against every code of the number it may still try, in one
 * statement, so tries sent together each count and a guess tried against several codes costs each
 * of them a try. A try from the address that asked for a code counts in `attempts`, and the one
 * that reaches `maxAttempts` ends the code; a try from elsewhere counts in `others_attempts` and
 * only shuts other addresses out, so a stranger cannot spend the owner's code. Answers the most
 * tries of that kind any of them now has, or undefined when none was left.
 */
export async function countWrongAttempt(
  db: Kysely<DB>,
  phone: string,
  ip: string,
  maxAttempts: number,
  now: number,
): Promise<number | undefined> {
  const own = sql<boolean>`ip = ${ip}`;
  const rows = await db
    .updateTable('sms_login_codes')
    .set({
      attempts: sql<number>`case when ${own} then attempts + 1 else attempts end`,
      others_attempts: sql<number>`case when ${own} then others_attempts else others_attempts + 1 end`,
      used_at: sql<number | null>`case when ${own} and attempts + 1 >= ${maxAttempts} then cast(${now} as bigint) else null end`,
    })
    .where('phone', '=', phone)
    .where('code_hash', 'is not', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .where((eb) => eb.or([eb('ip', '=', ip), eb('others_attempts', '<', maxAttempts)]))
    .returning(['attempts', 'others_attempts', 'ip'])
    .execute();
  if (rows.length === 0) return undefined;
  return Math.max(...rows.map((row) => (row.ip === ip ? row.attempts : row.others_attempts)));
}

/** The number's other codes end once one of them signed in. */
export async function endOtherCodes(db: Kysely<DB>, phone: string, keptId: string, now: number): Promise<void> {
  await db
    .updateTable('sms_login_codes')
    .set({ used_at: now })
    .where('phone', '=', phone)
    .where('id', '!=', keptId)
    .where('code_hash', 'is not', null)
    .where('used_at', 'is', null)
    .execute();
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
