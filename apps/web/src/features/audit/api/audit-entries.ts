import type { AuditEntry } from '@cunzhi/contracts/audit';
import { usePagedQuery } from '../../../lib/use-paged-query.ts';

export type AuditFilter = { action?: string; targetId?: string; actorUserId?: string; from?: string; to?: string };

export const useAuditEntries = (filter: AuditFilter) => usePagedQuery<AuditEntry>('audit', '/api/audit/entries', filter, { limit: 50 });
