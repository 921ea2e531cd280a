import type { LoginChallenge, LoginInput, SessionInfo } from '@cunzhi/contracts/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { SESSION_KEY } from '../../../lib/session-ended.ts';

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
