// The append-only audit trail: every write and every read of sensitive personal data.
import type { Kysely } from 'kysely';
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

/** Call with the transaction of the write it records, so that both land or neither does. */
export async function recordAudit(db: Kysely<DB>, actor: Actor, entry: AuditEntry, now = Date.now()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: uuidv7(now),
      at: now,
      actor_user_id: actor.userId,
      actor_role: actor.roles,
      action: entry.action,
      outcome: entry.outcome ?? 'ok',
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      region_id: entry.regionId ?? null,
      ip: actor.ip,
      request_id: actor.requestId,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}
