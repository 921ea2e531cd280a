import type { RoleAssignmentInput, User, UserInput } from '@cunzhi/contracts/org';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { usePagedQuery } from '../../../lib/use-paged-query.ts';

export const useUsers = (q: string) => usePagedQuery<User>('users', '/api/org/users', { q });

function useUserMutation<T>(fn: (input: T) => Promise<User>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }) });
}

export const useCreateUser = () => useUserMutation((input: UserInput) => api<User>('/api/org/users', { method: 'POST', body: input }));

export const useAssignRole = () =>
  useUserMutation(({ userId, ...input }: RoleAssignmentInput & { userId: string }) =>
    api<User>(`/api/org/users/${userId}/role-assignments`, { method: 'POST', body: input }),
  );

export const useRemoveRole = () =>
  useUserMutation(({ userId, assignmentId }: { userId: string; assignmentId: string }) =>
    api<User>(`/api/org/users/${userId}/role-assignments/${assignmentId}`, { method: 'DELETE' }),
  );

export const useUserTransition = () =>
  useUserMutation(({ userId, action }: { userId: string; action: 'disable' | 'enable' | 'unlock' }) =>
    api<User>(`/api/org/users/${userId}/transitions`, { method: 'POST', body: { action } }),
  );
