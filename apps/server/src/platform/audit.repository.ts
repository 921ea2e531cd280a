// The one write of the audit trail. Every write of the platform passes here, so the statement is
// compiled once (db/compiled-once.ts) instead of built anew for each audited request.
import type { Kysely } from 'kysely';
import { compiledOnce } from '../db/compiled-once.ts';
import type { DB } from '../db/schema.ts';

export type AuditRow = {
  id: string;
  at: number;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: 'ok' | 'denied';
  targetType: string | null;
  targetId: string | null;
  regionId: string | null;
  ip: string | null;
  requestId: string | null;
  details: string | null;
};

const insertAudit = compiledOnce((db, slot) =>
  db.insertInto('audit_log').values({
    id: slot<string>('id'),
    at: slot<number>('at'),
    actor_user_id: slot('actorUserId'),
    actor_role: slot('actorRole'),
    action: slot<string>('action'),
    outcome: slot<'ok' | 'denied'>('outcome'),
    target_type: slot('targetType'),
    target_id: slot('targetId'),
    region_id: slot('regionId'),
    ip: slot('ip'),
    request_id: slot('requestId'),
    details: slot('details'),
  }),
);

export async function insertAuditRow(db: Kysely<DB>, row: AuditRow): Promise<void> {
  await insertAudit(db, row);
}
