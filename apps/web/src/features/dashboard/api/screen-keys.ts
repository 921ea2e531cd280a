// The desk's screen keys: issue one for a wall screen of one's own place (the key comes back this
// once), list the live keys of one's place and the places under it, revoke one.
import type { IssuedScreenKey, ScreenKeyList } from '@cunzhi/contracts/dashboard-keys';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const SCREEN_KEYS_KEY = 'screen-keys';

export function useScreenKeys(regionId: string | undefined) {
  return useQuery({
    queryKey: [SCREEN_KEYS_KEY, regionId ?? 'mine'],
    queryFn: () => api<ScreenKeyList>(`/api/screen/keys${query({ regionId })}`),
  });
}

/** One Idempotency-Key per screen being issued: a retried request never makes a second key. */
export const issueScreenKey = (regionId: string, name: string, idempotencyKey: string) =>
  api<IssuedScreenKey>('/api/screen/keys', { method: 'POST', body: { regionId, name }, idempotencyKey });

export const revokeScreenKey = (id: string) => api<void>(`/api/screen/keys/${id}`, { method: 'DELETE' });

/** The address a wall opens once: the key rides in the fragment, which never reaches the server. */
export const wallAddress = (regionId: string, key: string) => `${window.location.origin}/screen/${regionId}#key=${encodeURIComponent(key)}`;
