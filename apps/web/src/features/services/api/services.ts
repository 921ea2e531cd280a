// Government services over the API: the catalogue, applications and their steps.
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const SERVICES_KEY = 'services';

export type ServiceItem = {
  id: string;
  code: string;
  name: string;
  departmentName: string;
  legalBasis: string;
  materials: { name: string; required: boolean; note: string }[];
  fee: string;
  statutoryDays: number;
  promisedDays: number;
  places: string[];
  tags: string[];
  lifeEvents: string[];
};

export type Application = {
  id: string;
  itemId: string;
  itemName: string;
  applicantPersonId: string;
  applicantName: string;
  channel: string;
  state: string;
  missing: string[];
  delivery: string;
  address: string | null;
  trackingNumber: string | null;
  reason: string | null;
  createdAt: string;
  acceptedAt: string | null;
  dueAt: string | null;
  decidedAt: string | null;
  overdue: boolean;
};

export type ApplicationDetail = {
  application: Application;
  materials: { id: string; material: string; contentType: string; createdAt: string }[];
  history: { action: string; from: string | null; to: string; note: string | null; at: string }[];
};

export const LIFE_EVENTS = [
  'startingBusiness',
  'havingChild',
  'oldAge',
  'farmingSubsidies',
  'housing',
  'jobs',
  'health',
  'education',
] as const;
export const TAGS = ['immediate', 'atMostOneTrip', 'zeroTrip', 'nearby', 'fullyOnline'] as const;

export const useItems = (filter: { q?: string; lifeEvent?: string; tag?: string }) =>
  useQuery({
    queryKey: [SERVICES_KEY, 'items', filter],
    queryFn: () => api<{ items: ServiceItem[] }>(`/api/services/items${query({ ...filter, limit: 50 })}`),
  });

export const useApplications = (view: 'mine' | 'queue' | 'scope') =>
  useQuery({
    queryKey: [SERVICES_KEY, 'applications', view],
    queryFn: () => api<{ items: Application[] }>(`/api/services/applications?view=${view}`),
  });

export const useApplication = (id: string | undefined) =>
  useQuery({
    queryKey: [SERVICES_KEY, 'application', id],
    queryFn: () => api<ApplicationDetail>(`/api/services/applications/${id}`),
    enabled: Boolean(id),
  });

export type CatalogueStatistics = {
  total: number;
  byTag: Record<string, number>;
  fullyOnlineShare: number;
  byDepartment: { name: string; count: number }[];
};

export const useCatalogueStatistics = () =>
  useQuery({ queryKey: [SERVICES_KEY, 'catalogue-stats'], queryFn: () => api<CatalogueStatistics>('/api/services/catalogue/statistics') });

export type Figures = {
  applications: number;
  decided: number;
  onTime: number;
  onTimeRate: number | null;
  averageDays: number | null;
  onlineShare: number;
  nearbyShare: number;
};
export type ServiceStatistics = {
  total: Figures;
  byItem: ({ key: string; name: string } & Figures)[];
  byTag: ({ key: string } & Figures)[];
  byTownship: ({ key: string; name: string } & Figures)[];
};

export const useServiceStatistics = (days: number) =>
  useQuery({
    queryKey: [SERVICES_KEY, 'statistics', days],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 24 * 3_600_000);
      return api<ServiceStatistics>(`/api/services/statistics${query({ from: from.toISOString(), to: to.toISOString() })}`);
    },
  });
