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

export const POVERTY_KEY = 'poverty';

export type MonitoredItem = Static<typeof Monitored>;
export type MonitoredFile = Static<typeof MonitoredDetail>;
export type Economics = Static<typeof EconomicsHistory>;
export type Tasks = Static<typeof TaskList>;

export const useMonitored = (filter: { status?: MonitoredStatus; category?: PovertyCategory; step?: ProcedureStep }) =>
  useQuery({
    queryKey: [POVERTY_KEY, 'monitored', filter],
    queryFn: () => api<{ items: MonitoredItem[]; nextCursor: string | null }>(`/api/poverty/monitored${query({ ...filter, limit: 100 })}`),
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

export const useTasks = () => useQuery({ queryKey: [POVERTY_KEY, 'tasks'], queryFn: () => api<Tasks>('/api/poverty/tasks') });

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

export const recordVisit = (id: string, input: Static<typeof VisitInput>) =>
  api(`/api/poverty/monitored/${id}/visits`, { method: 'POST', body: input });

export const resolveObjection = (id: string, objectionId: string, upheld: boolean, note: string) =>
  api(`/api/poverty/monitored/${id}/objections/${objectionId}/resolve`, { method: 'POST', body: { upheld, note } });

/** One key per form: a second tap or a retry after a lost answer makes one report. */
export const sendSelfReport = (input: Static<typeof SelfReportInput>, idempotencyKey: string) =>
  api<Static<typeof SelfReport>>('/api/poverty/self-reports', { method: 'POST', body: input, idempotencyKey });
