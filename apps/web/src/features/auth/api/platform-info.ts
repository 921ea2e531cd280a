import type { PlatformInfo } from '@cunzhi/contracts/platform';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** Whether the server runs the demo county: only then does the login page speak of demo passwords. */
export function usePlatformInfo() {
  return useQuery({
    queryKey: ['platform-info'],
    queryFn: () => api<PlatformInfo>('/api/platform-info'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
