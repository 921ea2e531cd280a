// Cameras over the API: the list of my places' cameras, registering and changing one, its push
// key, its newest picture, and the live view (the newest picture of each camera in my places).
import type { Camera, CameraInput, CameraPatch, CameraRegistered, LiveView, Snapshot } from '@cunzhi/contracts/monitoring';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const MONITORING_KEY = 'monitoring';
/** How often the live view asks again: the server publishes no camera events to the stream. */
export const LIVE_REFRESH_MS = 15_000;

export const useCameras = (regionId?: string) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'cameras', regionId ?? 'all'],
    queryFn: () => api<{ items: Camera[]; nextCursor: string | null }>(`/api/monitoring/cameras${query({ regionId, limit: 200 })}`),
  });

export const useCamera = (id: string | undefined) =>
  useQuery({ queryKey: [MONITORING_KEY, 'camera', id], queryFn: () => api<Camera>(`/api/monitoring/cameras/${id}`), enabled: Boolean(id) });

/** The camera's newest picture, the one masks and the watch area are drawn on. */
export const useLatestSnapshot = (cameraId: string | undefined) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'latest', cameraId],
    queryFn: async () =>
      (await api<{ items: Snapshot[] }>(`/api/monitoring/cameras/${cameraId}/snapshots${query({ limit: 1 })}`)).items[0] ?? null,
    enabled: Boolean(cameraId),
  });

export const registerCamera = (input: CameraInput) => api<CameraRegistered>('/api/monitoring/cameras', { method: 'POST', body: input });

export const changeCamera = (id: string, patch: CameraPatch) =>
  api<Camera>(`/api/monitoring/cameras/${id}`, { method: 'PATCH', body: patch });

export const rotatePushKey = (id: string) => api<{ pushKey: string }>(`/api/monitoring/cameras/${id}/push-key`, { method: 'POST' });

export const useLiveView = (enabled = true) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'live'],
    queryFn: () => api<LiveView>('/api/monitoring/live'),
    refetchInterval: LIVE_REFRESH_MS,
    enabled,
  });

/** A picture's address; the session cookie goes with it (same origin), and every look is audited. */
export const snapshotImageUrl = (snapshotId: string, variant: 'full' | 'thumb' = 'thumb') =>
  `/api/monitoring/snapshots/${snapshotId}/image${query({ variant })}`;
