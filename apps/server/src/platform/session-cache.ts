// Resolved sessions, kept for a few seconds so a burst of requests does not look the same session
// up again and again. Changes made on this node (logout, roles, disable, password) forget the
// user at once; on other nodes of a cluster they take effect within TTL_MS. Held in the app's Deps
// (processCache), so two apps in one process (tests) never share it.
//
// Beside it, the time of each session's latest request on this node, exactly: the database's
// last_seen_at is written only now and then (see auth.service.ts), and the idle timeout must count
// from the last request, not from the last write.
import type { Principal } from './access.ts';
import type { Deps } from './deps.ts';
import { processCache } from './process-cache.ts';

export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** lastSeenAt is the database's value (what was last written), not necessarily the latest request. */
export type CachedSession = {
  principal: Principal;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  cachedAt: number;
  /** The session may only enrol a second factor (see auth.plugin.ts). */
  enrolOnly?: boolean;
  /** The session may only change the password an administrator set (see auth.plugin.ts). */
  passwordChangeOnly?: boolean;
  /** A code sign-in that stays signed in: the session lasts until then, however idle (auth's sessions.service.ts). */
  staysUntil?: number | null;
};

/** What was forgotten: one session (logout, expiry) or everything of one user (roles, disable, password). */
export type SessionChange = { tokenHash: string; userId?: undefined } | { userId: string; tokenHash?: undefined };

/** The session cache of these deps. */
export const sessionCacheOf = (deps: Deps): SessionCache => processCache(deps, 'auth.sessions', createSessionCache);

export type SessionCache = ReturnType<typeof createSessionCache>;

function createSessionCache() {
  const byToken = new Map<string, CachedSession>();
  const lastRequestByToken = new Map<string, number>();
  const listeners = new Set<(change: SessionChange) => void>();
  const notify = (change: SessionChange): void => {
    for (const listener of listeners) listener(change);
  };
  return {
    get(tokenHash: string, now: number): CachedSession | undefined {
      const entry = byToken.get(tokenHash);
      if (!entry) return undefined;
      if (now - entry.cachedAt > SESSION_CACHE_TTL_MS || now < entry.cachedAt) {
        byToken.delete(tokenHash);
        return undefined;
      }
      return entry;
    },
    set(tokenHash: string, entry: CachedSession): void {
      if (byToken.size >= MAX_ENTRIES) byToken.delete(byToken.keys().next().value as string);
      byToken.set(tokenHash, entry);
    },
    /** A request used the session at `now`. */
    noteRequest(tokenHash: string, now: number): void {
      // Most recent last, so the first key is the one to drop when full.
      lastRequestByToken.delete(tokenHash);
      if (lastRequestByToken.size >= MAX_ENTRIES) lastRequestByToken.delete(lastRequestByToken.keys().next().value as string);
      lastRequestByToken.set(tokenHash, now);
    },
    /** The latest request this node saw on the session, if it remembers one. */
    lastRequestAt(tokenHash: string): number | undefined {
      return lastRequestByToken.get(tokenHash);
    },
    forgetToken(tokenHash: string): void {
      byToken.delete(tokenHash);
      lastRequestByToken.delete(tokenHash);
      notify({ tokenHash });
    },
    forgetUser(userId: string): void {
      for (const [token, entry] of byToken) if (entry.principal.userId === userId) byToken.delete(token);
      notify({ userId });
    },
    /**
     * Called on every forget, synchronously and often inside the transaction that made the change:
     * a listener that reads the database must wait for that transaction (auth.service.ts watchSession).
     */
    onForget(listener: (change: SessionChange) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
