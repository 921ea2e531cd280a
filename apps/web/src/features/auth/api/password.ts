import type { PasswordChangeInput } from '@cunzhi/contracts/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { SESSION_KEY } from '../../../lib/session-ended.ts';

/** Changes the signed-in account's password; its other devices are signed out. */
export function usePasswordChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PasswordChangeInput) => api<void>('/api/auth/password', { method: 'POST', body: input }),
    // The session no longer owes a new password: asked again, the layout lets every page open.
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}
