import type { SessionInfo, SmsCodeLoginInput, SmsCodeRequest, SmsCodeSent } from '@cunzhi/contracts/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { SESSION_KEY } from '../../../lib/session-ended.ts';

/** Asks for a sign-in code by text; the answer is the same for every number. */
export function useSmsCode() {
  return useMutation({
    mutationFn: (input: SmsCodeRequest) => api<SmsCodeSent>('/api/auth/sms-code', { method: 'POST', body: input }),
  });
}

/** Signs in with the texted code. */
export function useSmsLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SmsCodeLoginInput) => api<SessionInfo>('/api/auth/sms-code/login', { method: 'POST', body: input }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, session);
    },
  });
}
