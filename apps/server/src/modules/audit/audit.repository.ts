import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { startsWithText } from '../../db/like.ts';
import type { DB } from '../../db/schema.ts';

export type AuditRecord = {
  id: string;
  at: number;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  regionId: string | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
};

export type AuditFilter = {
  actorUserId?: string;
  action?: string;
  targetId?: string;
  fromMs?: number;
  toMs?: number;
  before?: string;
  limit: number;
};

export async function searchAudit(db: Kysely<DB>, filter: AuditFilter): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log as a').selectAll('a');
  if (filter.actorUserId) query = query.where('a.actor_user_id', '=', filter.actorUserId);
  if (filter.action) {
    const action = filter.action;
    query = action.endsWith('.') ? query.where(startsWithText('a.action', action)) : query.where('a.action', '=', action);
  }
  if (filter.targetId) query = query.where('a.target_id', '=', filter.targetId);
  if (filter.fromMs !== undefined) query = query.where('a.at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('a.at', '<', filter.toMs);
  const rows = await keysetPage(
    query,
    [['a.id', 'desc']],
    filter.before === undefined ? undefined : [filter.before],
    filter.limit,
  ).execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    action: row.action,
    outcome: row.outcome,
    targetType: row.target_type,
    targetId: row.target_id,
    regionId: row.region_id,
    ip: row.ip,
    requestId: row.request_id,
    details: row.details ? JSON.parse(row.details) : null,
  }));
}
