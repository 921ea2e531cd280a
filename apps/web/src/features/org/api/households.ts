import type { Household, HouseholdInput } from '@cunzhi/contracts/org';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { HOUSEHOLD_KEY, HOUSEHOLDS_KEY } from '../../../lib/households.ts';
import { newId } from '../../../lib/new-id.ts';

export function useSaveHousehold(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<HouseholdInput>) =>
      id
        ? api<Household>(`/api/org/households/${id}`, { method: 'PATCH', body: input })
        : api<Household>('/api/org/households', { method: 'POST', body: input, idempotencyKey: newId() }),
    onSuccess: (household) => {
      client.setQueryData([HOUSEHOLD_KEY, household.id], household);
      void client.invalidateQueries({ queryKey: [HOUSEHOLDS_KEY] });
    },
  });
}

export function useDeleteHousehold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/org/households/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [HOUSEHOLDS_KEY] }),
  });
}
