// Findings of change detection over the API: the list and one finding with its pictures, and the
// cadre's two decisions.
import type { Finding, FindingImageKind, FindingPage, FindingState } from '@cunzhi/contracts/monitoring-findings';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';
import { newId } from '../../../lib/new-id.ts';
import { MONITORING_KEY } from './cameras.ts';

export const useFindings = (state?: FindingState, enabled = true) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'findings', state ?? 'all'],
    queryFn: () => api<FindingPage>(`/api/monitoring/findings${query({ state, limit: 100 })}`),
    enabled,
  });

export const useFinding = (id: string | undefined) =>
  useQuery({
    queryKey: [MONITORING_KEY, 'finding', id],
    queryFn: () => api<Finding>(`/api/monitoring/findings/${id}`),
    enabled: Boolean(id),
  });

export const findingImageUrl = (id: string, kind: FindingImageKind) => `/api/monitoring/findings/${id}/image${query({ kind })}`;

/** Confirm (the case goes on) or accept the scene as the new baseline; retried safely with one key. */
export const decideFinding = (id: string, decision: 'confirm' | 'accept-baseline', note?: string) =>
  api<Finding>(`/api/monitoring/findings/${id}/${decision}`, {
    method: 'POST',
    body: note ? { note } : {},
    idempotencyKey: newId(),
  });
