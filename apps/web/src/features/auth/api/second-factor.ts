import type { LoginChallenge, RecoveryCodes, SecondFactorInput, SessionInfo, TotpEnrolment } from '@cunzhi/contracts/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { SESSION_KEY } from '../../../lib/session-ended.ts';

/** What a login answers: a session, or the request for the authenticator code. */
export type LoginAnswer = SessionInfo | LoginChallenge;

export const isChallenge = (answer: LoginAnswer | undefined): answer is LoginChallenge => answer !== undefined && 'secondFactor' in answer;

export function useSecondFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SecondFactorInput) => api<SessionInfo>('/api/auth/login/second-factor', { method: 'POST', body: input }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useTotpEnrolment() {
  return useMutation({ mutationFn: () => api<TotpEnrolment>('/api/auth/totp/enrolment', { method: 'POST' }) });
}

export function useTotpConfirm() {
  return useMutation({
    mutationFn: (code: string) => api<RecoveryCodes>('/api/auth/totp/confirm', { method: 'POST', body: { code } }),
  });
}
