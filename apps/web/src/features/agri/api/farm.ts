// A household's farm over the API: its plots and flocks (kept by the household on its phone or by
// the extension worker), their history, observations, the advice it was sent, and the pictures.
import type { PhotoRef } from '@cunzhi/contracts/agri';
import type { FarmAdviceList } from '@cunzhi/contracts/agri-advice';
import type {
  Farm,
  FarmChange,
  FarmObservation,
  FarmSummary,
  Flock,
  FlockInput,
  FlockPatch,
  Observation,
  Plot,
  PlotInput,
  PlotPatch,
} from '@cunzhi/contracts/agri-farms';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, query } from '../../../lib/api-client.ts';
import { usePaged } from './paged.ts';

export const AGRI_KEY = 'agri';

/** The farm of a household; one that has recorded nothing yet is an empty farm, not an error. */
export function useFarm(householdId: string | undefined) {
  return useQuery({
    queryKey: [AGRI_KEY, 'farm', householdId],
    queryFn: async () => {
      try {
        return await api<Farm>(`/api/agri/farms/${householdId}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled: Boolean(householdId),
    retry: false,
  });
}

export const useFarmHistory = (householdId: string | undefined, enabled = true) =>
  usePaged<FarmChange>(AGRI_KEY, `/api/agri/farms/${householdId}/history`, {}, { enabled: enabled && Boolean(householdId) });

export const useObservations = (householdId: string | undefined) =>
  usePaged<Observation>(AGRI_KEY, `/api/agri/farms/${householdId}/observations`, {}, { enabled: Boolean(householdId) });

/** The observations of every farm in the caller's places (the extension worker's township), filtered. */
export const useFieldRecords = (filter: { regionId?: string; kind?: string; pest?: string; from?: string; to?: string }) =>
  usePaged<FarmObservation>(AGRI_KEY, '/api/agri/observations', filter);

export function useFarmAdvice(householdId: string | undefined) {
  return useQuery({
    queryKey: [AGRI_KEY, 'advice', householdId],
    queryFn: () => api<FarmAdviceList>(`/api/agri/farms/${householdId}/advice`),
    enabled: Boolean(householdId),
  });
}

/** The desk's list of farms in a place, found by the head's name or the household number. */
export const useFarms = (filter: { regionId?: string; q?: string }) => usePaged<FarmSummary>(AGRI_KEY, '/api/agri/farms', filter);

export const farmApi = {
  addPlot: (householdId: string, input: PlotInput) => api<Plot>(`/api/agri/farms/${householdId}/plots`, { method: 'POST', body: input }),
  changePlot: (id: string, patch: PlotPatch) => api<Plot>(`/api/agri/plots/${id}`, { method: 'PATCH', body: patch }),
  retirePlot: (id: string) => api<void>(`/api/agri/plots/${id}`, { method: 'DELETE' }),
  addFlock: (householdId: string, input: FlockInput) =>
    api<Flock>(`/api/agri/farms/${householdId}/flocks`, { method: 'POST', body: input }),
  changeFlock: (id: string, patch: FlockPatch) => api<Flock>(`/api/agri/flocks/${id}`, { method: 'PATCH', body: patch }),
  retireFlock: (id: string) => api<void>(`/api/agri/flocks/${id}`, { method: 'DELETE' }),
  /** A photo (already shrunk) uploaded at once, from the desk; the phone queues it (agri-commands.ts). */
  uploadPhoto: (photo: Blob) => api<PhotoRef>('/api/agri/photos', { method: 'POST', file: photo }),
};

export const photoUrl = (id: string, variant: 'full' | 'thumb' = 'thumb') => `/api/agri/photos/${id}${query({ variant })}`;
export const cameraImageUrl = (observationId: string, variant: 'full' | 'thumb' = 'thumb') =>
  `/api/agri/observations/${observationId}/camera-image${query({ variant })}`;
