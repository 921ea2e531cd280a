// Government services over the API: the catalogue, applications and their steps.
import type {
  Application,
  ApplicationDetail,
  ApplyInput,
  CatalogueImportResult,
  CatalogueStatistics,
  ServiceItem,
  ServiceStatistics,
  TransitionInput,
} from '@cunzhi/contracts/services';
import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';
import { FIRST_READS_FRESH_MS } from '../../../lib/session.ts';

export const SERVICES_KEY = 'services';

/**
 * Whether a villager may apply online: the item lists 'online' among its places, as the server
 * decides (modules/services/applications.service.ts refuses the rest with 409 not_offered_online).
 */
export const appliesOnline = (item: Pick<ServiceItem, 'places'>): boolean => item.places.includes('online');

type ItemFilter = { q?: string; lifeEvent?: string; tag?: string };

const itemsQuery = (filter: ItemFilter) =>
  queryOptions({
    queryKey: [SERVICES_KEY, 'items', filter],
    queryFn: () => api<{ items: ServiceItem[] }>(`/api/services/items${query({ ...filter, limit: 50 })}`),
    // The catalogue changes seldom; the services page's first read of it is asked for at start.
    staleTime: FIRST_READS_FRESH_MS,
  });

const applicationsQuery = (view: 'mine' | 'queue' | 'scope', state?: Application['state']) =>
  queryOptions({
    queryKey: [SERVICES_KEY, 'applications', view, state],
    queryFn: () => api<{ items: Application[] }>(`/api/services/applications${query({ view, state })}`),
    // A villager's own list is asked for at start (prefetchServicesPage); the desk's lists as before.
    staleTime: view === 'mine' ? FIRST_READS_FRESH_MS : 0,
  });

export const useItems = (filter: ItemFilter) => useQuery(itemsQuery(filter));

/** `state`: only those in it (the desk's approved ones, waiting to be delivered); none: the view's default. */
export const useApplications = (view: 'mine' | 'queue' | 'scope', state?: Application['state']) => useQuery(applicationsQuery(view, state));

/**
 * The services page's first reads, asked for at start (app/router.tsx) rather than after the session,
 * the layout and the page: my applications (what the page shows first) and the whole catalogue.
 */
export function prefetchServicesPage(client: QueryClient): void {
  // Neither needs anything the session says, so they go out beside it rather than after it (one round
  // trip less before the first card). Nobody signed in: both are refused, and asked again after sign-in.
  void client.prefetchQuery(applicationsQuery('mine'));
  void client.prefetchQuery(itemsQuery({}));
}

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

/** The same key for one form: a second tap, or a retry after a lost answer, opens one application. */
export const applyForService = (input: ApplyInput, idempotencyKey: string) =>
  api<{ id: string }>('/api/services/applications', { method: 'POST', body: input, idempotencyKey });

/** `idempotencyKey`: one per tap of a step's button, so a retry after a lost answer is the same step. */
export const transitionApplication = (applicationId: string, input: TransitionInput, idempotencyKey?: string) =>
  api<Application>(`/api/services/applications/${applicationId}/transitions`, { method: 'POST', body: input, idempotencyKey });

/** The catalogue as a CSV or Excel file: items added and items updated. */
export const importCatalogue = (file: Blob) => api<CatalogueImportResult>('/api/services/catalogue', { method: 'POST', file });
