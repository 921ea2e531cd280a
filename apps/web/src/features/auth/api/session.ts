import type { LoginChallenge, LoginInput, SessionInfo } from '@cunzhi/contracts/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../../lib/api-client.ts';

export const SESSION_KEY = ['session'] as const;
const SESSION_ENDED_FLAG = 'cunzhi.sessionEnded';

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const session = await api<SessionInfo>('/api/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api<SessionInfo | LoginChallenge>('/api/auth/login', { method: 'POST', body: input }),
    onSuccess: (session) => {
      // An account with an authenticator app answers with a challenge: the code comes next.
      if ('secondFactor' in session) return;
      setCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
}

/**
 * The session ended behind the page's back (logout in another tab, idle timeout, a disabled
 * account): forget what was loaded and go to the login page, which says why.
 */
export function useSessionEnded(): () => void {
  const client = useQueryClient();
  return () => {
    // Kept outside the router's state: the layout's own redirect to login (no session) may win the race.
    sessionStorage.setItem(SESSION_ENDED_FLAG, '1');
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    // With no session the layout sends the person to the login page, which says why.
    client.setQueryData(SESSION_KEY, null);
  };
}

/** Read once by the login page: whether it was reached because the session ended. */
export function takeSessionEnded(): boolean {
  const ended = sessionStorage.getItem(SESSION_ENDED_FLAG) === '1';
  sessionStorage.removeItem(SESSION_ENDED_FLAG);
  return ended;
}

export function can(session: SessionInfo | null | undefined, permission: string): boolean {
  return Boolean(session?.permissions.includes(permission));
}
