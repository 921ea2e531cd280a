// Households as other features read them: a villager's own (for the village it sits in), a
// keeper's list to pick from. Writing them is the org feature's business.
import type { Household } from '@cunzhi/contracts/org';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './api-client.ts';
import { FIRST_READS_FRESH_MS } from './session.ts';
import { usePagedQuery } from './use-paged-query.ts';

/** The query keys the org pages refresh after a write. */
export const HOUSEHOLDS_KEY = 'households';
export const HOUSEHOLD_KEY = 'household';

export type HouseholdFilter = { q?: string; regionId?: string };

export const useHouseholds = (filter: HouseholdFilter) => usePagedQuery<Household>(HOUSEHOLDS_KEY, '/api/org/households', filter);

/** One household; a phone page's first reads ask for the villager's own at start (lib/session.ts whenSignedIn). */
export const householdQuery = (id: string | undefined) =>
  queryOptions({
    queryKey: [HOUSEHOLD_KEY, id],
    queryFn: () => api<Household>(`/api/org/households/${id}`),
    enabled: Boolean(id),
    retry: false,
    staleTime: FIRST_READS_FRESH_MS,
  });

export function useHousehold(id: string | undefined) {
  return useQuery(householdQuery(id));
}
