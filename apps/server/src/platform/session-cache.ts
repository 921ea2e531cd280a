// Resolved sessions, kept for a few seconds so a burst of requests does not look the same session
// up again and again. Changes made on this node (logout, roles, disable, password) forget the
// user at once; on other nodes of a cluster they take effect within TTL_MS.
import type { Principal } from './access.ts';

export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export type CachedSession = { principal: Principal; csrfToken: string; createdAt: number; lastSeenAt: number; cachedAt: number };

const byToken = new Map<string, CachedSession>();

export const sessionCache = {
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
  forgetToken(tokenHash: string): void {
    byToken.delete(tokenHash);
  },
  forgetUser(userId: string): void {
    for (const [token, entry] of byToken) if (entry.principal.userId === userId) byToken.delete(token);
  },
};
