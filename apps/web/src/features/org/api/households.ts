import type { Household, HouseholdInput } from '@cunzhi/contracts/org';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { newId } from '../../../lib/new-id.ts';
import { usePagedQuery } from '../../../lib/use-paged-query.ts';

export type HouseholdFilter = { q?: string; regionId?: string };

export const useHouseholds = (filter: HouseholdFilter) => usePagedQuery<Household>('households', '/api/org/households', filter);

export function useHousehold(id: string | undefined) {
  return useQuery({
    queryKey: ['household', id],
    queryFn: () => api<Household>(`/api/org/households/${id}`),
    enabled: Boolean(id),
    retry: false,
  });
}

export function useSaveHousehold(id?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<HouseholdInput>) =>
      id
        ? api<Household>(`/api/org/households/${id}`, { method: 'PATCH', body: input })
        : api<Household>('/api/org/households', { method: 'POST', body: input, headers: { 'idempotency-key': newId() } }),
    onSuccess: (household) => {
      client.setQueryData(['household', household.id], household);
      void client.invalidateQueries({ queryKey: ['households'] });
    },
  });
}

export function useDeleteHousehold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/org/households/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['households'] }),
  });
}
