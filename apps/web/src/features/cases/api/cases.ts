import type {
  Case,
  CaseCategory,
  CaseEventList,
  CaseInput,
  CasePhoto,
  CaseSummary,
  DuplicateList,
  ModerationInput,
  ModerationSuggestion,
  PHOTO_STAGES,
  Statistics,
  TransitionInput,
} from '@cunzhi/contracts/cases';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, query } from '../../../lib/api-client.ts';
import { defineCommands } from '../../../lib/outbox.ts';
import { usePagedQuery } from '../../../lib/use-paged-query.ts';

export const CASES_KEY = 'cases';

export function useCategories() {
  return useQuery({
    queryKey: [CASES_KEY, 'categories'],
    queryFn: () => api<{ items: CaseCategory[] }>('/api/cases/categories'),
    staleTime: 10 * 60_000,
  });
}

/** The desk's filters; the server checks and bounds them (words ≤ 40 characters, dates in order). */
export type QueueFilters = { state?: string; q?: string; categoryId?: string; regionId?: string; from?: string; to?: string };

/** A queue or list of cases as summaries (what a row shows); the whole case is useCase. */
export function useQueue(view: 'mine' | 'region' | 'reported', filters: QueueFilters = {}, options: { enabled?: boolean } = {}) {
  return usePagedQuery<CaseSummary>(CASES_KEY, '/api/cases', { view, ...filters }, options);
}

export function useCase(id: string) {
  return useQuery({ queryKey: [CASES_KEY, 'one', id], queryFn: () => api<Case>(`/api/cases/${id}`) });
}

export function useCaseEvents(id: string) {
  return useQuery({ queryKey: [CASES_KEY, 'events', id], queryFn: () => api<Static<typeof CaseEventList>>(`/api/cases/${id}/events`) });
}

export function useCasePhotos(id: string) {
  return useQuery({ queryKey: [CASES_KEY, 'photos', id], queryFn: () => api<{ items: CasePhoto[] }>(`/api/cases/${id}/photos`) });
}

export function useCreateCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CaseInput) => api<Case>('/api/cases', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: [CASES_KEY] }),
  });
}

export function useTransition(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TransitionInput) => api<Case>(`/api/cases/${id}/transitions`, { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: [CASES_KEY] }),
  });
}

export function useModerationSuggestion(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [CASES_KEY, 'moderation', id],
    queryFn: () => api<Static<typeof ModerationSuggestion>>(`/api/cases/${id}/moderation`),
    enabled,
  });
}

export function useModerate(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ModerationInput) => api<Case>(`/api/cases/${id}/moderation`, { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: [CASES_KEY] }),
  });
}

export function usePendingModeration(enabled: boolean) {
  return useQuery({
    queryKey: [CASES_KEY, 'moderation', 'pending'],
    queryFn: () => api<{ items: Case[] }>('/api/cases/moderation/pending'),
    enabled,
  });
}

export type StatisticsParams = { from: string; to: string; regionId?: string; source?: string };

export function statisticsPath(params: StatisticsParams, format?: 'csv' | 'xlsx'): string {
  return `/api/cases/statistics${format ? '/export' : ''}${query({ ...params, format })}`;
}

export function useStatistics(params: StatisticsParams) {
  return useQuery({ queryKey: [CASES_KEY, 'statistics', params], queryFn: () => api<Statistics>(statisticsPath(params)) });
}

export function useDuplicates(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [CASES_KEY, 'duplicates', id],
    queryFn: () => api<Static<typeof DuplicateList>>(`/api/cases/${id}/duplicates`),
    enabled,
    retry: false,
  });
}

type PhotoStage = (typeof PHOTO_STAGES)[number];

/** What a phone does to a case goes through the outbox: sent now, or once the network is back. */
export const caseCommands = defineCommands<{
  'cases.report': CaseInput;
  'cases.transition': { caseId: string; input: TransitionInput };
  'cases.addPhoto': { caseId: string; stage: PhotoStage; photo: Blob };
}>({
  'cases.report': (body) => ({ path: '/api/cases', json: body }),
  'cases.transition': ({ caseId, input }) => ({ path: `/api/cases/${caseId}/transitions`, json: input }),
  'cases.addPhoto': ({ caseId, stage, photo }) => ({ path: `/api/cases/${caseId}/photos${query({ stage })}`, file: photo }),
});

/** A report minted with its id on the phone, so that its photos can follow it before it is sent. */
export const reportCase = (body: CaseInput & { id: string }, label: string) =>
  caseCommands.queue('cases.report', body, { label, subjectId: body.id, action: 'create' });

/** `key`: the step's Idempotency-Key when a page keeps one across taps (a check-in); otherwise one per call. */
export const transitionCase = (caseId: string, input: TransitionInput, label: string, key?: string) =>
  caseCommands.queue('cases.transition', { caseId, input }, { label, subjectId: caseId, action: input.action }, key);

export const addCasePhoto = (caseId: string, stage: PhotoStage, photo: Blob, label: string) =>
  caseCommands.queue('cases.addPhoto', { caseId, stage, photo }, { label, subjectId: caseId });
