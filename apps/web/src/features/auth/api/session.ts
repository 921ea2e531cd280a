import type { LoginInput, SessionInfo } from '@cunzhi/contracts/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken } from '../../../lib/api-client.ts';

export const SESSION_KEY = ['session'] as const;

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
    mutationFn: (input: LoginInput) => api<SessionInfo>('/api/auth/login', { method: 'POST', body: input }),
    onSuccess: (session) => {
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
  const navigate = useNavigate();
  const location = useLocation();
  return () => {
    // The session goes first: the login page would otherwise send a cached session straight back.
    client.setQueryData(SESSION_KEY, null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    void navigate('/login', { replace: true, state: { from: location.pathname, sessionEnded: true } });
  };
}

export function can(session: SessionInfo | null | undefined, permission: string): boolean {
  return Boolean(session?.permissions.includes(permission));
}
