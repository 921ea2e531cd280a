// The lockout (issue 15, the attacker's review). Wrong passwords are counted three ways, and each
// way answers a number without an account exactly as an account, so that no answer tells which
// numbers have accounts:
// - per number and client address (in memory): the fifth wrong password in 15 minutes from one
//   address answers 423 there, for 15 minutes; the owner elsewhere is not held back;
// - per number from every address (in the database): the twentieth wrong password locks it
//   everywhere for 15 minutes, so that many addresses together still get no more than 80 tries an
//   hour (OWASP ASVS V2.2.1). Reaching it takes four or more addresses. A villager whose password is
//   locked still signs in with a texted code, and an administrator can unlock any account;
// - per client address across numbers (address-guard.ts): LOGIN_FAILURES_PER_ADDRESS in 15 minutes.
// Wrong authenticator codes and wrong current passwords on the password form follow a right
// password or a session, and lock the account at five as before.
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask-phone.ts';
import { DUMMY_HASH, verifyPassword } from '../../platform/passwords.ts';
import { processCache } from '../../platform/process-cache.ts';
import { type AddressGuard, createAddressGuard } from './address-guard.ts';
import type { LoginUser } from './credentials.service.ts';
import * as repo from './lockout.repository.ts';

export const MAX_FAILED_LOGINS = 5;
/** Wrong passwords at login, from all addresses together, that lock an account (or a number without one) everywhere. */
export const ACCOUNT_LOCK_FAILURES = 20;
export const LOCK_MINUTES = 15;
/** A wrong password with this many tries or fewer left before the lock at this address says so. */
const WARN_TRIES_LEFT = 2;

/** Failed logins are counted per client address over the same window as an account's lock. */
const ADDRESS_WINDOW_MS = LOCK_MINUTES * 60_000;
/** A count of wrong passwords with no new one for a day starts again. */
const FORGET_FAILURES_MS = 24 * 60 * 60_000;

const addressGuardOf = (deps: Deps): AddressGuard =>
  processCache(deps, 'auth.addressGuard', () => createAddressGuard(deps.config.loginFailuresPerAddress, ADDRESS_WINDOW_MS));

const numberHereGuardOf = (deps: Deps): AddressGuard =>
  processCache(deps, 'auth.numberHereGuard', () => createAddressGuard(MAX_FAILED_LOGINS, ADDRESS_WINDOW_MS));

const failureRule = (now: number, maxFailures: number): repo.FailureRule => ({
  now,
  maxFailures,
  lockedUntil: now + LOCK_MINUTES * 60_000,
  forgetBefore: now - FORGET_FAILURES_MS,
});

/**
 * Runs one password check counted against the client address (logins and password changes
 * alike): refused with 429 once the address has failed too often; any refusal counts as a failure.
 */
export async function guardedByAddress<T>(
  deps: Deps,
  meta: { ip: string | null; requestId: string | null },
  attempt: () => Promise<T>,
): Promise<T> {
  const guard = addressGuardOf(deps);
  const address = meta.ip ?? 'unknown';
  if (!guard.begin(address, deps.now())) {
    throw new AppError('too_many_failed_logins', { minutes: guard.minutesLeft(address, deps.now()) });
  }
  let failed = true;
  try {
    const result = await attempt();
    failed = false;
    return result;
  } finally {
    const now = deps.now();
    if (guard.end(address, failed, now)) {
      await recordAudit(
        deps.db,
        { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId },
        {
          action: 'auth.address_blocked',
          outcome: 'denied',
          details: { failedLogins: deps.config.loginFailuresPerAddress, windowMinutes: ADDRESS_WINDOW_MS / 60_000 },
        },
        now,
      );
    }
  }
}

/**
 * Runs one login for `phone` counted against the number at the client address: refused with 423
 * once that pair has failed MAX_FAILED_LOGINS times in the window, and the failure that reaches it
 * answers 423 too, whether the number has an account or not.
 */
export async function guardedByNumberHere<T>(
  deps: Deps,
  phone: string,
  meta: { ip: string | null; requestId: string | null },
  attempt: () => Promise<T>,
): Promise<T> {
  const guard = numberHereGuardOf(deps);
  const key = `${meta.ip ?? 'unknown'}|${phone}`;
  const started = deps.now();
  if (!guard.begin(key, started)) {
    await recordAudit(
      deps.db,
      { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId },
      { action: 'auth.login', outcome: 'denied', details: { phone: maskPhone(phone), reason: 'locked_here' } },
      started,
    );
    throw new AppError('account_locked', { minutes: guard.minutesLeft(key, started) });
  }
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    const now = deps.now();
    const locks = guard.end(key, true, now);
    if (error instanceof AppError && error.code === 'invalid_credentials') {
      if (locks) throw new AppError('account_locked', { minutes: guard.minutesLeft(key, now) });
      // The last tries before the lock say so. This count is of the number at this address, kept
      // for every number alike (with an account or not), so the warning tells nothing about it.
      const triesLeft = guard.triesLeft(key, now);
      if (triesLeft > 0 && triesLeft <= WARN_TRIES_LEFT) throw new AppError('invalid_credentials', { triesLeft, minutes: LOCK_MINUTES });
    }
    throw error;
  }
  guard.end(key, false, deps.now());
  return result;
}

/**
 * Returns when the password is the account's; otherwise throws, after counting a wrong one toward
 * the account's lockout (in one statement, so wrong passwords sent together each count; the one
 * that makes it `maxFailures` locks) and auditing it under `action`. A locked account is refused
 * (423) before its password is looked at. Logins and password changes share this, so the change
 * form is no way round the lockout.
 */
export async function checkPassword(
  deps: Deps,
  user: LoginUser,
  password: string,
  actor: Actor,
  action: string,
  now: number,
  maxFailures = MAX_FAILED_LOGINS,
): Promise<void> {
  const deny = (reason: string, details: Record<string, unknown> = {}) =>
    recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason, ...details } }, now);
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    await deny('locked');
    throw new AppError('account_locked', { minutes: Math.ceil((user.lockedUntil - now) / 60_000) });
  }
  if (await verifyPassword(password, user.passwordHash)) return;
  await countWrongSecret(deps, user, actor, action, 'wrong_password', now, maxFailures);
}

/**
 * A login for a number without a login account (none, or an integration key's): refused, always,
 * after the same work and with the same answers an account's wrong password gets, the lock
 * included. `reason` and `targetId` are for the audit only.
 */
export async function refuseNumberWithoutAccount(
  deps: Deps,
  input: { phone: string; password: string },
  actor: Actor,
  audit: { reason: 'unknown_phone' | 'key_account'; targetId: string | null },
  now: number,
): Promise<never> {
  const deny = (reason: string, details: Record<string, unknown> = {}) =>
    recordAudit(
      deps.db,
      actor,
      {
        action: 'auth.login',
        outcome: 'denied',
        targetType: 'user',
        targetId: audit.targetId,
        details: { phone: maskPhone(input.phone), reason, ...details },
      },
      now,
    );
  const lockedUntil = await repo.findNumberLock(deps.db, input.phone, now);
  if (lockedUntil !== null) {
    await deny('locked');
    throw new AppError('account_locked', { minutes: Math.ceil((lockedUntil - now) / 60_000) });
  }
  await verifyPassword(input.password, DUMMY_HASH);
  const rule = failureRule(now, ACCOUNT_LOCK_FAILURES);
  const after = await deps.db.transaction().execute(async (trx) => {
    await repo.deleteStaleNumberFailures(trx, rule.forgetBefore, now);
    const counted = await repo.recordNumberFailure(trx, input.phone, rule);
    if (!counted) return undefined;
    const locks = counted.lockedUntil !== null;
    await recordAudit(
      trx,
      actor,
      {
        action: 'auth.login',
        outcome: 'denied',
        targetType: 'user',
        targetId: audit.targetId,
        details: {
          phone: maskPhone(input.phone),
          reason: audit.reason,
          failedLogins: locks ? ACCOUNT_LOCK_FAILURES : counted.failedLogins,
        },
      },
      now,
    );
    return { locks };
  });
  if (!after) {
    await deny('locked');
    throw new AppError('account_locked', { minutes: LOCK_MINUTES });
  }
  if (after.locks) throw new AppError('account_locked', { minutes: LOCK_MINUTES });
  throw new AppError('invalid_credentials');
}

/**
 * Counts a wrong password or code toward the account's lockout (in one statement, so wrong ones
 * sent together each count), audits it under `action`, and throws 401, or 423 when it locks.
 */
export async function countWrongSecret(
  deps: Deps,
  user: LoginUser,
  actor: Actor,
  action: string,
  reason: 'wrong_password' | 'wrong_code',
  now: number,
  maxFailures = MAX_FAILED_LOGINS,
): Promise<never> {
  const deny = (why: string) =>
    recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason: why } }, now);
  const rule = failureRule(now, maxFailures);
  const after = await deps.db.transaction().execute(async (trx) => {
    // The same work as a number without an account does, so the time taken does not tell them apart.
    await repo.deleteStaleNumberFailures(trx, rule.forgetBefore, now);
    const counted = await repo.recordAccountFailure(trx, user.id, rule);
    // Locked by another attempt while this password was being checked: refused as locked.
    if (!counted) return undefined;
    const locks = counted.lockedUntil !== null;
    await recordAudit(
      trx,
      actor,
      {
        action,
        outcome: 'denied',
        targetType: 'user',
        targetId: user.id,
        details: {
          reason: locks ? `${reason}_locked` : reason,
          failedLogins: locks ? maxFailures : counted.failedLogins,
        },
      },
      now,
    );
    return { locks };
  });
  if (!after) {
    await deny('locked');
    throw new AppError('account_locked', { minutes: LOCK_MINUTES });
  }
  if (after.locks) throw new AppError('account_locked', { minutes: LOCK_MINUTES });
  throw new AppError(reason === 'wrong_code' ? 'invalid_totp_code' : 'invalid_credentials');
}
