import type { Person, PersonInput } from '@cunzhi/contracts/org';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { HOUSEHOLD_KEY } from '../../../lib/households.ts';
import { newId } from '../../../lib/new-id.ts';
import { PEOPLE_KEY } from '../../../lib/people.ts';

export function useSavePerson(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PersonInput>) =>
      id
        ? api<Person>(`/api/org/people/${id}`, { method: 'PATCH', body: input })
        : api<Person>('/api/org/people', { method: 'POST', body: input, idempotencyKey: newId() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: [PEOPLE_KEY] });
      void client.invalidateQueries({ queryKey: [HOUSEHOLD_KEY] });
    },
  });
}

export function useDeletePerson() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/org/people/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [PEOPLE_KEY] }),
  });
}

/** Not cached: every look at a full number is its own audited request. */
export const revealIdNumber = (personId: string) =>
  api<{ idNumber: string }>(`/api/org/people/${personId}/id-number`).then((r) => r.idNumber);
