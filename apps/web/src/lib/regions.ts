// The region tree and its grids, read by every page that picks or shows a place.
import type { Grid, Region } from '@cunzhi/contracts/org';
import { useQuery } from '@tanstack/react-query';
import { api, query } from './api-client.ts';

export const fetchRegionChildren = (parentId?: string) =>
  api<{ items: Region[] }>(`/api/org/regions${query({ parentId })}`).then((r) => r.items);

export function useRegionChildren(parentId?: string) {
  return useQuery({ queryKey: ['regions', parentId ?? 'root'], queryFn: () => fetchRegionChildren(parentId) });
}

export function useGrids(villageId: string | undefined) {
  return useQuery({
    queryKey: ['grids', villageId],
    queryFn: () => api<{ items: Grid[] }>(`/api/org/grids${query({ villageId })}`).then((r) => r.items),
    enabled: Boolean(villageId),
  });
}
