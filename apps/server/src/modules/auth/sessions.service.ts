// Sessions: the one a request carries (idle and absolute timeouts, kept in the session cache),
// long-lived responses bound to one, and logging out.
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type CachedSession, sessionCacheOf } from '../../platform/session-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { awaitRoleWriters, principalAccount } from '../org/users.service.ts';
import * as apiKeys from './api-keys.repository.ts';
import * as repo from './auth.repository.ts';
import * as totpRepo from './totp.repository.ts';

/** However active, a session ends after this long and the user logs in again. */
const ABSOLUTE_SESSION_MS = 12 * 60 * 60 * 1000;
/**
 * last_seen_at is written at most this often, so reads do not each cost a write; this node keeps
 * the exact time of the latest request in memory (session-cache.ts). A tenth of the idle timeout:
 * if consecutive requests land on different nodes, a session ends at most that much early.
 */
const touchIntervalMs = (deps: Deps) => Math.min(60_000, (deps.config.sessionIdleMinutes * 60_000) / 10);

const NOT_STAFF = new Set(['villager', 'familyMember']);

/** Whether the county's REQUIRE_STAFF_TOTP asks this account for a second factor. */
export function mustUseTotp(deps: Deps, principal: Pick<Principal, 'assignments'>): boolean {
  return deps.config.requireStaffTotp && rolesOf(principal).some((role) => !NOT_STAFF.has(role));
}

/** Whether logins of this account ask for a code. */
export async function totpEnabled(deps: Deps, userId: string): Promise<boolean> {
  return (await totpRepo.findTotp(deps.reader, userId))?.confirmed === true;
}

export type SessionStanding = {
  idleTimeoutMinutes: number;
  totpEnabled: boolean;
  totpEnrolmentRequired: boolean;
  passwordChangeRequired: boolean;
};

/**
 * What the session page says of what the session owes: a second factor (on, or owed under
 * REQUIRE_STAFF_TOTP) and a new password in place of one an administrator set.
 */
export async function sessionStanding(
  deps: Deps,
  principal: Principal,
  session: { passwordChangeOnly: boolean },
): Promise<SessionStanding> {
  const enabled = await totpEnabled(deps, principal.userId);
  return {
    idleTimeoutMinutes: deps.config.sessionIdleMinutes,
    totpEnabled: enabled,
    totpEnrolmentRequired: !enabled && mustUseTotp(deps, principal),
    passwordChangeRequired: session.passwordChangeOnly,
  };
}

export type ResolvedSession =
  | { principal: Principal; csrfToken: string; enrolOnly: boolean; passwordChangeOnly: boolean }
  | { expired: true }
  | null;

/** The session a request carries; a request counts as use, and idle time starts again. */
export async function resolveSession(deps: Deps, token: string): Promise<ResolvedSession> {
  const tokenHash = hashToken(token);
  const now = deps.now();
  const cached = sessionCacheOf(deps).get(tokenHash, now) ?? (await loadSession(deps, tokenHash, now));
  if (!cached) return null;
  if (isExpired(deps, tokenHash, cached, now)) {
    await endExpiredSession(deps, tokenHash);
    return { expired: true };
  }
  sessionCacheOf(deps).noteRequest(tokenHash, now);
  if (now - cached.lastSeenAt >= touchIntervalMs(deps)) {
    await repo.touchSession(deps.db, tokenHash, now);
    cached.lastSeenAt = now;
  }
  // Whether a second factor is owed is decided from the roles held now, not at login: a role given
  // to a signed-in villager makes a password-only session an enrol-only one at once.
  const enrolOnly = cached.enrolOnly === true && mustUseTotp(deps, cached.principal);
  return { principal: cached.principal, csrfToken: cached.csrfToken, enrolOnly, passwordChangeOnly: cached.passwordChangeOnly === true };
}

/** The roles that may sign in by a texted code and stay signed in on their own phone: a household's. */
const HOUSEHOLD_ROLES: ReadonlySet<Role> = new Set<Role>(['villager', 'familyMember']);

/** Whether these are a household's roles only (and at least one). */
export function householdOnly(roles: readonly Role[]): boolean {
  return roles.length > 0 && roles.every((role) => HOUSEHOLD_ROLES.has(role));
}

/**
 * When the session ends unless it is used again: idle since its latest request, or too old. A
 * villager's code sign-in that chose to stay signed in on their phone ends at its own time instead.
 */
function expiresAt(deps: Deps, tokenHash: string, session: StoredTimes): number {
  // Only while the account is still a household's: given a staff role, the session keeps staff
  // limits (idle and twelve hours from sign-in), so a code sign-in never becomes a 30-day staff one.
  if (session.staysUntil && householdOnly(rolesOf(session.principal))) return session.staysUntil;
  const lastRequest = Math.max(session.lastSeenAt, sessionCacheOf(deps).lastRequestAt(tokenHash) ?? 0);
  return Math.min(lastRequest + deps.config.sessionIdleMinutes * 60_000, session.createdAt + ABSOLUTE_SESSION_MS);
}

function isExpired(deps: Deps, tokenHash: string, session: StoredTimes, now: number): boolean {
  return now > expiresAt(deps, tokenHash, session);
}

/** What decides when a session ends: its account's roles and its times. */
type StoredTimes = Pick<CachedSession, 'principal' | 'createdAt' | 'lastSeenAt' | 'staysUntil'>;

/** Whether a stored session of this account is still live at `now` (the list of signed-in devices). */
export function sessionLive(deps: Deps, tokenHash: string, session: StoredTimes, now: number): boolean {
  return !isExpired(deps, tokenHash, session, now);
}

/** The latest request on the session this node remembers, or the stored last_seen_at if later. */
export function lastRequestOf(deps: Deps, tokenHash: string, storedLastSeenAt: number): number {
  return Math.max(storedLastSeenAt, sessionCacheOf(deps).lastRequestAt(tokenHash) ?? 0);
}

async function endExpiredSession(deps: Deps, tokenHash: string): Promise<void> {
  await repo.deleteSession(deps.db, tokenHash);
  sessionCacheOf(deps).forgetToken(tokenHash);
}

async function loadSession(deps: Deps, tokenHash: string, now: number): Promise<CachedSession | undefined> {
  const session = await repo.findSession(deps.db, tokenHash);
  if (!session) return undefined;
  const account = await principalAccount(deps, session.userId);
  if (!account || account.disabled) return undefined;
  const entry: CachedSession = {
    principal: {
      userId: account.id,
      displayName: account.displayName,
      phone: account.phone,
      personId: account.personId,
      householdId: account.householdId,
      assignments: account.assignments,
    },
    csrfToken: session.csrfToken,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    cachedAt: now,
    enrolOnly: session.enrolOnly,
    passwordChangeOnly: session.passwordChangeOnly,
    staysUntil: session.staysUntil,
  };
  sessionCacheOf(deps).set(tokenHash, entry);
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
 * with what it may still see). Changes made on this node arrive through sessionCacheOf(deps).onForget;
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
    if (fresh) {
      await repo.awaitSessionWriters(deps.db, tokenHash);
      await awaitRoleWriters(deps, principal.userId);
    }
    const session = (fresh ? undefined : sessionCacheOf(deps).get(tokenHash, now)) ?? (await loadSession(deps, tokenHash, now));
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
  const unlisten = sessionCacheOf(deps).onForget((change) => {
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

export async function logout(deps: Deps, token: string, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(token));
    await recordAudit(trx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId });
  });
  // After the commit: a live stream of this session checks it again at once (watchSession).
  sessionCacheOf(deps).forgetToken(hashToken(token));
}

/**
 * Every session of the account ends (org disables it, resets its password, erases its person):
 * `db` is the caller's transaction. Org reaches this through the functions app.ts hands its
 * routes (org.routes.ts AccountSessions), as auth already depends on org.
 */
export async function endSessionsOf(deps: Deps, db: Kysely<DB>, userId: string): Promise<void> {
  await repo.deleteUserSessions(db, userId);
  sessionCacheOf(deps).forgetUser(userId);
}

/** Whether an integration key, live or revoked, acts as this account (a key-only account, which never logs in). */
export function backsApiKey(db: Kysely<DB>, userId: string): Promise<boolean> {
  return apiKeys.userBacksApiKey(db, userId);
}
