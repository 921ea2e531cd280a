import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hasPermission, PERMISSIONS, type Permission, type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.ts';
import { type CachedSession, sessionCache } from '../../platform/session-cache.ts';
import { assignmentsOf } from '../org/users.service.ts';
import * as keys from './api-keys.repository.ts';
import * as repo from './auth.repository.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** However active, a session ends after this long and the user logs in again. */
const ABSOLUTE_SESSION_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export type ResolvedSession = { principal: Principal; csrfToken: string } | { expired: true } | null;

export async function resolveSession(deps: Deps, token: string): Promise<ResolvedSession> {
  const tokenHash = hashToken(token);
  const now = deps.now();
  const cached = sessionCache.get(tokenHash, now) ?? (await loadSession(deps, tokenHash, now));
  if (!cached) return null;
  const idleMs = deps.config.sessionIdleMinutes * 60 * 1000;
  if (now - cached.lastSeenAt > idleMs || now - cached.createdAt > ABSOLUTE_SESSION_MS) {
    sessionCache.forgetToken(tokenHash);
    await repo.deleteSession(deps.db, tokenHash);
    return { expired: true };
  }
  if (now - cached.lastSeenAt > TOUCH_INTERVAL_MS) {
    await repo.touchSession(deps.db, tokenHash, now);
    cached.lastSeenAt = now;
  }
  return { principal: cached.principal, csrfToken: cached.csrfToken };
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
  };
  sessionCache.set(tokenHash, entry);
  return entry;
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type LoginResult = { token: string; csrfToken: string; principal: Principal };

export async function login(
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

  if (!user) {
    await verifyPassword(input.password, DUMMY_HASH);
    await deny('unknown_phone');
    throw new AppError('invalid_credentials');
  }
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    await deny('locked', user.id);
    throw new AppError('account_locked', { minutes: Math.ceil((user.lockedUntil - now) / 60_000) });
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    const failedLogins = user.failedLogins + 1;
    const locks = failedLogins >= MAX_FAILED_LOGINS;
    await deps.db.transaction().execute(async (trx) => {
      await repo.recordLoginFailure(trx, user.id, {
        failedLogins: locks ? 0 : failedLogins,
        lockedUntil: locks ? now + LOCK_MINUTES * 60_000 : null,
        now,
      });
      await recordAudit(
        trx,
        { ...actor, userId: user.id },
        {
          action: 'auth.login',
          outcome: 'denied',
          targetType: 'user',
          targetId: user.id,
          details: { reason: locks ? 'wrong_password_locked' : 'wrong_password', failedLogins },
        },
        now,
      );
    });
    if (locks) throw new AppError('account_locked', { minutes: LOCK_MINUTES });
    throw new AppError('invalid_credentials');
  }
  if (user.disabled) {
    await deny('disabled', user.id);
    throw new AppError('account_disabled');
  }

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const roles = rolesOf({ assignments: await assignmentsOf(deps, user.id) }).join(',') || null;
  await deps.db.transaction().execute(async (trx) => {
    await repo.recordLoginSuccess(trx, user.id, now);
    await repo.insertSession(trx, { tokenHash: hashToken(token), userId: user.id, csrfToken, now, ...meta });
    await recordAudit(trx, { ...actor, userId: user.id, roles }, { action: 'auth.login', targetType: 'user', targetId: user.id }, now);
  });
  const resolved = await resolveSession(deps, token);
  if (!resolved || 'expired' in resolved) throw new AppError('internal_error');
  return { token, csrfToken, principal: resolved.principal };
}

export async function logout(deps: Deps, token: string, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(token));
    sessionCache.forgetToken(hashToken(token));
    await recordAudit(trx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId });
  });
}

export async function changePassword(
  deps: Deps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; keepToken: string },
  actor: Actor,
): Promise<void> {
  const stored = await repo.findPasswordHash(deps.db, principal.userId);
  if (!stored || !(await verifyPassword(input.currentPassword, stored))) throw new AppError('invalid_credentials');
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
        };
  if (cache.size > 10_000) cache.clear();
  // Unknown keys are not remembered: guessing keys must not fill the memory, and a new key works at once.
  if (principal) cache.set(`${kind}|${hash}`, { principal, until: Date.now() + API_KEY_CACHE_MS });
  return principal;
}

export async function createApiKey(
  deps: Deps,
  key: { name: string; kind: 'open311' | 'gateway'; key: string; userId: string },
): Promise<string> {
  const id = uuidv7(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await keys.insertApiKey(trx, { id, name: key.name, kind: key.kind, keyHash: hashToken(key.key), userId: key.userId }, deps.now());
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'api_key.create',
      targetType: 'user',
      targetId: key.userId,
      details: { name: key.name, kind: key.kind },
    });
  });
  return id;
}
