// The extension worker's desk over the API: the advice library (rules, pictures, who a rule would
// reach today, running it), the weather (entries and the forecast feed), and the figures.
import type {
  AdvicePreview,
  AdviceReportItem,
  AdviceRule,
  AdviceRuleInput,
  AdviceRulePatch,
  AdviceRunInput,
  AdviceRunResult,
  AgriToday,
  WeatherEntry,
  WeatherImportResult,
  WeatherInput,
  WeatherList,
} from '@cunzhi/contracts/agri-advice';
import type { AgriFigures } from '@cunzhi/contracts/agri-questions';
import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, query, request } from '../../../lib/api-client.ts';
import { AGRI_KEY } from './farm.ts';
import { usePaged } from './paged.ts';

export const useToday = () =>
  useQuery({ queryKey: [AGRI_KEY, 'today'], queryFn: () => api<AgriToday>('/api/agri/today'), staleTime: 60 * 60_000 });

export const useAdviceRules = (subject?: string) => usePaged<AdviceRule>(AGRI_KEY, '/api/agri/advice-rules', { subject }, { limit: 50 });

export function useAdvicePreview(id: string | undefined) {
  return useQuery({
    queryKey: [AGRI_KEY, 'preview', id],
    queryFn: () => api<AdvicePreview>(`/api/agri/advice-rules/${id}/preview`),
    enabled: Boolean(id),
  });
}

export const useAdviceDeliveries = (filter: { regionId?: string; ruleId?: string }) =>
  usePaged<Static<typeof AdviceReportItem>>(AGRI_KEY, '/api/agri/advice/deliveries', filter, { limit: 50 });

export const adviceApi = {
  create: (input: AdviceRuleInput) => api<AdviceRule>('/api/agri/advice-rules', { method: 'POST', body: input }),
  change: (id: string, patch: AdviceRulePatch) => api<AdviceRule>(`/api/agri/advice-rules/${id}`, { method: 'PATCH', body: patch }),
  addPicture: (id: string, picture: Blob) => api<AdviceRule>(`/api/agri/advice-rules/${id}/pictures`, { method: 'POST', file: picture }),
  run: (input: AdviceRunInput) => api<AdviceRunResult>('/api/agri/advice/run', { method: 'POST', body: input }),
};

export function useWeather(filter: { regionId?: string; from?: string; to?: string }) {
  return useQuery({
    queryKey: [AGRI_KEY, 'weather', filter],
    queryFn: () => api<WeatherList>(`/api/agri/weather${query(filter)}`),
  });
}

export const weatherApi = {
  add: (input: WeatherInput) => api<WeatherEntry>('/api/agri/weather', { method: 'POST', body: input }),
  /** The feed's file as it is: CSV or JSON (README "Weather feed"); its type is told by its name. */
  import: async (file: File) => {
    const json = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
    const body = new Blob([await file.arrayBuffer()], { type: json ? 'application/json' : 'text/csv' });
    const response = await request('/api/agri/weather/import', { method: 'POST', file: body });
    return (await response.json()) as WeatherImportResult;
  },
};

export type FiguresFilter = { regionId?: string; year?: number };

export function useFigures(filter: FiguresFilter) {
  return useQuery({
    queryKey: [AGRI_KEY, 'figures', filter],
    queryFn: () => api<AgriFigures>(`/api/agri/figures${query(filter)}`),
  });
}

export const figuresXlsxUrl = (filter: FiguresFilter) => `/api/agri/figures.xlsx${query(filter)}`;
