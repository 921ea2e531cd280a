// Signing in the way villagers already do: a six-digit code texted to their phone. Only household
// accounts (villagers and family members) get codes; staff sign in with a password and their
// second factor. Every answer to a request for a code is the same, whether a code went out or
// not, so the form tells nobody which numbers have accounts.
//
// Limits (each request counts, whatever the number): one code per number a minute and five an
// hour; twenty requests an hour from one address (villagers behind one carrier address share it).
// A code is good for five minutes, once; five wrong tries end it, and wrong codes count toward the
// address's limit of failed sign-ins with wrong passwords.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashToken } from '../../platform/tokens.ts';
import * as authRepo from './auth.repository.ts';
import type { LoginResult } from './auth.service.ts';
import { type LoginUser, loginUserById, loginUserByPhone } from './credentials.service.ts';
import { guardedByAddress } from './lockout.service.ts';
import { householdOnly, resolveSession, secondFactorStanding } from './sessions.service.ts';
import * as repo from './sms-login.repository.ts';

export const SMS_CODE_SECONDS = 5 * 60;
export const SMS_RESEND_SECONDS = 60;
export const SMS_CODES_PER_NUMBER_PER_HOUR = 5;
export const SMS_REQUESTS_PER_ADDRESS_PER_HOUR = 20;
export const SMS_CODE_TRIES = 5;
export const STAY_SIGNED_IN_DAYS = 30;

const HOUR_MS = 60 * 60_000;
/** Requests are kept this long for the limits, then deleted with their phone numbers. */
const KEEP_REQUESTS_MS = 24 * HOUR_MS;

type Meta = { ip: string | null; userAgent: string | null; requestId: string };

/** Whether the account may sign in with a texted code: household roles only, enabled, not an integration key's. */
function mayUseCode(user: LoginUser | undefined): user is LoginUser {
  return !!user && !user.disabled && !user.backsApiKey && householdOnly(user.roles);
}

const refusalOf = (user: LoginUser | undefined) => (!user ? 'unknown_phone' : user.disabled ? 'disabled' : 'not_household');

const codeHash = (requestId: string, code: string) => hashToken(`sms-login:${requestId}:${code}`);

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Texts a sign-in code to a household account's number; for any other number (none, staff,
 * disabled) nothing is sent and the answer is the same. Refused with 429 past the limits.
 */
export async function requestSmsCode(
  deps: Deps,
  phone: string,
  meta: Meta,
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  const now = deps.now();
  const ip = meta.ip ?? 'unknown';
  const actor: Actor = { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId };
  const recent = await repo.countRecentRequests(deps.db, { phone, ip, since: now - HOUR_MS });
  const refuse = async (reason: string, error: AppError) => {
    await recordAudit(deps.db, actor, { action: 'auth.sms_code', outcome: 'denied', details: { phone, reason } }, now);
    throw error;
  };
  if (recent.newestByPhone !== null && now - recent.newestByPhone < SMS_RESEND_SECONDS * 1000) {
    const seconds = Math.ceil((recent.newestByPhone + SMS_RESEND_SECONDS * 1000 - now) / 1000);
    await refuse('too_soon', new AppError('sms_code_too_soon', { seconds }));
  }
  if (recent.byPhone >= SMS_CODES_PER_NUMBER_PER_HOUR) {
    await refuse('number_limit', new AppError('sms_code_too_many', { minutes: minutesUntil(recent.oldestByPhone, now) }));
  }
  if (recent.byAddress >= SMS_REQUESTS_PER_ADDRESS_PER_HOUR) {
    await refuse('address_limit', new AppError('sms_code_too_many', { minutes: minutesUntil(recent.oldestByAddress, now) }));
  }

  const user = await loginUserByPhone(deps, phone);
  const eligible = mayUseCode(user);
  const id = uuidv7(now);
  const code = eligible ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteRequestsBefore(trx, now - KEEP_REQUESTS_MS);
    await repo.insertRequest(trx, {
      id,
      phone,
      ip,
      userId: eligible ? user.id : null,
      codeHash: code === null ? null : codeHash(id, code),
      now,
      expiresAt: now + SMS_CODE_SECONDS * 1000,
    });
    const reason = eligible ? undefined : refusalOf(user);
    // Whoever asked is not known (anyone may type a number): the account is the target, not the actor.
    await recordAudit(
      trx,
      actor,
      {
        action: 'auth.sms_code',
        outcome: eligible ? 'ok' : 'denied',
        targetType: 'user',
        targetId: user?.id ?? null,
        details: { phone, ...(reason && { reason }) },
      },
      now,
    );
  });
  if (code !== null) {
    // Not awaited: a gateway's delay must not tell a number with an account from one without.
    void deps.sms
      .send(phone, `【村治】您的登录验证码是${code}，${SMS_CODE_SECONDS / 60}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。`)
      .catch(() =>
        recordAudit(
          deps.db,
          actor,
          {
            action: 'auth.sms_code',
            outcome: 'denied',
            targetType: 'user',
            targetId: user?.id ?? null,
            details: { reason: 'gateway_failed' },
          },
          deps.now(),
        ).catch(() => {}),
      );
  }
  return { expiresInSeconds: SMS_CODE_SECONDS, resendAfterSeconds: SMS_RESEND_SECONDS };
}

const minutesUntil = (oldest: number | null, now: number) => Math.max(1, Math.ceil(((oldest ?? now) + HOUR_MS - now) / 60_000));

/**
 * Signs in with the number's newest code. A wrong, expired, used or missing code is refused with
 * one answer (401 sms_code_invalid), audited, and counted toward the address's failed sign-ins;
 * the fifth wrong try ends the code. `staySignedIn` keeps this phone signed in for 30 days.
 */
export function signInWithSmsCode(
  deps: Deps,
  input: { phone: string; code: string; staySignedIn: boolean },
  meta: Meta,
): Promise<LoginResult> {
  return guardedByAddress(deps, meta, async () => {
    const now = deps.now();
    const actor: Actor = { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId };
    const deny = async (reason: string, userId: string | null, details: Record<string, unknown> = {}): Promise<never> => {
      await recordAudit(
        deps.db,
        actor,
        {
          action: 'auth.login',
          outcome: 'denied',
          targetType: 'user',
          targetId: userId,
          details: { phone: input.phone, method: 'sms_code', reason, ...details },
        },
        now,
      );
      throw new AppError('sms_code_invalid');
    };
    const live = await repo.findLiveCode(deps.db, input.phone, now, SMS_CODE_TRIES);
    if (!live) return deny('no_code', null);
    if (!sameHash(live.codeHash, codeHash(live.id, input.code))) {
      const tries = await repo.countWrongAttempt(deps.db, live.id, SMS_CODE_TRIES, now);
      return deny('wrong_code', live.userId, { tries: tries ?? SMS_CODE_TRIES });
    }
    // The account is asked again: a role or a disabling since the code was sent counts.
    const user = await loginUserById(deps, live.userId);
    if (!mayUseCode(user)) return deny('not_household', live.userId);
    const staysUntil = input.staySignedIn ? now + STAY_SIGNED_IN_DAYS * 24 * HOUR_MS : null;
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const roles = user.roles.join(',') || null;
    const opened = await deps.db.transaction().execute(async (trx) => {
      // The code is good once: of two sign-ins with it, one wins.
      if (!(await repo.takeCode(trx, live.id, now, SMS_CODE_TRIES))) return false;
      // enrolOnly as a password-only session: a staff role given later owes a second factor at once.
      await authRepo.insertSession(trx, {
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken,
        now,
        ...meta,
        enrolOnly: true,
        staysUntil,
      });
      await recordAudit(
        trx,
        { ...actor, userId: user.id, roles },
        { action: 'auth.login', targetType: 'user', targetId: user.id, details: { method: 'sms_code', staySignedIn: input.staySignedIn } },
        now,
      );
      return true;
    });
    if (!opened) return deny('code_taken', live.userId);
    const resolved = await resolveSession(deps, token);
    if (!resolved || 'expired' in resolved) throw new AppError('internal_error');
    const standing = await secondFactorStanding(deps, resolved.principal);
    return { token, csrfToken, principal: resolved.principal, enrolOnly: resolved.enrolOnly, standing, staysUntil };
  });
}
