// Government services over the API: the catalogue, applications and their steps.
import type {
  APPLICATION_ACTIONS,
  Application,
  ApplicationDetail,
  ApplyInput,
  CatalogueImportResult,
  CatalogueStatistics,
  DELIVERIES,
  ServiceItem,
  ServiceStatistics,
  TransitionInput,
} from '@cunzhi/contracts/services';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const SERVICES_KEY = 'services';

/**
 * Whether a villager may apply online: the item lists 'online' among its places, as the server
 * decides (modules/services/applications.service.ts refuses the rest with 409 not_offered_online).
 */
export const appliesOnline = (item: Pick<ServiceItem, 'places'>): boolean => item.places.includes('online');

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

export const useCatalogueStatistics = () =>
  useQuery({ queryKey: [SERVICES_KEY, 'catalogue-stats'], queryFn: () => api<CatalogueStatistics>('/api/services/catalogue/statistics') });

export const useServiceStatistics = (days: number) =>
  useQuery({
    queryKey: [SERVICES_KEY, 'statistics', days],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 24 * 3_600_000);
      return api<ServiceStatistics>(`/api/services/statistics${query({ from: from.toISOString(), to: to.toISOString() })}`);
    },
  });

/** Sends one material of an application: a photo or a PDF, checked by its content on the server. */
export const uploadMaterial = (applicationId: string, material: string, file: File) =>
  api(`/api/services/applications/${applicationId}/materials${query({ material })}`, { method: 'POST', file });

// The contract's literal unions (literals() over a list) come out as never: named here from their lists.
export type ApplyBody = Omit<ApplyInput, 'delivery'> & { delivery: (typeof DELIVERIES)[number] };
export type ApplicationTransition = Omit<TransitionInput, 'action'> & { action: (typeof APPLICATION_ACTIONS)[number] };

/** The same key for one form: a second tap, or a retry after a lost answer, opens one application. */
export const applyForService = (input: ApplyBody, idempotencyKey: string) =>
  api<{ id: string }>('/api/services/applications', { method: 'POST', body: input, idempotencyKey });

export const transitionApplication = (applicationId: string, input: ApplicationTransition) =>
  api(`/api/services/applications/${applicationId}/transitions`, { method: 'POST', body: input });

/** The catalogue as a CSV or Excel file: items added and items updated. */
export const importCatalogue = (file: Blob) => api<CatalogueImportResult>('/api/services/catalogue', { method: 'POST', file });
