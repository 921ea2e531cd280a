// Evidence requests over the API: the liaison's cameras and own requests, the cadres' desk, and
// the steps each takes. The package itself is a plain download link (the browser saves the file).
import type {
  EvidenceCamera,
  EvidenceKey,
  EvidenceRequest,
  EvidenceRequestInput,
  EvidenceRequestStatus,
} from '@cunzhi/contracts/monitoring-evidence';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../../lib/api-client.ts';

export const EVIDENCE_KEY = 'evidence';

export const useEvidenceCameras = () =>
  useQuery({
    queryKey: [EVIDENCE_KEY, 'cameras'],
    queryFn: () => api<{ items: EvidenceCamera[] }>('/api/monitoring/evidence/cameras'),
  });

export const useEvidenceRequests = (view: 'mine' | 'desk', status?: EvidenceRequestStatus) =>
  useQuery({
    queryKey: [EVIDENCE_KEY, 'requests', view, status ?? 'all'],
    queryFn: () =>
      api<{ items: EvidenceRequest[]; nextCursor: string | null }>(
        `/api/monitoring/evidence/requests${query({ view, status, limit: 50 })}`,
      ),
  });

/** One key per form: a second tap or a retry after a lost answer makes one request. */
export const askForEvidence = (input: EvidenceRequestInput, idempotencyKey: string) =>
  api<EvidenceRequest>('/api/monitoring/evidence/requests', { method: 'POST', body: input, idempotencyKey });

export const decideEvidence = (id: string, verb: 'approve' | 'refuse', reason: string) =>
  api<EvidenceRequest>(`/api/monitoring/evidence/requests/${id}/${verb}`, { method: 'POST', body: { reason } });

export const withdrawEvidence = (id: string) =>
  api<EvidenceRequest>(`/api/monitoring/evidence/requests/${id}/withdraw`, { method: 'POST' });

export const packageHref = (id: string) => `/api/monitoring/evidence/requests/${id}/package`;

/** The county's published evidence-key fingerprint (public, no login): what the verifier is given. */
export const useEvidenceKey = () =>
  useQuery({
    queryKey: [EVIDENCE_KEY, 'key'],
    queryFn: () => api<EvidenceKey>('/api/monitoring/evidence-key'),
    staleTime: 3_600_000,
  });
