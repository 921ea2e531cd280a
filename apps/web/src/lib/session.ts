// Who is signed in, shared by the layout and every feature: the session query, what it permits, logout.
import type { CurrentSession, SessionInfo } from '@cunzhi/contracts/auth';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, markCsrfTokenUnknown, setCsrfToken } from './api-client.ts';
import { clearOfflineData } from './offline-data.ts';
import { SESSION_KEY } from './session-ended.ts';

// /current answers null rather than 401 when nobody is signed in: the browser would log the 401 as
// an error on every login page.
async function fetchSession(): Promise<SessionInfo | null> {
  const { session } = await api<CurrentSession>('/api/auth/current');
  // The copy the service worker kept for offline use holds no token: the first write asks for it.
  if (session?.csrfToken) setCsrfToken(session.csrfToken);
  else if (session) markCsrfTokenUnknown();
  return session;
}

const SESSION_QUERY = { queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false } as const;

export function useSession() {
  return useQuery(SESSION_QUERY);
}

/** Asks who is signed in before the first render (main.tsx), beside the page's own download. */
export function prefetchSession(client: QueryClient): void {
  void client.prefetchQuery(SESSION_QUERY);
}

/**
 * How long a page's first reads, asked for at start (`whenSignedIn`), count as fresh: the page that
 * draws them a moment later does not ask the same again.
 */
export const FIRST_READS_FRESH_MS = 30_000;

/**
 * Starts a page's first reads as soon as the session (asked for at start) says someone is signed
 * in: a route's `prefetch` in app/router.tsx. They then travel beside the page's chunk, instead of
 * after the layout and the page have been downloaded and drawn. Nobody signed in: nothing is asked
 * (the layout sends the person to the login page).
 */
export function whenSignedIn(client: QueryClient, read: (session: SessionInfo) => unknown): void {
  void client.fetchQuery(SESSION_QUERY).then(
    // A failed read is the page's to show, when it asks for the same.
    (session) => (session ? Promise.resolve(read(session)).catch(() => undefined) : undefined),
    () => undefined,
  );
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      // What the service worker kept for offline use is this person's: it goes with the session.
      void clearOfflineData();
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
}

export function can(session: SessionInfo | null | undefined, permission: string): boolean {
  return Boolean(session?.permissions.includes(permission));
}
