import type { Page } from '@cunzhi/contracts/common';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

type Params = Record<string, string | number | undefined>;

/**
 * A keyset-paged agri list: like lib/use-paged-query.ts, but keyed by what it lists (its path), so
 * that lists asked for with the same filters (a farm's history and its observations) stay apart,
 * and nothing but the filters is sent (the server refuses unknown parameters).
 */
export function usePaged<T>(key: string, path: string, params: Params, options: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: [key, path, params],
    queryFn: ({ pageParam }) => api<Page<T>>(`${path}${query({ ...params, limit: options.limit ?? 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
  });
}
