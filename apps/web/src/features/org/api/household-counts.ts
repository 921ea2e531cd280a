import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export function useHouseholdCounts() {
  return useQuery({
    queryKey: ['household-counts'],
    queryFn: () =>
      api<{ items: { regionId: string; regionName: string; count: number }[] }>('/api/org/household-counts').then((r) => r.items),
  });
}
