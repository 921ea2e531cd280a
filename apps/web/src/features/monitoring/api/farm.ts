// Farm cameras over the API: a household's plots and flocks watched by a camera, and the
// time-lapse of one (one picture a day, newest day first).
import type { FarmSubject, FarmSubjectInput, FarmSubjectList, TimeLapsePage } from '@cunzhi/contracts/monitoring-findings';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';
import { MONITORING_KEY } from './cameras.ts';

export const useFarmSubjects = (householdId: string | undefined) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'farm-subjects', householdId],
    queryFn: () => api<FarmSubjectList>(`/api/monitoring/farm-subjects${query({ householdId })}`),
    enabled: Boolean(householdId),
  });

export const useTimeLapse = (cameraId: string | undefined) =>
  useInfiniteQuery({
    queryKey: [MONITORING_KEY, 'time-lapse', cameraId],
    queryFn: ({ pageParam }) =>
      api<TimeLapsePage>(`/api/monitoring/cameras/${cameraId}/time-lapse${query({ limit: 30, cursor: pageParam || undefined })}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(cameraId),
  });

export const timeLapseImageUrl = (cameraId: string, snapshotId: string, variant: 'full' | 'thumb' = 'full') =>
  `/api/monitoring/cameras/${cameraId}/time-lapse/snapshots/${snapshotId}/image${query({ variant })}`;

/** A cadre attaches a farm camera to a household's plot or flock (replacing what it watched). */
export const setFarmSubject = (cameraId: string, input: FarmSubjectInput) =>
  api<FarmSubject>(`/api/monitoring/cameras/${cameraId}/farm-subject`, { method: 'PUT', body: input });
