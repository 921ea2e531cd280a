// The one write of the audit trail. Every write of the platform passes here, so the statement is
// compiled once (db/compiled-once.ts) instead of built anew for each audited request.
import type { Kysely } from 'kysely';
import { compiledOnce, compiledPerShape } from '../db/compiled-once.ts';
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

/** Rows to a statement in insertAuditRows: a live event's deliveries to one place's duty screens fit in one. */
const ROWS_PER_INSERT = 50;

const insertAudits = compiledPerShape(
  (count: number) => String(count),
  (db, slot, count) =>
    db.insertInto('audit_log').values(
      Array.from({ length: count }, (_, i) => ({
        id: slot<string>(`rows.${i}.id`),
        at: slot<number>(`rows.${i}.at`),
        actor_user_id: slot(`rows.${i}.actorUserId`),
        actor_role: slot(`rows.${i}.actorRole`),
        action: slot<string>(`rows.${i}.action`),
        outcome: slot<'ok' | 'denied'>(`rows.${i}.outcome`),
        target_type: slot(`rows.${i}.targetType`),
        target_id: slot(`rows.${i}.targetId`),
        region_id: slot(`rows.${i}.regionId`),
        ip: slot(`rows.${i}.ip`),
        request_id: slot(`rows.${i}.requestId`),
        details: slot(`rows.${i}.details`),
      })),
    ),
  ROWS_PER_INSERT,
);

/** Many records in a few statements (ROWS_PER_INSERT to each). */
export async function insertAuditRows(db: Kysely<DB>, rows: AuditRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    await insertAudits(db, chunk.length, { rows: chunk });
  }
}

/** How many times a user did an action since a moment, as the log records it (rate limits that must survive restarts). */
export async function countActionsSince(db: Kysely<DB>, userId: string, action: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('actor_user_id', '=', userId)
    .where('action', '=', action)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who did one of these actions to any of these targets, with the roles they held then (the audit log's record). */
export async function actorsOf(
  db: Kysely<DB>,
  targetIds: readonly string[],
  actions: readonly string[],
): Promise<{ actorUserId: string; actorRole: string | null }[]> {
  if (targetIds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_log')
    .select(['actor_user_id', 'actor_role'])
    .where('target_id', 'in', targetIds)
    .where('action', 'in', actions)
    .where('actor_user_id', 'is not', null)
    .limit(1000)
    .execute();
  return rows.map((r) => ({ actorUserId: r.actor_user_id as string, actorRole: r.actor_role }));
}
