import type { AuditQuery } from '@cunzhi/contracts/audit';
import { hasPermission, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden } from '../../platform/errors.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import * as repo from './audit.repository.ts';

/** Newest first. There is deliberately no way to change or remove an entry. */
export async function searchAudit(deps: Deps, principal: Principal, query: AuditQuery): Promise<Page<repo.AuditRecord>> {
  if (!hasPermission(principal, 'audit.read')) throw forbidden();
  const limit = query.limit ?? 50;
  const before = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.searchAudit(deps.db, {
    actorUserId: query.actorUserId,
    action: query.action,
    targetId: query.targetId,
    fromMs: query.from ? Date.parse(query.from) : undefined,
    toMs: query.to ? Date.parse(query.to) : undefined,
    before,
    limit,
  });
  return toPage(rows, limit, (r) => [r.id]);
}
