import type { SessionsEnded, SignedInSessions } from '@cunzhi/contracts/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

const DEVICES_KEY = ['auth', 'sessions'] as const;

/** My own signed-in devices, this one first. */
export function useDeviceSessions() {
  return useQuery({ queryKey: DEVICES_KEY, queryFn: () => api<SignedInSessions>('/api/auth/sessions') });
}

/** Signs one of my other devices out (a lost phone). */
export function useEndDeviceSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: DEVICES_KEY }),
  });
}

/** Signs every device of mine but this one out. */
export function useEndOtherSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<SessionsEnded>('/api/auth/sessions/end-others', { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: DEVICES_KEY }),
  });
}
