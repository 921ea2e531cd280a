// The wall screen's requests. A wall presents its screen key once (POST /api/screen/session, which
// sets the screen cookie) and from then on reads with the cookie alone; signed-in staff read the
// same endpoints with their session. A section is refetched alone when the server says it changed.

import type { CurrentSession } from '@cunzhi/contracts/auth';
import type { Screen, ScreenSection, ScreenSectionBody } from '@cunzhi/contracts/dashboard';
import type { ScreenSession } from '@cunzhi/contracts/dashboard-keys';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api } from '../../../lib/api-client.ts';

export const SCREEN_KEY = 'screen';

/** Presents the key once; the server answers with the screen's place and keeps the key in its cookie. */
export const presentScreenKey = (key: string) => api<ScreenSession>('/api/screen/session', { method: 'POST', body: { key } });

/** The screen session of the cookie, or null when there is none (or its key was revoked). */
export async function currentScreenSession(): Promise<ScreenSession | null> {
  try {
    return await api<ScreenSession>('/api/screen/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Whether a member of staff who may read screens is signed in on this browser: then every figure
 * links to the list behind it. Asked under the screen's own key, not the app's session query, whose
 * "signed out" state would put a sign-in notice over the wall.
 */
export function useStaffSignedIn(enabled: boolean): boolean {
  const answer = useQuery({
    queryKey: [SCREEN_KEY, 'staff'],
    queryFn: async () => {
      try {
        const { session } = await api<CurrentSession>('/api/auth/current');
        return Boolean(session?.permissions.includes('screen.read'));
      } catch {
        return false;
      }
    },
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return answer.data === true;
}

/** The whole screen once (first paint), then each section kept under its own key. */
export function useScreen(regionId: string, enabled: boolean) {
  return useQuery({
    queryKey: [SCREEN_KEY, regionId],
    queryFn: () => api<Screen>(`/api/screen/${regionId}`),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    // A refused key will not come right by asking again; a wall's flaky network might.
    retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 5,
    retryDelay: (attempt) => Math.min(30_000, 2_000 * 2 ** attempt),
  });
}

/**
 * Refetches one section and writes it into the screen's answer: the other five keep their objects,
 * so only the changed section renders again. Answers the refusal, if any (a revoked key).
 */
export function useRefreshSection(regionId: string) {
  const client = useQueryClient();
  return useCallback(
    async (section: ScreenSection): Promise<ApiError | undefined> => {
      try {
        const body = await api<ScreenSectionBody>(`/api/screen/${regionId}/${section}`);
        client.setQueryData<Screen>([SCREEN_KEY, regionId], (screen) =>
          screen ? { ...screen, sections: { ...screen.sections, [section]: body } } : screen,
        );
        return undefined;
      } catch (error) {
        return error instanceof ApiError ? error : undefined;
      }
    },
    [client, regionId],
  );
}
