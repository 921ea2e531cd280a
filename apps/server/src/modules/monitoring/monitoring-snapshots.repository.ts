// Snapshots: every query on monitoring_snapshots and on the queue change detection takes them from.
import type { Kysely, Selectable } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { CameraSource, DB, MonitoringSnapshotTable } from '../../db/schema.ts';

export type SnapshotRecord = {
  id: string;
  cameraId: string;
  source: CameraSource;
  capturedAt: number;
  receivedAt: number;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  fileKey: string;
  thumbKey: string;
  held: boolean;
};

function toRecord(row: Selectable<MonitoringSnapshotTable>): SnapshotRecord {
  return {
    id: row.id,
    cameraId: row.camera_id,
    source: row.source,
    capturedAt: row.captured_at,
    receivedAt: row.received_at,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    sha256: row.sha256,
    fileKey: row.file_key,
    thumbKey: row.thumb_key,
    held: row.held === 1,
  };
}

/** Stores the snapshot and queues it for change detection, in the caller's transaction. */
export async function insertSnapshot(db: Kysely<DB>, snapshot: SnapshotRecord): Promise<SnapshotRecord> {
  await db
    .insertInto('monitoring_snapshots')
    .values({
      id: snapshot.id,
      camera_id: snapshot.cameraId,
      source: snapshot.source,
      captured_at: snapshot.capturedAt,
      received_at: snapshot.receivedAt,
      width: snapshot.width,
      height: snapshot.height,
      bytes: snapshot.bytes,
      sha256: snapshot.sha256,
      file_key: snapshot.fileKey,
      thumb_key: snapshot.thumbKey,
      held: snapshot.held ? 1 : 0,
    })
    .execute();
  await db
    .insertInto('monitoring_snapshot_queue')
    .values({ snapshot_id: snapshot.id, camera_id: snapshot.cameraId, queued_at: snapshot.receivedAt })
    .execute();
  return snapshot;
}

export async function findSnapshot(db: Kysely<DB>, id: string): Promise<SnapshotRecord | undefined> {
  const row = await db.selectFrom('monitoring_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function findSnapshots(db: Kysely<DB>, ids: string[]): Promise<SnapshotRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('monitoring_snapshots').selectAll().where('id', 'in', ids).execute();
  return rows.map(toRecord);
}

/** A camera's snapshots captured in [from, to), newest first. */
export async function listSnapshots(
  db: Kysely<DB>,
  cameraId: string,
  range: { from?: number; to?: number },
  after: readonly [number, string] | undefined,
  limit: number,
  order: 'asc' | 'desc' = 'desc',
): Promise<SnapshotRecord[]> {
  let query = db.selectFrom('monitoring_snapshots').selectAll().where('camera_id', '=', cameraId);
  if (range.from !== undefined) query = query.where('captured_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('captured_at', '<', range.to);
  const keys = [
    ['captured_at', order],
    ['id', order],
  ] as const;
  const rows = await keysetPage(query, keys, after, limit).execute();
  return rows.map(toRecord);
}

/** The newest snapshot of each camera. */
export async function latestSnapshots(db: Kysely<DB>, cameraIds: string[]): Promise<SnapshotRecord[]> {
  if (cameraIds.length === 0) return [];
  const rows = await db
    .selectFrom('monitoring_snapshots as s')
    .selectAll('s')
    .where('s.camera_id', 'in', cameraIds)
    .where('s.id', '=', (eb) =>
      eb
        .selectFrom('monitoring_snapshots as n')
        .select('n.id')
        .whereRef('n.camera_id', '=', 's.camera_id')
        .orderBy('n.captured_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(1),
    )
    .execute();
  return rows.map(toRecord);
}

/** A camera's snapshots captured before `before` and not held, oldest first. */
export async function expiredSnapshots(db: Kysely<DB>, cameraId: string, before: number, limit: number): Promise<SnapshotRecord[]> {
  const rows = await db
    .selectFrom('monitoring_snapshots')
    .selectAll()
    .where('camera_id', '=', cameraId)
    .where('captured_at', '<', before)
    .where('held', '=', 0)
    .orderBy('captured_at')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Deletes snapshots that are still not held; returns the ids deleted. */
export async function deleteUnheldSnapshots(db: Kysely<DB>, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const gone = await db.selectFrom('monitoring_snapshots').select('id').where('id', 'in', ids).where('held', '=', 0).execute();
  const goneIds = gone.map((r) => r.id);
  if (goneIds.length === 0) return [];
  await db.deleteFrom('monitoring_snapshot_queue').where('snapshot_id', 'in', goneIds).execute();
  await db.deleteFrom('monitoring_snapshots').where('id', 'in', goneIds).where('held', '=', 0).execute();
  return goneIds;
}

export async function setHeld(db: Kysely<DB>, ids: string[], held: boolean): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('monitoring_snapshots')
    .set({ held: held ? 1 : 0 })
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type QueuedSnapshot = { snapshotId: string; cameraId: string; queuedAt: number };

export async function queuedSnapshots(db: Kysely<DB>, limit: number): Promise<QueuedSnapshot[]> {
  const rows = await db
    .selectFrom('monitoring_snapshot_queue')
    .selectAll()
    .orderBy('queued_at')
    .orderBy('snapshot_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ snapshotId: r.snapshot_id, cameraId: r.camera_id, queuedAt: r.queued_at }));
}

export async function dequeueSnapshots(db: Kysely<DB>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('monitoring_snapshot_queue').where('snapshot_id', 'in', ids).execute();
}
