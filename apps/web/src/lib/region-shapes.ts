// The outlines the maps draw, bundled with the installation (org's region shapes).
import type { RegionShapes } from '@cunzhi/contracts/region-shapes';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, query } from './api-client.ts';

export function useRegionShapes(regionId: string | undefined) {
  return useQuery({
    queryKey: ['region-shapes', regionId],
    queryFn: () => api<RegionShapes>(`/api/org/region-shapes${query({ regionId })}`),
    enabled: Boolean(regionId),
    // Outlines change when a county imports new ones, not while a page is open.
    staleTime: 60 * 60_000,
  });
}

/** The names of these regions, by id (from their shapes' answers, kept an hour). */
export function useRegionNames(ids: readonly string[]): Map<string, string> {
  const answers = useQueries({
    queries: [...new Set(ids)].map((regionId) => ({
      queryKey: ['region-shapes', regionId],
      queryFn: () => api<RegionShapes>(`/api/org/region-shapes${query({ regionId })}`),
      staleTime: 60 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  for (const answer of answers) if (answer.data) names.set(answer.data.region.id, answer.data.region.name);
  return names;
}
