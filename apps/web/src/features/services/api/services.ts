// Government services over the API: the catalogue, applications and their steps.
import type { Application, ApplicationDetail, CatalogueStatistics, ServiceItem, ServiceStatistics } from '@cunzhi/contracts/services';
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
