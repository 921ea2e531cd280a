// A person's own signed-in devices: the list, ending one (a lost phone), ending all but this one.
// Only the person's own sessions are ever read or named; another's handle is simply not found.
import { createHash } from 'node:crypto';
import type { SignInMethod } from '@cunzhi/contracts/auth';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { sessionCacheOf } from '../../platform/session-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { deviceOf } from './device-label.ts';
import * as repo from './device-sessions.repository.ts';
import { lastRequestOf, sessionLive } from './sessions.service.ts';

export type DeviceSession = {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  signIn: SignInMethod;
  system: ReturnType<typeof deviceOf>['system'];
  browser: ReturnType<typeof deviceOf>['browser'];
  staysUntil: number | null;
  current: boolean;
};

/**
 * The handle a session is shown by: derived from its token's hash, one way, so it names the session
 * without being anything that could sign in or be matched against the stored hash.
 */
export function sessionHandle(tokenHash: string): string {
  return createHash('sha256').update(`cunzhi-session-handle:${tokenHash}`).digest('base64url').slice(0, 22);
}

const METHODS: ReadonlySet<string> = new Set<SignInMethod>(['password', 'password_totp', 'sms_code']);

function present(deps: Deps, session: repo.StoredSession, currentHash: string): DeviceSession {
  const device = deviceOf(session.userAgent);
  return {
    id: sessionHandle(session.tokenHash),
    createdAt: session.createdAt,
    lastSeenAt: lastRequestOf(deps, session.tokenHash, session.lastSeenAt),
    signIn: session.signIn && METHODS.has(session.signIn) ? (session.signIn as SignInMethod) : 'unknown',
    system: device.system,
    browser: device.browser,
    staysUntil: session.staysUntil,
    current: session.tokenHash === currentHash,
  };
}

/** The account's live sessions, this one first, then the latest used first. */
async function liveSessions(deps: Deps, principal: Principal): Promise<repo.StoredSession[]> {
  const now = deps.now();
  const stored = await repo.sessionsOfUser(deps.db, principal.userId);
  return stored.filter((s) => sessionLive(deps, s.tokenHash, { ...s, principal }, now));
}

export async function listDeviceSessions(deps: Deps, principal: Principal, currentToken: string): Promise<DeviceSession[]> {
  const currentHash = hashToken(currentToken);
  const sessions = (await liveSessions(deps, principal)).map((s) => present(deps, s, currentHash));
  return sessions.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
}

/**
 * Ends one of the person's own live sessions, found by its handle; an unknown handle, an ended
 * session and anyone else's are all 404 alike. Answers whether it was the session asking (the
 * route then clears its cookie, as a logout does).
 */
export async function endDeviceSession(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { currentToken: string; id: string },
): Promise<{ wasCurrent: boolean }> {
  const currentHash = hashToken(input.currentToken);
  const target = (await liveSessions(deps, principal)).find((s) => sessionHandle(s.tokenHash) === input.id);
  if (!target) throw notFound('session');
  const shown = present(deps, target, currentHash);
  const ended = await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.deleteSessionOfUser(trx, principal.userId, target.tokenHash))) return false;
    await recordAudit(trx, actor, {
      action: 'auth.session_end',
      targetType: 'user',
      targetId: principal.userId,
      details: { signIn: shown.signIn, system: shown.system, browser: shown.browser, current: shown.current },
    });
    return true;
  });
  // Ended meanwhile (logged out, expired): not there to end.
  if (!ended) throw notFound('session');
  // After the commit: its next request is refused, and a live stream of it ends (watchSession).
  sessionCacheOf(deps).forgetToken(target.tokenHash);
  return { wasCurrent: shown.current };
}

/** Ends every session of the person but the one asking; answers how many ended. */
export async function endOtherDeviceSessions(deps: Deps, principal: Principal, actor: Actor, currentToken: string): Promise<number> {
  const currentHash = hashToken(currentToken);
  const others = (await repo.sessionsOfUser(deps.db, principal.userId)).filter((s) => s.tokenHash !== currentHash);
  const ended = await deps.db.transaction().execute(async (trx) => {
    const count = await repo.deleteOtherSessionsOfUser(trx, principal.userId, currentHash);
    await recordAudit(trx, actor, {
      action: 'auth.sessions_end_others',
      targetType: 'user',
      targetId: principal.userId,
      details: { ended: count },
    });
    return count;
  });
  const cache = sessionCacheOf(deps);
  for (const session of others) cache.forgetToken(session.tokenHash);
  // Any opened meanwhile (not in the list read above) went too: forget the rest by account.
  cache.forgetUser(principal.userId);
  return ended;
}
