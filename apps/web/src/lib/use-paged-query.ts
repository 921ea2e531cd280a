import type { Page } from '@cunzhi/contracts/common';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, query } from './api-client.ts';

type Params = Record<string, string | number | undefined>;

/** A keyset-paged list endpoint as an infinite query: each page asks for the next cursor. */
export function usePagedQuery<T>(key: string, path: string, params: Params, options: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: [key, params],
    queryFn: ({ pageParam }) => api<Page<T>>(`${path}${query({ ...params, limit: options.limit ?? 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
  });
}
