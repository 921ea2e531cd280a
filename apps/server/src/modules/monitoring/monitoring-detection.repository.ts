// Change detection's own records: each camera's baselines, its detection state (settings, current
// baseline, the persistence tracker as JSON) and one row per snapshot compared.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { TrackerState } from './detection/persistence.ts';

export type BaselineReason = 'first' | 'accepted';

export type BaselineRecord = {
  id: string;
  cameraId: string;
  snapshotId: string;
  capturedAt: number;
  fileKey: string;
  reason: BaselineReason;
  findingId: string | null;
  acceptedBy: string | null;
  createdAt: number;
};

export type DetectionState = {
  cameraId: string;
  enabled: boolean;
  snapshotsToConfirm: number | null;
  minAreaFraction: number | null;
  baselineId: string | null;
  tracker: TrackerState | null;
  lastSnapshotId: string | null;
  lastCapturedAt: number | null;
  updatedAt: number;
};

export type DetectionOutcome = 'baseline' | 'compared' | 'skipped' | 'failed';

export async function findBaseline(db: Kysely<DB>, id: string): Promise<BaselineRecord | undefined> {
  const row = await db.selectFrom('monitoring_baselines').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    row && {
      id: row.id,
      cameraId: row.camera_id,
      snapshotId: row.snapshot_id,
      capturedAt: Number(row.captured_at),
      fileKey: row.file_key,
      reason: row.reason as BaselineReason,
      findingId: row.finding_id,
      acceptedBy: row.accepted_by,
      createdAt: Number(row.created_at),
    }
  );
}

export async function insertBaseline(db: Kysely<DB>, b: BaselineRecord): Promise<void> {
  await db
    .insertInto('monitoring_baselines')
    .values({
      id: b.id,
      camera_id: b.cameraId,
      snapshot_id: b.snapshotId,
      captured_at: b.capturedAt,
      file_key: b.fileKey,
      reason: b.reason,
      finding_id: b.findingId,
      accepted_by: b.acceptedBy,
      created_at: b.createdAt,
    })
    .execute();
}

export async function findState(db: Kysely<DB>, cameraId: string): Promise<DetectionState | undefined> {
  const row = await db.selectFrom('monitoring_detection_state').selectAll().where('camera_id', '=', cameraId).executeTakeFirst();
  return (
    row && {
      cameraId: row.camera_id,
      enabled: row.enabled === 1,
      snapshotsToConfirm: row.snapshots_to_confirm,
      minAreaFraction: row.min_area_fraction === null ? null : Number(row.min_area_fraction),
      baselineId: row.baseline_id,
      tracker: row.tracker === null ? null : (JSON.parse(row.tracker) as TrackerState),
      lastSnapshotId: row.last_snapshot_id,
      lastCapturedAt: row.last_captured_at === null ? null : Number(row.last_captured_at),
      updatedAt: Number(row.updated_at),
    }
  );
}

/** Writes the whole state (insert or replace): the caller read it in the same transaction. */
export async function saveState(db: Kysely<DB>, s: DetectionState): Promise<void> {
  const values = {
    enabled: s.enabled ? 1 : 0,
    snapshots_to_confirm: s.snapshotsToConfirm,
    min_area_fraction: s.minAreaFraction,
    baseline_id: s.baselineId,
    tracker: s.tracker === null ? null : JSON.stringify(s.tracker),
    last_snapshot_id: s.lastSnapshotId,
    last_captured_at: s.lastCapturedAt,
    updated_at: s.updatedAt,
  };
  await db
    .insertInto('monitoring_detection_state')
    .values({ camera_id: s.cameraId, ...values })
    .onConflict((oc) => oc.column('camera_id').doUpdateSet(values))
    .execute();
}

export async function wasDetected(db: Kysely<DB>, snapshotId: string): Promise<boolean> {
  const row = await db.selectFrom('monitoring_detections').select('snapshot_id').where('snapshot_id', '=', snapshotId).executeTakeFirst();
  return row !== undefined;
}

export async function insertDetection(
  db: Kysely<DB>,
  d: {
    snapshotId: string;
    cameraId: string;
    baselineId: string | null;
    outcome: DetectionOutcome;
    changedFraction: number;
    regions: number;
    ms: number;
    at: number;
  },
): Promise<void> {
  await db
    .insertInto('monitoring_detections')
    .values({
      snapshot_id: d.snapshotId,
      camera_id: d.cameraId,
      baseline_id: d.baselineId,
      outcome: d.outcome,
      changed_fraction: d.changedFraction,
      regions: d.regions,
      ms: Math.round(d.ms),
      detected_at: d.at,
    })
    .execute();
}

export async function countQueued(db: Kysely<DB>, cameraId: string): Promise<number> {
  const row = await db
    .selectFrom('monitoring_snapshot_queue')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('camera_id', '=', cameraId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
