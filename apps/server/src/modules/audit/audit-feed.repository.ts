// The audit log read as a feed of recent writes: what changed where, for caches of figures (the
// wall screen's sections) that must follow every change on every node. Read by the primary key
// (UUIDv7, ordered by time), so a poll costs one index range however long the log.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type FeedRow = { id: string; at: number; action: string; regionId: string | null };

/** The smallest UUIDv7 of a moment: ids at or after `ms` sort at or after it. */
export const idFloor = (ms: number) => {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
};

export async function writesSince(db: Kysely<DB>, sinceMs: number, limit: number): Promise<FeedRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'region_id'])
    .where('id', '>=', idFloor(sinceMs))
    // Ids are ordered by the process that made them, which never steps back: after its clock did,
    // its ids run ahead of the rows' times. The range keeps the read short; the time says what is recent.
    .where('at', '>=', sinceMs)
    .where('outcome', '=', 'ok')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, at: Number(r.at), action: r.action, regionId: r.region_id }));
}
