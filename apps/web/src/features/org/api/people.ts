import type { Person, PersonInput } from '@cunzhi/contracts/org';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { newId } from '../../../lib/new-id.ts';
import { usePagedQuery } from '../../../lib/use-paged-query.ts';

export type PersonFilter = { name?: string; phone?: string; idNumber?: string; regionId?: string; householdId?: string };

export const usePeople = (filter: PersonFilter, enabled = true) => usePagedQuery<Person>('people', '/api/org/people', filter, { enabled });

export function useSavePerson(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PersonInput>) =>
      id
        ? api<Person>(`/api/org/people/${id}`, { method: 'PATCH', body: input })
        : api<Person>('/api/org/people', { method: 'POST', body: input, headers: { 'idempotency-key': newId() } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['people'] });
      void client.invalidateQueries({ queryKey: ['household'] });
    },
  });
}

export function useDeletePerson() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/org/people/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['people'] }),
  });
}

/** Not cached: every look at a full number is its own audited request. */
export const revealIdNumber = (personId: string) =>
  api<{ idNumber: string }>(`/api/org/people/${personId}/id-number`).then((r) => r.idNumber);
