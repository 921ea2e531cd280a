// Poverty monitoring over the API: the desk's list and household file, the procedure's steps and
// evidence, help measures and visits, the figures and settings, the grid worker's tasks and the
// household's own report.

import type {
  EconomicsHistory,
  EconomicsInput,
  MonitoredStatus,
  PovertyCategory,
  PovertySettings,
  ProcedureStep,
  SettingsInput,
} from '@cunzhi/contracts/poverty';
import type {
  MeasureInput,
  Monitored,
  MonitoredDetail,
  OwnSelfReport,
  PovertyFigures,
  SelfReport,
  SelfReportInput,
  StepInput,
  TaskList,
  VisitInput,
} from '@cunzhi/contracts/poverty-monitored';
import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, query } from '../../../lib/api-client.ts';
import { defineCommands } from '../../../lib/outbox.ts';

export const POVERTY_KEY = 'poverty';

export type MonitoredItem = Static<typeof Monitored>;
export type MonitoredFile = Static<typeof MonitoredDetail>;
export type Economics = Static<typeof EconomicsHistory>;
export type Tasks = Static<typeof TaskList>;

export const useMonitored = (filter: { status?: MonitoredStatus; followed?: boolean; category?: PovertyCategory; step?: ProcedureStep }) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'monitored', filter],
    queryFn: () =>
      api<{ items: MonitoredItem[]; nextCursor: string | null }>(
        `/api/poverty/monitored${query({ ...filter, followed: filter.followed ? 'true' : undefined, limit: 100 })}`,
      ),
  });

export const useMonitoredFile = (id: string | undefined) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'file', id],
    enabled: Boolean(id),
    queryFn: () => api<MonitoredFile>(`/api/poverty/monitored/${id}`),
  });

export const useEconomics = (householdId: string | undefined) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'economics', householdId],
    enabled: Boolean(householdId),
    queryFn: () => api<Economics>(`/api/poverty/households/${householdId}/economics`),
  });

export const useTasks = (enabled = true) =>
  useQuery({ queryKey: [POVERTY_KEY, 'tasks'], enabled, queryFn: () => api<Tasks>('/api/poverty/tasks') });

export const useFigures = (regionId?: string) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'figures', regionId ?? ''],
    queryFn: () => api<Static<typeof PovertyFigures>>(`/api/poverty/figures${query({ regionId })}`),
  });

export const figuresXlsxHref = (regionId?: string) => `/api/poverty/figures.xlsx${query({ regionId })}`;
export const evidenceHref = (id: string, evidenceId: string) => `/api/poverty/monitored/${id}/evidence/${evidenceId}`;

export const useSettings = () =>
  useQuery({ queryKey: [POVERTY_KEY, 'settings'], queryFn: () => api<Static<typeof PovertySettings>>('/api/poverty/settings') });

export const saveSettings = (input: Static<typeof SettingsInput>) =>
  api<Static<typeof PovertySettings>>('/api/poverty/settings', { method: 'PUT', body: input });

export const recordEconomics = (householdId: string, input: Static<typeof EconomicsInput>) =>
  api<{ reasons: string[]; flagged: MonitoredItem | null }>(`/api/poverty/households/${householdId}/economics`, {
    method: 'POST',
    body: input,
  });

export const takeStep = (id: string, input: Static<typeof StepInput>) =>
  api<MonitoredItem>(`/api/poverty/monitored/${id}/steps`, { method: 'POST', body: input });

export const startRemoval = (id: string, version: number, note?: string) =>
  api<MonitoredItem>(`/api/poverty/monitored/${id}/removal`, { method: 'POST', body: { version, ...(note && { note }) } });

export const uploadEvidence = (id: string, file: Blob) =>
  api<{ id: string }>(`/api/poverty/monitored/${id}/evidence`, { method: 'POST', file });

export const addMeasure = (id: string, input: Static<typeof MeasureInput>) =>
  api(`/api/poverty/monitored/${id}/measures`, { method: 'POST', body: input });

/**
 * What the grid worker does at a household goes through the phone's outbox (lib/outbox.ts): sent at
 * once with a network, kept and sent when it comes back without one, each with its own
 * Idempotency-Key so a send whose answer was lost is recorded once. A photo's id is minted here, so
 * the home visit queued behind it names it before either is sent.
 */
export const povertyCommands = defineCommands<{
  'poverty.addEvidence': { monitoredId: string; evidenceId: string; photo: Blob };
  'poverty.step': { monitoredId: string; input: Static<typeof StepInput> };
  'poverty.visit': { monitoredId: string; input: Static<typeof VisitInput> };
}>({
  'poverty.addEvidence': ({ monitoredId, evidenceId, photo }) => ({
    path: `/api/poverty/monitored/${monitoredId}/evidence${query({ evidenceId })}`,
    file: photo,
  }),
  'poverty.step': ({ monitoredId, input }) => ({ path: `/api/poverty/monitored/${monitoredId}/steps`, json: input }),
  'poverty.visit': ({ monitoredId, input }) => ({ path: `/api/poverty/monitored/${monitoredId}/visits`, json: input }),
});

export const queueEvidencePhoto = (monitoredId: string, evidenceId: string, photo: Blob, label: string) =>
  povertyCommands.queue('poverty.addEvidence', { monitoredId, evidenceId, photo }, { label, subjectId: monitoredId });

export const queueStep = (monitoredId: string, input: Static<typeof StepInput>, label: string) =>
  povertyCommands.queue('poverty.step', { monitoredId, input }, { label, subjectId: monitoredId, action: input.step });

export const queueVisit = (monitoredId: string, input: Static<typeof VisitInput>, label: string) =>
  povertyCommands.queue('poverty.visit', { monitoredId, input }, { label, subjectId: monitoredId, action: 'visit' });

/** The villager's own household's report as it stands (nothing of anyone else's). */
export const useOwnSelfReport = (enabled: boolean) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'own-report'],
    enabled,
    queryFn: () => api<Static<typeof OwnSelfReport>>('/api/poverty/self-reports/mine'),
  });

export const resolveObjection = (id: string, objectionId: string, upheld: boolean, note: string) =>
  api(`/api/poverty/monitored/${id}/objections/${objectionId}/resolve`, { method: 'POST', body: { upheld, note } });

/** One key per form: a second tap or a retry after a lost answer makes one report. */
export const sendSelfReport = (input: Static<typeof SelfReportInput>, idempotencyKey: string) =>
  api<Static<typeof SelfReport>>('/api/poverty/self-reports', { method: 'POST', body: input, idempotencyKey });
