// Enrolling, confirming and turning off the authenticator app of a login (the second factor).
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { qrCodeSvg } from '../../platform/qr-code.ts';
import { sessionCacheOf } from '../../platform/session-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { base32Encode, matchTotp, otpauthUri } from '../../platform/totp.ts';
import { requireManagedUser } from '../org/users.service.ts';
import * as repo from './auth.repository.ts';
import { hashRecoveryCode, verifySecondFactor } from './auth.service.ts';
import { loginUserById } from './credentials.service.ts';
import { checkPassword, guardedByAddress } from './lockout.service.ts';
import * as totpRepo from './totp.repository.ts';

export const ISSUER = 'Cunzhi';
const RECOVERY_CODES = 10;

/**
 * A new secret for the signed-in user, not yet in force: logins ask for codes only once a code
 * from the app has confirmed it. Starting again replaces an unconfirmed secret.
 */
export async function startEnrolment(deps: Deps, principal: Principal, actor: Actor) {
  // 20 bytes: the HMAC-SHA1 key length RFC 4226 section 4 recommends.
  const secret = randomBytes(20);
  const now = deps.now();
  const started = await deps.db.transaction().execute(async (trx) => {
    if (!(await totpRepo.startTotp(trx, principal.userId, deps.vault.sealSecret(secret.toString('hex')), now))) return false;
    await recordAudit(trx, actor, { action: 'auth.totp_enrolment_started', targetType: 'user', targetId: principal.userId }, now);
    return true;
  });
  if (!started) throw new AppError('totp_already_enabled');
  const base32 = base32Encode(secret);
  const uri = otpauthUri(ISSUER, principal.phone, base32);
  return { secret: base32, otpauthUri: uri, qrSvg: qrCodeSvg(uri) };
}

/**
 * A code from the app puts the secret in force and gives out recovery codes, shown this once and
 * kept only as hashes. A session limited to enrolment becomes a full one.
 */
export async function confirmEnrolment(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { code: string; sessionToken: string },
): Promise<string[]> {
  const now = deps.now();
  const code = input.code;
  const tokenHash = hashToken(input.sessionToken);
  const totp = await totpRepo.findTotp(deps.db, principal.userId);
  if (!totp) throw new AppError('totp_not_started');
  if (totp.confirmed) throw new AppError('totp_already_enabled');
  const step = matchTotp(Buffer.from(deps.vault.openSecret(totp.secretSealed), 'hex'), code, now, totp.lastStep);
  if (step === undefined) {
    await recordAudit(deps.db, actor, {
      action: 'auth.totp_enabled',
      outcome: 'denied',
      targetType: 'user',
      targetId: principal.userId,
      details: { reason: 'wrong_code' },
    });
    throw new AppError('invalid_totp_code');
  }
  // 16 base32 characters (80 bits) each, shown in groups of four.
  const codes = Array.from({ length: RECOVERY_CODES }, () => base32Encode(randomBytes(10)).replace(/(.{4})(?!$)/g, '$1-'));
  const confirmed = await deps.db.transaction().execute(async (trx) => {
    if (!(await totpRepo.useStep(trx, principal.userId, step, now))) return false;
    await totpRepo.replaceRecoveryCodes(
      trx,
      principal.userId,
      codes.map((c) => hashRecoveryCode(principal.userId, c)),
    );
    // Only the session that proved the code is trusted with it; other sessions of the account
    // signed in with the password alone (perhaps not by its owner) end.
    await repo.deleteUserSessions(trx, principal.userId, tokenHash);
    await totpRepo.setEnrolOnly(trx, principal.userId, false, tokenHash);
    await recordAudit(trx, actor, { action: 'auth.totp_enabled', targetType: 'user', targetId: principal.userId }, now);
    return true;
  });
  if (!confirmed) throw new AppError('invalid_totp_code');
  sessionCacheOf(deps).forgetUser(principal.userId);
  return codes;
}

/**
 * Turns the second factor off: the password and a current code (or a recovery code) both, each
 * wrong one counted toward the lockout. Other sessions end; when the county requires a second
 * factor of this account, this session may then only enrol again.
 */
export async function disableTotp(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { password: string; code: string; keepToken: string },
): Promise<void> {
  await guardedByAddress(deps, actor, async () => {
    const user = await loginUserById(deps, principal.userId);
    if (!user || user.backsApiKey) throw new AppError('invalid_credentials');
    if (!(await totpRepo.findTotp(deps.db, user.id))?.confirmed) throw new AppError('totp_not_enabled');
    await checkPassword(deps, user, input.password, actor, 'auth.totp_disabled', deps.now());
    await verifySecondFactor(deps, user, { code: input.code }, actor, 'auth.totp_disabled', deps.now());
  });
  const keep = hashToken(input.keepToken);
  await deps.db.transaction().execute(async (trx) => {
    await totpRepo.deleteTotp(trx, principal.userId);
    await totpRepo.deleteUserChallenges(trx, principal.userId);
    await repo.deleteUserSessions(trx, principal.userId, keep);
    // The kept session no longer stands on a second factor: it is enrol-only whenever one is owed.
    await totpRepo.setEnrolOnly(trx, principal.userId, true, keep);
    await recordAudit(trx, actor, { action: 'auth.totp_disabled', targetType: 'user', targetId: principal.userId });
  });
  sessionCacheOf(deps).forgetUser(principal.userId);
}

/**
 * An administrator takes a user's second factor away (a lost phone and lost recovery codes): the
 * user's sessions end, and the next login enrols again where the county requires it. Audited.
 */
export async function resetTotp(deps: Deps, principal: Principal, actor: Actor, userId: string): Promise<void> {
  await requireManagedUser(deps, principal, userId);
  await deps.db.transaction().execute(async (trx) => {
    await totpRepo.deleteTotp(trx, userId);
    await totpRepo.deleteUserChallenges(trx, userId);
    await repo.deleteUserSessions(trx, userId);
    await recordAudit(trx, actor, { action: 'user.totp_reset', targetType: 'user', targetId: userId });
  });
  sessionCacheOf(deps).forgetUser(userId);
}
