// An account's password and lockout, kept in auth's credentials table. Org makes accounts, resets
// passwords and unlocks them through `accountCredentials`, which app.ts (and set-up, the demo
// and tests) hand to it: auth depends on org for the account itself, so org never imports auth.
import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { rolesOf } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { DUMMY_HASH } from '../../platform/passwords.ts';
import { accountIdByPhone, principalAccount } from '../org/users.service.ts';
import * as apiKeys from './api-keys.repository.ts';
import * as repo from './credentials.repository.ts';

/** What a login needs of an account: org's view of it, its password and lockout, and whether a key acts as it. */
export type LoginUser = {
  id: string;
  /** DUMMY_HASH for an account without a password, which no password matches. */
  passwordHash: string;
  failedLogins: number;
  lockedUntil: number | null;
  disabled: boolean;
  /** An integration key acts as the account (live or revoked): it never logs in. */
  backsApiKey: boolean;
  roles: Role[];
};

export async function loginUserById(deps: Deps, userId: string): Promise<LoginUser | undefined> {
  const [account, credential, backsApiKey] = await Promise.all([
    principalAccount(deps, userId),
    repo.findCredential(deps.db, userId),
    apiKeys.userBacksApiKey(deps.db, userId),
  ]);
  if (!account) return undefined;
  return {
    id: account.id,
    passwordHash: credential?.passwordHash ?? DUMMY_HASH,
    failedLogins: credential?.failedLogins ?? 0,
    lockedUntil: credential?.lockedUntil ?? null,
    disabled: account.disabled,
    backsApiKey,
    roles: rolesOf(account),
  };
}

export async function loginUserByPhone(deps: Deps, phone: string): Promise<LoginUser | undefined> {
  const userId = await accountIdByPhone(deps.db, phone);
  return userId === undefined ? undefined : loginUserById(deps, userId);
}

/**
 * What org asks of auth about an account's password; `db` is the caller's transaction. Handed to
 * org's routes by app.ts, and to county set-up and the demo seed by whoever runs them.
 */
export const accountCredentials = {
  /**
   * Sets the password (a hash from platform/passwords.ts) and clears any lock: a new account, an
   * administrator's reset. `mustChange`: someone other than the holder chose it, and the holder's
   * next password sign-in may only change it.
   */
  setPassword: (db: Kysely<DB>, userId: string, passwordHash: string, now: number, mustChange: boolean): Promise<void> =>
    repo.upsertPasswordHash(db, userId, passwordHash, { now, unlock: true, mustChange }),
  /** Clears the count of wrong passwords and the lock they set. */
  unlock: (db: Kysely<DB>, userId: string, now: number): Promise<void> => repo.clearLock(db, userId, now),
  /** Until when each of these accounts is locked, for those locked at `now`. */
  lockedUntilOf: (db: Kysely<DB>, userIds: readonly string[], now: number): Promise<Map<string, number>> =>
    repo.listLockedUntil(db, userIds, now),
};
