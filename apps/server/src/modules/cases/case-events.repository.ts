// A case's history: one row per step, who and when, never changed once written.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type CaseEvent = {
  id: string;
  caseId: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorUserId: string | null;
  actorRole: string | null;
  note: string | null;
  details: Record<string, unknown> | null;
  at: number;
};

export async function insertEvent(db: Kysely<DB>, event: CaseEvent): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      id: event.id,
      case_id: event.caseId,
      action: event.action,
      from_state: event.fromState,
      to_state: event.toState,
      actor_user_id: event.actorUserId,
      actor_role: event.actorRole,
      note: event.note,
      details: event.details ? JSON.stringify(event.details) : null,
      at: event.at,
    })
    .execute();
}

export async function listEvents(db: Kysely<DB>, caseId: string): Promise<CaseEvent[]> {
  const rows = await db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    note: row.note,
    details: row.details ? JSON.parse(row.details) : null,
    at: row.at,
  }));
}

/** A case's last step: what was done, by whom, with what words, and the state it left. */
export async function lastEvent(
  db: Kysely<DB>,
  caseId: string,
): Promise<Pick<CaseEvent, 'action' | 'actorUserId' | 'toState' | 'note'> | undefined> {
  const row = await db
    .selectFrom('case_events')
    .select(['action', 'actor_user_id', 'to_state', 'note'])
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { action: row.action, actorUserId: row.actor_user_id, toState: row.to_state, note: row.note };
}
