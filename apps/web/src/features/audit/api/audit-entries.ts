import type { AuditEntry } from '@cunzhi/contracts/audit';
import type { Page } from '@cunzhi/contracts/common';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export type AuditFilter = { action?: string; targetId?: string; actorUserId?: string; from?: string; to?: string };

export function useAuditEntries(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => api<Page<AuditEntry>>(`/api/audit/entries${query({ ...filter, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
