import { randomBytes } from 'node:crypto';
import { GRANTABLE_KEY_SCOPES, hasPermission, PERMISSIONS, type Permission, type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { maskPhone } from '../../platform/mask-phone.ts';
import { hashPassword, NO_PASSWORD, passwordProblem } from '../../platform/passwords.ts';
import { processCache } from '../../platform/process-cache.ts';
import { sessionCacheOf } from '../../platform/session-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { matchTotp } from '../../platform/totp.ts';
import { assignmentsOf, principalAccount } from '../org/users.service.ts';
import * as keys from './api-keys.repository.ts';
import * as repo from './auth.repository.ts';
import * as credentials from './credentials.repository.ts';
import { type LoginUser, loginUserById, loginUserByPhone } from './credentials.service.ts';
import {
  ACCOUNT_LOCK_FAILURES,
  checkPassword,
  countWrongSecret,
  guardedByAddress,
  guardedByNumberHere,
  LOCK_MINUTES,
  refuseNumberWithoutAccount,
} from './lockout.service.ts';
import { resolveSession, type SessionStanding, sessionStanding } from './sessions.service.ts';
import * as totpRepo from './totp.repository.ts';

export type LoginResult =
  | {
      token: string;
      csrfToken: string;
      principal: Principal;
      enrolOnly: boolean;
      standing: SessionStanding;
      /** A code sign-in that stays signed in: the session (and its cookie) lasts until then. */
      staysUntil?: number | null;
    }
  | { secondFactor: 'totp'; pendingToken: string; expiresInSeconds: number };

/** A right password leaves this long to type the authenticator code. */
const CHALLENGE_SECONDS = 5 * 60;

/**
 * Logs in, unless the client address has failed too often lately (whatever the accounts): then
 * 429 without looking at the password. The failure that reaches the limit is audited as
 * `auth.address_blocked`, so that someone trying one address against many accounts is seen. Wrong
 * passwords lock the number at this address first, and everywhere only after many addresses
 * (lockout.service.ts); a number without an account meets the same answers.
 */
export function login(
  deps: Deps,
  input: { phone: string; password: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  return guardedByAddress(deps, meta, () => guardedByNumberHere(deps, input.phone, meta, () => attemptLogin(deps, input, meta)));
}

async function attemptLogin(
  deps: Deps,
  input: { phone: string; password: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  const now = deps.now();
  const actor: Actor = { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId };
  const user = await loginUserByPhone(deps, input.phone);
  if (!user || user.backsApiKey) {
    // An account an integration key acts as is not a login account, whatever its password: it is
    // refused as an unknown phone is, after the same work, so the answer does not tell them apart.
    return refuseNumberWithoutAccount(
      deps,
      input,
      actor,
      { reason: user ? 'key_account' : 'unknown_phone', targetId: user?.id ?? null },
      now,
    );
  }
  await checkPassword(deps, user, input.password, { ...actor, userId: user.id }, 'auth.login', now, ACCOUNT_LOCK_FAILURES);
  if (user.disabled) {
    await recordAudit(
      deps.db,
      { ...actor, userId: user.id },
      {
        action: 'auth.login',
        outcome: 'denied',
        targetType: 'user',
        targetId: user.id,
        details: { phone: maskPhone(input.phone), reason: 'disabled' },
      },
      now,
    );
    throw new AppError('account_disabled');
  }

  if ((await totpRepo.findTotp(deps.db, user.id))?.confirmed) {
    // No session yet, and the failure count stays: a right password must not clear the count of
    // wrong codes, or guessing codes would never lock the account.
    const pendingToken = randomBytes(32).toString('base64url');
    await deps.db.transaction().execute(async (trx) => {
      await totpRepo.insertChallenge(trx, hashToken(pendingToken), user.id, now + CHALLENGE_SECONDS * 1000, now);
      await recordAudit(
        trx,
        { ...actor, userId: user.id },
        { action: 'auth.login_pending', targetType: 'user', targetId: user.id, details: { secondFactor: 'totp' } },
        now,
      );
    });
    return { secondFactor: 'totp', pendingToken, expiresInSeconds: CHALLENGE_SECONDS };
  }
  return startSession(deps, user.id, meta, { passwordOnly: true }, now);
}

/** Opens a session for a login whose every factor was right. */
async function startSession(
  deps: Deps,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; requestId: string },
  how: { passwordOnly: boolean; secondFactor?: string; challengeHash?: string },
  now: number,
): Promise<LoginResult> {
  const actor: Actor = { userId, roles: null, ip: meta.ip, requestId: meta.requestId };
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const roles = rolesOf({ assignments: await assignmentsOf(deps, userId) }).join(',') || null;
  const started = await deps.db.transaction().execute(async (trx) => {
    // The code is good once: two requests with it race for the challenge, and one wins.
    if (how.challengeHash && !(await totpRepo.takeChallenge(trx, how.challengeHash))) return 'taken' as const;
    // The right password loses if wrong ones sent with it locked the account meanwhile.
    if (!(await credentials.recordLoginSuccess(trx, userId, now))) return 'locked' as const;
    const signIn = how.passwordOnly ? 'password' : 'password_totp';
    await repo.insertSession(trx, { tokenHash: hashToken(token), userId, csrfToken, now, ...meta, enrolOnly: how.passwordOnly, signIn });
    const details = { ...(how.secondFactor && { secondFactor: how.secondFactor }) };
    await recordAudit(trx, { ...actor, roles }, { action: 'auth.login', targetType: 'user', targetId: userId, details }, now);
    return 'started' as const;
  });
  if (started === 'taken') throw new AppError('login_challenge_expired');
  if (started === 'locked') {
    await recordAudit(
      deps.db,
      actor,
      { action: 'auth.login', outcome: 'denied', targetType: 'user', targetId: userId, details: { reason: 'locked' } },
      now,
    );
    throw new AppError('account_locked', { minutes: LOCK_MINUTES });
  }
  const resolved = await resolveSession(deps, token);
  if (!resolved || 'expired' in resolved) throw new AppError('internal_error');
  const standing = await sessionStanding(deps, resolved.principal, resolved);
  return { token, csrfToken, principal: resolved.principal, enrolOnly: resolved.enrolOnly, standing };
}

/** Recovery codes are typed by hand: case, spaces and dashes do not matter. */
export const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
export const hashRecoveryCode = (userId: string, code: string) => hashToken(`${userId}:${normaliseRecoveryCode(code)}`);

/**
 * Completes a login that answered `secondFactor: 'totp'` with the app's code or a recovery code.
 * Wrong codes count toward the account's lockout as wrong passwords do, and toward the address's
 * limit, and are audited; each code (and each recovery code) works once.
 */
export function completeSecondFactor(
  deps: Deps,
  input: { pendingToken: string; code?: string; recoveryCode?: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  return guardedByAddress(deps, meta, async () => {
    const now = deps.now();
    const challengeHash = hashToken(input.pendingToken);
    const challenge = await totpRepo.findChallenge(deps.db, challengeHash);
    const actor: Actor = { userId: challenge?.userId ?? null, roles: null, ip: meta.ip, requestId: meta.requestId };
    if (!challenge || challenge.expiresAt <= now) {
      await recordAudit(deps.db, actor, { action: 'auth.second_factor', outcome: 'denied', details: { reason: 'no_challenge' } }, now);
      throw new AppError('login_challenge_expired');
    }
    if ((input.code === undefined) === (input.recoveryCode === undefined)) {
      throw new AppError('validation_failed', {}, [{ field: 'code', problem: 'either code or recoveryCode' }]);
    }
    const user = await loginUserById(deps, challenge.userId);
    if (!user || user.backsApiKey) throw new AppError('login_challenge_expired');
    await verifySecondFactor(deps, user, input, actor, 'auth.second_factor', now);
    if (user.disabled) throw new AppError('account_disabled');
    return startSession(
      deps,
      user.id,
      meta,
      { passwordOnly: false, secondFactor: input.code !== undefined ? 'totp' : 'recovery_code', challengeHash },
      now,
    );
  });
}

/**
 * Returns when the code (or recovery code) is the account's and unused, taking it as used;
 * otherwise counts a failure toward the lockout, audits it under `action` and throws.
 */
export async function verifySecondFactor(
  deps: Deps,
  user: LoginUser,
  input: { code?: string; recoveryCode?: string },
  actor: Actor,
  action: string,
  now: number,
): Promise<void> {
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    await recordAudit(
      deps.db,
      actor,
      { action, outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason: 'locked' } },
      now,
    );
    throw new AppError('account_locked', { minutes: Math.ceil((user.lockedUntil - now) / 60_000) });
  }
  const totp = await totpRepo.findTotp(deps.db, user.id);
  let ok = false;
  if (totp?.confirmed && input.code !== undefined) {
    const secret = Buffer.from(deps.vault.openSecret(totp.secretSealed), 'hex');
    const step = matchTotp(secret, input.code, now, totp.lastStep);
    ok = step !== undefined && (await totpRepo.useStep(deps.db, user.id, step));
  } else if (totp?.confirmed && input.recoveryCode !== undefined) {
    ok = await totpRepo.useRecoveryCode(deps.db, user.id, hashRecoveryCode(user.id, input.recoveryCode), now);
  }
  if (!ok) await countWrongSecret(deps, user, actor, action, 'wrong_code', now);
}

/**
 * Changes the user's own password. The current password is checked as a login's is: a wrong one
 * counts toward the account's lockout and the address's limit and is audited
 * (`auth.password_changed`, denied); a locked account's password is not changed. The new one
 * replaces only the password that was checked: an administrator's reset that lands meanwhile wins
 * (409), or an intruder racing the reset would keep the account.
 */
export async function changePassword(
  deps: Deps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; keepToken: string },
  actor: Actor,
): Promise<void> {
  // The same password again is no change: a password an administrator chose would stay in use.
  if (input.newPassword === input.currentPassword) throw new AppError('password_unchanged');
  // Only the check of the current password counts against the address: a weak new one does not.
  const checked = await guardedByAddress(deps, actor, async () => {
    const user = await loginUserById(deps, principal.userId);
    if (!user || user.backsApiKey) throw new AppError('invalid_credentials');
    await checkPassword(deps, user, input.currentPassword, actor, 'auth.password_changed', deps.now());
    return user.passwordHash;
  });
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new AppError(problem);
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    // The holder chose this one: a session that could only change the password is now a full one.
    if (!(await credentials.replacePasswordHash(trx, principal.userId, { checked, hash, now: deps.now() }))) {
      throw new AppError('password_changed_meanwhile');
    }
    // Other devices that knew the old password are logged out.
    await repo.deleteUserSessions(trx, principal.userId, hashToken(input.keepToken));
    sessionCacheOf(deps).forgetUser(principal.userId);
    await recordAudit(trx, actor, { action: 'auth.password_changed', targetType: 'user', targetId: principal.userId });
  });
}

export function permissionsOf(principal: Principal): Permission[] {
  return PERMISSIONS.filter((p) => hasPermission(principal, p));
}

/**
 * What a key resolved to, kept for API_KEY_CACHE_MS by this process: a gateway posts many batches
 * a second with the same key. A revoked key, a disabled account or a changed role takes effect
 * within that time.
 */
const API_KEY_CACHE_MS = 10_000;
const apiKeyCache = (deps: Deps) =>
  processCache(deps, 'auth.apiKeys', () => new Map<string, { principal: Principal | undefined; until: number }>());

/**
 * The account an integration key acts as (an Open311 client, a device gateway), or undefined for
 * an unknown or revoked key. Keys are stored only as hashes.
 */
export async function principalForApiKey(deps: Deps, key: string, kind: 'open311' | 'gateway'): Promise<Principal | undefined> {
  const cache = apiKeyCache(deps);
  const hash = hashToken(key);
  const cached = cache.get(`${kind}|${hash}`);
  if (cached && cached.until > deps.now()) return cached.principal;
  const holder = await keys.findApiKey(deps.reader, hash);
  const account = holder && holder.kind === kind ? await principalAccount(deps, holder.userId) : undefined;
  const principal =
    !holder || !account || account.disabled
      ? undefined
      : {
          userId: account.id,
          displayName: account.displayName,
          phone: account.phone,
          personId: account.personId,
          householdId: null,
          assignments: account.assignments,
          // The key may do less than its account: access.ts limits a gateway to what it was granted.
          key: { kind: holder.kind, scopes: holder.scopes },
        };
  if (cache.size > 10_000) cache.clear();
  // Unknown keys are not remembered: guessing keys must not fill the memory, and a new key works at once.
  if (principal) cache.set(`${kind}|${hash}`, { principal, until: deps.now() + API_KEY_CACHE_MS });
  return principal;
}

/** The county's device gateway keys with what each was granted (county admins only). */
export async function listGatewayKeys(deps: Deps, principal: Principal): Promise<keys.ApiKeySummary[]> {
  if (!hasPermission(principal, 'apiKeys.grant')) throw new AppError('forbidden');
  return keys.listApiKeys(deps.reader, 'gateway');
}

/**
 * Sets what a gateway key may do beyond writing readings: `care.read` lets it read the patients and
 * readings of its township (a health centre's system that also shows them). An empty list takes it
 * back. Takes effect in this process at once, in others within API_KEY_CACHE_MS.
 */
export async function setGatewayKeyScopes(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  scopes: string[],
): Promise<keys.ApiKeySummary> {
  if (!hasPermission(principal, 'apiKeys.grant')) throw new AppError('forbidden');
  const granted = [...new Set(scopes)].sort();
  if (granted.some((scope) => !(GRANTABLE_KEY_SCOPES as readonly string[]).includes(scope))) {
    throw new AppError('validation_failed', {}, [{ field: 'scopes', problem: `only ${GRANTABLE_KEY_SCOPES.join(', ')}` }]);
  }
  const key = await keys.findApiKeyById(deps.db, id);
  if (key?.kind !== 'gateway') throw notFound('apiKey');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await keys.setApiKeyScopes(trx, id, granted);
    await recordAudit(
      trx,
      actor,
      { action: 'api_key.scopes', targetType: 'apiKey', targetId: id, details: { from: key.scopes, to: granted } },
      now,
    );
  });
  apiKeyCache(deps).clear();
  return { ...key, scopes: granted };
}

export async function createApiKey(
  deps: Deps,
  key: { name: string; kind: 'open311' | 'gateway'; key: string; userId: string },
): Promise<string> {
  const id = uuidv7(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await keys.insertApiKey(trx, { id, name: key.name, kind: key.kind, keyHash: hashToken(key.key), userId: key.userId }, deps.now());
    // The account now acts only through keys: no password opens it, and no session it had survives.
    await credentials.upsertPasswordHash(trx, key.userId, NO_PASSWORD, { now: deps.now(), unlock: false, mustChange: false });
    await repo.deleteUserSessions(trx, key.userId);
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'api_key.create',
      targetType: 'user',
      targetId: key.userId,
      details: { name: key.name, kind: key.kind },
    });
  });
  sessionCacheOf(deps).forgetUser(key.userId);
  return id;
}
