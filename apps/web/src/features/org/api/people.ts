import type { Page } from '@cunzhi/contracts/common';
import type { Person, PersonInput } from '@cunzhi/contracts/org';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export type PersonFilter = { name?: string; phone?: string; idNumber?: string; regionId?: string; householdId?: string };

export function usePeople(filter: PersonFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['people', filter],
    queryFn: ({ pageParam }) => api<Page<Person>>(`/api/org/people${query({ ...filter, limit: 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useSavePerson(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PersonInput>) =>
      id
        ? api<Person>(`/api/org/people/${id}`, { method: 'PATCH', body: input })
        : api<Person>('/api/org/people', { method: 'POST', body: input, headers: { 'idempotency-key': crypto.randomUUID() } }),
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
