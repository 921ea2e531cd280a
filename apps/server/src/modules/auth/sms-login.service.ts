// Signing in the way villagers already do: a six-digit code texted to their phone. Only household
// accounts (villagers and family members) get codes; staff sign in with a password and their
// second factor. Every answer to a request for a code is the same, whether a code went out or
// not, so the form tells nobody which numbers have accounts.
//
// A code is good for five minutes, once. Asking again does not end the code already sent: every
// code of the number works until it is used or expires, and signing in with one ends the others,
// so a stranger asking for the number's codes only texts the owner codes that work. The limits on
// asking (sms-login.limits.ts) are counted and the request added in one step per number and
// address, so requests sent at once are counted one after another on PostgreSQL too. A wrong code
// costs every live code of the number a try: five from the address that asked for a code end it;
// five from other addresses (all of them together) only shut the others out of it, so a stranger
// cannot keep the owner from signing in by spending the owner's codes. Wrong codes count toward
// the address's limit of failed sign-ins with wrong passwords.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { lockKeysInTransaction } from '../../db/dialect.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { maskPhone } from '../../platform/mask-phone.ts';
import { hashToken } from '../../platform/tokens.ts';
import * as authRepo from './auth.repository.ts';
import type { LoginResult } from './auth.service.ts';
import { type LoginUser, loginUserById, loginUserByPhone } from './credentials.service.ts';
import { guardedByAddress } from './lockout.service.ts';
import { householdOnly, resolveSession, sessionStanding } from './sessions.service.ts';
import { DAY_MS, HOUR_MS, SMS_RESEND_SECONDS, type SmsRefusal, smsRequestRefusal } from './sms-login.limits.ts';
import * as repo from './sms-login.repository.ts';

export const SMS_CODE_SECONDS = 5 * 60;
export const SMS_CODE_TRIES = 5;
export const STAY_SIGNED_IN_DAYS = 30;

/** Requests are kept this long for the limits, then deleted with their phone numbers. */
const KEEP_REQUESTS_MS = DAY_MS;

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
  // Looked up for every request, refused or not, before the transaction (SQLite's writer is one connection).
  const user = await loginUserByPhone(deps, phone);
  const eligible = mayUseCode(user);
  const id = uuidv7(now);
  const code = eligible ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;
  const reason = eligible ? undefined : refusalOf(user);
  // Whoever asked is not known (anyone may type a number): the account is the target, not the
  // actor, and the number is kept masked.
  const audited = { action: 'auth.sms_code', targetType: 'user', targetId: user?.id ?? null };
  const refusal = await deps.db.transaction().execute(async (trx): Promise<SmsRefusal | undefined> => {
    // The number first, then the address: every request takes them in this order.
    await lockKeysInTransaction(trx, [`sms-code:number:${phone}`, `sms-code:address:${ip}`]);
    const recent = await repo.findRecentRequests(trx, { phone, ip, numberSince: now - DAY_MS, addressSince: now - HOUR_MS });
    const refused = smsRequestRefusal(recent, ip, now);
    if (refused) return refused;
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
    await recordAudit(
      trx,
      actor,
      { ...audited, outcome: eligible ? 'ok' : 'denied', details: { phone: maskPhone(phone), ...(reason && { reason }) } },
      now,
    );
    return undefined;
  });
  if (refusal) {
    await recordAudit(deps.db, actor, { ...audited, outcome: 'denied', details: { phone: maskPhone(phone), reason: refusal.reason } }, now);
    throw refusal.reason === 'too_soon'
      ? new AppError('sms_code_too_soon', { seconds: refusal.seconds })
      : new AppError('sms_code_too_many', { minutes: refusal.minutes });
  }
  if (code !== null) {
    // Not awaited: a gateway's delay must not tell a number with an account from one without.
    void deps.sms
      .send(phone, `【村治】您的登录验证码是${code}，${SMS_CODE_SECONDS / 60}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。`)
      .catch(() =>
        recordAudit(deps.db, actor, { ...audited, outcome: 'denied', details: { reason: 'gateway_failed' } }, deps.now()).catch(() => {}),
      );
  }
  return { expiresInSeconds: SMS_CODE_SECONDS, resendAfterSeconds: SMS_RESEND_SECONDS };
}

/**
 * Signs in with any of the number's live codes. A wrong, expired, used or missing code is refused
 * with one answer (401 sms_code_invalid), audited, and counted toward the address's failed
 * sign-ins; the fifth wrong try from the address that asked for a code ends it, the fifth from
 * elsewhere shuts other addresses out of it. `staySignedIn` keeps this phone signed in for 30 days.
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
          details: { phone: maskPhone(input.phone), method: 'sms_code', reason, ...details },
        },
        now,
      );
      throw new AppError('sms_code_invalid');
    };
    const ip = meta.ip ?? 'unknown';
    const codes = await repo.findLiveCodes(deps.db, input.phone, ip, now, SMS_CODE_TRIES);
    if (codes.length === 0) return deny('no_code', null);
    // Every code is compared, so the time taken does not say which one matched.
    const matches = codes.map((candidate) => sameHash(candidate.codeHash, codeHash(candidate.id, input.code)));
    const live = codes[matches.indexOf(true)];
    if (!live) {
      const tries = await repo.countWrongAttempt(deps.db, input.phone, ip, SMS_CODE_TRIES, now);
      return deny('wrong_code', codes[0]?.userId ?? null, { tries: tries ?? SMS_CODE_TRIES });
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
      await repo.endOtherCodes(trx, input.phone, live.id, now);
      // enrolOnly as a password-only session: a staff role given later owes a second factor at once.
      await authRepo.insertSession(trx, {
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken,
        now,
        ...meta,
        enrolOnly: true,
        staysUntil,
        signIn: 'sms_code',
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
    const standing = await sessionStanding(deps, resolved.principal, resolved);
    return { token, csrfToken, principal: resolved.principal, enrolOnly: resolved.enrolOnly, standing, staysUntil };
  });
}
