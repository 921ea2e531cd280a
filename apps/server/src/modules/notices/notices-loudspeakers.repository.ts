// Village loudspeakers and what each village's should read aloud: urgent notices, queued once per
// village, fetched by the loudspeaker, then marked played.
import type { Kysely } from 'kysely';
import type { DB, NoticeBroadcastTable } from '../../db/schema.ts';

export type LoudspeakerRecord = { id: string; villageId: string; name: string; keyHash: string; createdAt: number };

export async function insertLoudspeaker(db: Kysely<DB>, speaker: LoudspeakerRecord): Promise<LoudspeakerRecord> {
  await db
    .insertInto('village_loudspeakers')
    .values({ id: speaker.id, village_id: speaker.villageId, name: speaker.name, key_hash: speaker.keyHash, created_at: speaker.createdAt })
    .execute();
  return speaker;
}

export async function findLoudspeakerByKeyHash(db: Kysely<DB>, keyHash: string): Promise<{ id: string; villageId: string } | undefined> {
  const row = await db.selectFrom('village_loudspeakers').select(['id', 'village_id']).where('key_hash', '=', keyHash).executeTakeFirst();
  return row && { id: row.id, villageId: row.village_id };
}

export type BroadcastRecord = {
  id: string;
  noticeId: string;
  villageId: string;
  text: string;
  state: NoticeBroadcastTable['state'];
  createdAt: number;
};

/** Queues a broadcast unless the village already has one for the notice. */
export async function insertBroadcast(db: Kysely<DB>, broadcast: BroadcastRecord): Promise<void> {
  await db
    .insertInto('notice_broadcasts')
    .values({
      id: broadcast.id,
      notice_id: broadcast.noticeId,
      village_id: broadcast.villageId,
      text: broadcast.text,
      state: broadcast.state,
      created_at: broadcast.createdAt,
      fetched_at: null,
      played_at: null,
    })
    .onConflict((oc) => oc.columns(['notice_id', 'village_id']).doNothing())
    .execute();
}

/** What a village has not yet heard (queued, or fetched and not played), oldest first. */
export async function listUnplayed(db: Kysely<DB>, villageId: string, limit: number): Promise<{ id: string; text: string }[]> {
  return db
    .selectFrom('notice_broadcasts')
    .select(['id', 'text'])
    .where('village_id', '=', villageId)
    .where('state', 'in', ['queued', 'fetched'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markFetched(db: Kysely<DB>, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notice_broadcasts')
    .set({ state: 'fetched', fetched_at: now })
    .where('id', 'in', ids)
    .where('state', '=', 'queued')
    .execute();
}

/** Marks a broadcast of the village played; says whether a row changed (false too when played before). */
export async function markPlayed(db: Kysely<DB>, id: string, villageId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('notice_broadcasts')
    .set({ state: 'played', played_at: now })
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .where('state', '!=', 'played')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function broadcastExists(db: Kysely<DB>, id: string, villageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('notice_broadcasts')
    .select('id')
    .where('id', '=', id)
    .where('village_id', '=', villageId)
    .executeTakeFirst();
  return row !== undefined;
}
