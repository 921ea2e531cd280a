import type { PlatformInfo } from '@cunzhi/contracts/platform';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

const PLATFORM_INFO_QUERY = {
  queryKey: ['platform-info'],
  queryFn: () => api<PlatformInfo>('/api/platform-info'),
  staleTime: Number.POSITIVE_INFINITY,
} as const;

/** Whether the server runs the demo county: only then does the login page speak of demo passwords. */
export function usePlatformInfo() {
  return useQuery(PLATFORM_INFO_QUERY);
}

/**
 * Asked before the login page's chunk has arrived (router.tsx): the demo banner then draws with the
 * page's first render instead of pushing the form down a moment later.
 */
export function prefetchPlatformInfo(client: QueryClient): void {
  void client.prefetchQuery(PLATFORM_INFO_QUERY);
}
