// The append-only audit trail: every write and every read of sensitive personal data.
import { type Kysely, sql } from 'kysely';
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
  // A plain statement rather than the query builder: every write of the platform passes here.
  await sql`
    insert into audit_log (id, at, actor_user_id, actor_role, action, outcome, target_type, target_id, region_id, ip, request_id, details)
    values (${uuidv7(now)}, ${now}, ${actor.userId}, ${actor.roles}, ${entry.action}, ${entry.outcome ?? 'ok'}, ${entry.targetType ?? null},
      ${entry.targetId ?? null}, ${entry.regionId ?? null}, ${actor.ip}, ${actor.requestId},
      ${entry.details ? JSON.stringify(entry.details) : null})`.execute(db);
}
