// The append-only audit trail: every write and every read of sensitive personal data.
import type { Kysely } from 'kysely';
import { compiledOnce } from '../db/compiled-once.ts';
import type { DB } from '../db/schema.ts';
import { uuidv7 } from './ids.ts';

/** Who is acting and from where; built from a request, or by a job for itself. */
export type Actor = {
  userId: string | null;
  /** The roles the actor held, comma-separated, as they were at the time. */
  roles: string | null;
  ip: string | null;
  requestId: string | null;
};

export const SYSTEM_ACTOR: Actor = { userId: null, roles: 'system', ip: null, requestId: null };

export type AuditEntry = {
  action: string;
  outcome?: 'ok' | 'denied';
  targetType?: string;
  targetId?: string | null;
  regionId?: string | null;
  details?: Record<string, unknown>;
};

// Every write of the platform passes here.
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

/** Call with the transaction of the write it records, so that both land or neither does. */
export async function recordAudit(db: Kysely<DB>, actor: Actor, entry: AuditEntry, now = Date.now()): Promise<void> {
  await insertAudit(db, {
    id: uuidv7(now),
    at: now,
    actorUserId: actor.userId,
    actorRole: actor.roles,
    action: entry.action,
    outcome: entry.outcome ?? 'ok',
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    regionId: entry.regionId ?? null,
    ip: actor.ip,
    requestId: actor.requestId,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}
