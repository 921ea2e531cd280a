import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GRANTABLE_KEY_SCOPES, hasPermission, PERMISSIONS, type Permission, type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { DUMMY_HASH, hashPassword, NO_PASSWORD, passwordProblem, verifyPassword } from '../../platform/passwords.ts';
import { type CachedSession, sessionCache } from '../../platform/session-cache.ts';
import { matchTotp } from '../../platform/totp.ts';
import { assignmentsOf } from '../org/users.service.ts';
import { type AddressGuard, createAddressGuard } from './address-guard.ts';
import * as keys from './api-keys.repository.ts';
import * as repo from './auth.repository.ts';
import * as totpRepo from './totp.repository.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** However active, a session ends after this long and the user logs in again. */
const ABSOLUTE_SESSION_MS = 12 * 60 * 60 * 1000;
/**
 * last_seen_at is written at most this often, so reads do not each cost a write; this node keeps
 * the exact time of the latest request in memory (session-cache.ts). A tenth of the idle timeout:
 * if consecutive requests land on different nodes, a session ends at most that much early.
 */
const touchIntervalMs = (deps: Deps) => Math.min(60_000, (deps.config.sessionIdleMinutes * 60_000) / 10);

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export type ResolvedSession = { principal: Principal; csrfToken: string; enrolOnly: boolean } | { expired: true } | null;

/** The session a request carries; a request counts as use, and idle time starts again. */
export async function resolveSession(deps: Deps, token: string): Promise<ResolvedSession> {
  const tokenHash = hashToken(token);
  const now = deps.now();
  const cached = sessionCache.get(tokenHash, now) ?? (await loadSession(deps, tokenHash, now));
  if (!cached) return null;
  if (isExpired(deps, tokenHash, cached, now)) {
    await endExpiredSession(deps, tokenHash);
    return { expired: true };
  }
  sessionCache.noteRequest(tokenHash, now);
  if (now - cached.lastSeenAt >= touchIntervalMs(deps)) {
    await repo.touchSession(deps.db, tokenHash, now);
    cached.lastSeenAt = now;
  }
  // Whether a second factor is owed is decided from the roles held now, not at login: a role given
  // to a signed-in villager makes a password-only session an enrol-only one at once.
  const enrolOnly = cached.enrolOnly === true && mustUseTotp(deps, cached.principal);
  return { principal: cached.principal, csrfToken: cached.csrfToken, enrolOnly };
}

/** When the session ends unless it is used again: idle since its latest request, or too old. */
function expiresAt(deps: Deps, tokenHash: string, session: CachedSession): number {
  const lastRequest = Math.max(session.lastSeenAt, sessionCache.lastRequestAt(tokenHash) ?? 0);
  return Math.min(lastRequest + deps.config.sessionIdleMinutes * 60_000, session.createdAt + ABSOLUTE_SESSION_MS);
}

function isExpired(deps: Deps, tokenHash: string, session: CachedSession, now: number): boolean {
  return now > expiresAt(deps, tokenHash, session);
}

async function endExpiredSession(deps: Deps, tokenHash: string): Promise<void> {
  await repo.deleteSession(deps.db, tokenHash);
  sessionCache.forgetToken(tokenHash);
}

async function loadSession(deps: Deps, tokenHash: string, now: number): Promise<CachedSession | undefined> {
  const session = await repo.findSession(deps.db, tokenHash);
  if (!session || session.disabled) return undefined;
  const entry: CachedSession = {
    principal: {
      userId: session.userId,
      displayName: session.displayName,
      phone: session.phone,
      personId: session.personId,
      householdId: session.householdId,
      assignments: await assignmentsOf(deps, session.userId),
    },
    csrfToken: session.csrfToken,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    cachedAt: now,
    enrolOnly: session.enrolOnly,
  };
  sessionCache.set(tokenHash, entry);
  return entry;
}

/** A long-lived response (the live-event stream) bound to the session that opened it. */
export type SessionWatch = {
  /** Whom the stream speaks to now: roles added since it opened are included. */
  readonly principal: Principal;
  /** Resolves true while the session lives, checking again first when a check is due; false once it has ended. */
  alive(): Promise<boolean>;
  /** Checks the session again (the cached view, as other nodes' changes arrive through it). */
  recheck(): Promise<boolean>;
  stop(): void;
};

/**
 * Watches the session a stream was opened with and calls `onEnd` once when it ends: logout, idle
 * or absolute expiry, a disabled account, a removed role (the browser reconnects and gets a stream
 * with what it may still see). Changes made on this node arrive through sessionCache.onForget;
 * they are often announced inside the transaction making them, so the check first waits for that
 * transaction. Holding the stream open does not count as use of the session.
 */
export function watchSession(deps: Deps, token: string, opened: Principal, onEnd: () => void): SessionWatch {
  const tokenHash = hashToken(token);
  let principal = opened;
  let ended = false;
  let deadline = 0;
  let pending: Promise<boolean> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const end = () => {
    if (ended) return;
    ended = true;
    stop();
    onEnd();
  };
  const schedule = () => {
    clearTimeout(timer);
    // Timers wait in real time, capped, in case the clock was set; alive() also checks the deadline.
    const wait = Math.min(Math.max(deadline - deps.now() + 1, 1_000), 60_000);
    timer = setTimeout(() => void check(false), wait);
    timer.unref?.();
  };
  const verify = async (fresh: boolean): Promise<boolean> => {
    const now = deps.now();
    if (fresh) await repo.awaitSessionWriters(deps.db, tokenHash, principal.userId);
    const session = (fresh ? undefined : sessionCache.get(tokenHash, now)) ?? (await loadSession(deps, tokenHash, now));
    if (!session) return false;
    if (isExpired(deps, tokenHash, session, now)) {
      await endExpiredSession(deps, tokenHash);
      return false;
    }
    const still = new Set(session.principal.assignments.map((a) => a.id));
    if (!principal.assignments.every((a) => still.has(a.id))) return false;
    // A role that owes a second factor, given to a password-only session, ends its stream too.
    if (session.enrolOnly === true && mustUseTotp(deps, session.principal)) return false;
    principal = session.principal;
    deadline = expiresAt(deps, tokenHash, session);
    return true;
  };
  const check = (fresh: boolean): Promise<boolean> => {
    if (ended) return Promise.resolve(false);
    // One check at a time; a fresh one asked for during another runs after it.
    const previous = pending ?? Promise.resolve(true);
    const next = previous.then(async () => {
      if (ended) return false;
      const ok = await verify(fresh).catch(() => false);
      if (!ok) end();
      else schedule();
      return ok;
    });
    pending = next;
    void next.then(() => {
      if (pending === next) pending = undefined;
    });
    return next;
  };
  const unlisten = sessionCache.onForget((change) => {
    if (change.tokenHash === tokenHash || change.userId === principal.userId) void check(true);
  });
  const stop = () => {
    clearTimeout(timer);
    unlisten();
  };

  void check(false);
  return {
    get principal() {
      return principal;
    },
    alive() {
      if (ended) return Promise.resolve(false);
      if (pending) return pending;
      if (deps.now() > deadline) return check(false);
      return Promise.resolve(true);
    },
    recheck: () => check(false),
    stop,
  };
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type LoginResult =
  | { token: string; csrfToken: string; principal: Principal; enrolOnly: boolean }
  | { secondFactor: 'totp'; pendingToken: string; expiresInSeconds: number };

/** A right password leaves this long to type the authenticator code. */
const CHALLENGE_SECONDS = 5 * 60;
const NOT_STAFF = new Set(['villager', 'familyMember']);

/** Whether the county's REQUIRE_STAFF_TOTP asks this account for a second factor. */
export function mustUseTotp(deps: Deps, principal: Pick<Principal, 'assignments'>): boolean {
  return deps.config.requireStaffTotp && rolesOf(principal).some((role) => !NOT_STAFF.has(role));
}

/** Failed logins are counted per client address over the same window as an account's lock. */
const ADDRESS_WINDOW_MS = LOCK_MINUTES * 60_000;
const addressGuards = new WeakMap<Deps['db'], AddressGuard>();

function addressGuardOf(deps: Deps): AddressGuard {
  let guard = addressGuards.get(deps.db);
  if (!guard) {
    guard = createAddressGuard(deps.config.loginFailuresPerAddress, ADDRESS_WINDOW_MS);
    addressGuards.set(deps.db, guard);
  }
  return guard;
}

/**
 * Logs in, unless the client address has failed too often lately (whatever the accounts): then
 * 429 without looking at the password. The failure that reaches the limit is audited as
 * `auth.address_blocked`, so that someone trying one address against many accounts is seen.
 */
export function login(
  deps: Deps,
  input: { phone: string; password: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  return guardedByAddress(deps, meta, () => attemptLogin(deps, input, meta));
}

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

async function attemptLogin(
  deps: Deps,
  input: { phone: string; password: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  const now = deps.now();
  const actor: Actor = { userId: null, roles: null, ip: meta.ip, requestId: meta.requestId };
  const user = await repo.findLoginUser(deps.db, input.phone);
  const deny = async (reason: string, userId: string | null = null) => {
    await recordAudit(
      deps.db,
      { ...actor, userId },
      { action: 'auth.login', outcome: 'denied', targetType: 'user', targetId: userId, details: { phone: input.phone, reason } },
      now,
    );
  };

  if (!user || user.backsApiKey) {
    // An account an integration key acts as is not a login account, whatever its password: it is
    // refused as an unknown phone is, after the same work, so the answer does not tell them apart.
    await verifyPassword(input.password, DUMMY_HASH);
    await deny(user ? 'key_account' : 'unknown_phone', user?.id ?? null);
    throw new AppError('invalid_credentials');
  }
  await checkPassword(deps, user, input.password, { ...actor, userId: user.id }, 'auth.login', now);
  if (user.disabled) {
    await deny('disabled', user.id);
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
    if (!(await repo.recordLoginSuccess(trx, userId, now))) return 'locked' as const;
    await repo.insertSession(trx, { tokenHash: hashToken(token), userId, csrfToken, now, ...meta, enrolOnly: how.passwordOnly });
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
  return { token, csrfToken, principal: resolved.principal, enrolOnly: resolved.enrolOnly };
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
    const user = await repo.findLoginUserById(deps.db, challenge.userId);
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
  user: repo.LoginUser,
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

export async function logout(deps: Deps, token: string, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(token));
    await recordAudit(trx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId });
  });
  // After the commit: a live stream of this session checks it again at once (watchSession).
  sessionCache.forgetToken(hashToken(token));
}

/**
 * Returns when the password is the account's; otherwise throws, after counting a wrong one toward
 * the account's lockout (in one statement, so wrong passwords sent together each count) and
 * auditing it under `action`. A locked account is refused (423) before its password is looked at.
 * Logins and password changes share this, so the change form is no way round the lockout.
 */
export async function checkPassword(
  deps: Deps,
  user: repo.LoginUser,
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
async function countWrongSecret(
  deps: Deps,
  user: repo.LoginUser,
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

/**
 * Changes the user's own password. The current password is checked as a login's is: a wrong one
 * counts toward the account's lockout and the address's limit and is audited
 * (`auth.password_changed`, denied); a locked account's password is not changed.
 */
export async function changePassword(
  deps: Deps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; keepToken: string },
  actor: Actor,
): Promise<void> {
  // Only the check of the current password counts against the address: a weak new one does not.
  await guardedByAddress(deps, actor, async () => {
    const user = await repo.findLoginUserById(deps.db, principal.userId);
    if (!user || user.backsApiKey) throw new AppError('invalid_credentials');
    await checkPassword(deps, user, input.currentPassword, actor, 'auth.password_changed', deps.now());
  });
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new AppError(problem);
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updatePasswordHash(trx, principal.userId, hash, deps.now());
    // Other devices that knew the old password are logged out.
    await repo.deleteUserSessions(trx, principal.userId, hashToken(input.keepToken));
    sessionCache.forgetUser(principal.userId);
    await recordAudit(trx, actor, { action: 'auth.password_changed', targetType: 'user', targetId: principal.userId });
  });
}

export function permissionsOf(principal: Principal): Permission[] {
  return PERMISSIONS.filter((p) => hasPermission(principal, p));
}

/**
 * What a key resolved to, kept for API_KEY_CACHE_MS per database handle: a gateway posts many
 * batches a second with the same key. A revoked key, a disabled account or a changed role takes
 * effect within that time.
 */
const API_KEY_CACHE_MS = 10_000;
const apiKeyCaches = new WeakMap<Deps['reader'], Map<string, { principal: Principal | undefined; until: number }>>();

/**
 * The account an integration key acts as (an Open311 client, a device gateway), or undefined for
 * an unknown or revoked key. Keys are stored only as hashes.
 */
export async function principalForApiKey(deps: Deps, key: string, kind: 'open311' | 'gateway'): Promise<Principal | undefined> {
  let cache = apiKeyCaches.get(deps.reader);
  if (!cache) {
    cache = new Map();
    apiKeyCaches.set(deps.reader, cache);
  }
  const hash = hashToken(key);
  const cached = cache.get(`${kind}|${hash}`);
  if (cached && cached.until > Date.now()) return cached.principal;
  const holder = await keys.findApiKey(deps.reader, hash);
  const principal =
    !holder || holder.kind !== kind || holder.disabled
      ? undefined
      : {
          userId: holder.userId,
          displayName: holder.displayName,
          phone: holder.phone,
          personId: holder.personId,
          householdId: null,
          assignments: await assignmentsOf(deps, holder.userId),
          // The key may do less than its account: access.ts limits a gateway to what it was granted.
          key: { kind: holder.kind, scopes: holder.scopes },
        };
  if (cache.size > 10_000) cache.clear();
  // Unknown keys are not remembered: guessing keys must not fill the memory, and a new key works at once.
  if (principal) cache.set(`${kind}|${hash}`, { principal, until: Date.now() + API_KEY_CACHE_MS });
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
  apiKeyCaches.get(deps.reader)?.clear();
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
    await repo.updatePasswordHash(trx, key.userId, NO_PASSWORD, deps.now());
    await repo.deleteUserSessions(trx, key.userId);
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'api_key.create',
      targetType: 'user',
      targetId: key.userId,
      details: { name: key.name, kind: key.kind },
    });
  });
  sessionCache.forgetUser(key.userId);
  return id;
}
