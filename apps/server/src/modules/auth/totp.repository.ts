import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type UserTotp = { secretSealed: string; confirmed: boolean; lastStep: number | null };

export async function findTotp(db: Kysely<DB>, userId: string): Promise<UserTotp | undefined> {
  const row = await db
    .selectFrom('user_totp')
    .select(['secret_sealed', 'confirmed_at', 'last_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { secretSealed: row.secret_sealed, confirmed: row.confirmed_at !== null, lastStep: row.last_step };
}

/** A new, unconfirmed secret replaces any earlier unconfirmed one; a confirmed one is never replaced here. */
export async function startTotp(db: Kysely<DB>, userId: string, secretSealed: string, now: number): Promise<boolean> {
  await db.deleteFrom('user_totp').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
  const result = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret_sealed: secretSealed, confirmed_at: null, last_step: null, created_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return result !== undefined;
}

/**
 * Takes the code of `step` as used, in one statement: false when that step or a later one was used
 * already (the same code sent twice at once succeeds once).
 */
export async function useStep(db: Kysely<DB>, userId: string, step: number, confirmAt?: number): Promise<boolean> {
  const result = await db
    .updateTable('user_totp')
    .set({ last_step: step, ...(confirmAt !== undefined && { confirmed_at: confirmAt }) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .$if(confirmAt !== undefined, (q) => q.where('confirmed_at', 'is', null))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('user_totp').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Kysely<DB>, userId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('totp_recovery_codes')
    .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
    .execute();
}

/** Uses a recovery code once, in one statement: false when unknown or used already. */
export async function useRecoveryCode(db: Kysely<DB>, userId: string, codeHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertChallenge(db: Kysely<DB>, tokenHash: string, userId: string, expiresAt: number, now: number): Promise<void> {
  // Expired challenges go as new ones come, so the table holds only a few minutes' worth.
  await db.deleteFrom('login_challenges').where('expires_at', '<', now).execute();
  await db.insertInto('login_challenges').values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt }).execute();
}

export async function findChallenge(db: Kysely<DB>, tokenHash: string): Promise<{ userId: string; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('login_challenges')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { userId: row.user_id, expiresAt: row.expires_at };
}

/** Takes the challenge, once: false when another request completed it meanwhile. */
export async function takeChallenge(db: Kysely<DB>, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('login_challenges').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteUserChallenges(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
}

/** Sessions of the user stop (or start) being limited to enrolment. */
export async function setEnrolOnly(db: Kysely<DB>, userId: string, enrolOnly: boolean, tokenHash?: string): Promise<void> {
  let query = db
    .updateTable('sessions')
    .set({ enrol_only: enrolOnly ? 1 : 0 })
    .where('user_id', '=', userId);
  if (tokenHash) query = query.where('token_hash', '=', tokenHash);
  await query.execute();
}
