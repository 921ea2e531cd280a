// The lockout: wrong passwords and codes count toward the account's lock, and failed attempts
// toward the client address's limit, whatever account they tried.
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { verifyPassword } from '../../platform/passwords.ts';
import { processCache } from '../../platform/process-cache.ts';
import { type AddressGuard, createAddressGuard } from './address-guard.ts';
import * as repo from './credentials.repository.ts';
import type { LoginUser } from './credentials.service.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** Failed logins are counted per client address over the same window as an account's lock. */
const ADDRESS_WINDOW_MS = LOCK_MINUTES * 60_000;

const addressGuardOf = (deps: Deps): AddressGuard =>
  processCache(deps, 'auth.addressGuard', () => createAddressGuard(deps.config.loginFailuresPerAddress, ADDRESS_WINDOW_MS));

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
 * Returns when the password is the account's; otherwise throws, after counting a wrong one toward
 * the account's lockout (in one statement, so wrong passwords sent together each count) and
 * auditing it under `action`. A locked account is refused (423) before its password is looked at.
 * Logins and password changes share this, so the change form is no way round the lockout.
 */
export async function checkPassword(
  deps: Deps,
  user: LoginUser,
  password: string,
  actor: Actor,
  action: string,
  now: number,
): Promise<void> {
  const deny = (reason: string, details: Record<string, unknown> = {}) =>
    recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason, ...details } }, now);
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    await deny('locked');
    throw new AppError('account_locked', { minutes: Math.ceil((user.lockedUntil - now) / 60_000) });
  }
  if (await verifyPassword(password, user.passwordHash)) return;
  await countWrongSecret(deps, user, actor, action, 'wrong_password', now);
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
): Promise<never> {
  const deny = (why: string) =>
    recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason: why } }, now);
  const after = await deps.db.transaction().execute(async (trx) => {
    const counted = await repo.recordLoginFailure(trx, user.id, {
      now,
      maxFailures: MAX_FAILED_LOGINS,
      lockedUntil: now + LOCK_MINUTES * 60_000,
    });
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
          failedLogins: locks ? MAX_FAILED_LOGINS : counted.failedLogins,
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
