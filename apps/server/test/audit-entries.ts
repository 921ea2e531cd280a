// The audit log's entries of one action, oldest first, in the form tests compare them.
import type { Deps } from '../src/platform/deps.ts';

export type AuditSeen = { outcome: string; actor: string | null; targetId: string | null; details: Record<string, unknown> };

export async function auditEntries(deps: Deps, action: string): Promise<AuditSeen[]> {
  const rows = await deps.db
    .selectFrom('audit_log')
    .select(['outcome', 'actor_user_id', 'target_id', 'details'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    outcome: row.outcome,
    actor: row.actor_user_id,
    targetId: row.target_id,
    details: JSON.parse(row.details ?? '{}'),
  }));
}
