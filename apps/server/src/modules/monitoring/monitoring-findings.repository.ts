// Findings: every query on monitoring_findings. Placed like the camera they came from, so a list
// filters by the caller's scope in SQL.
import type { Kysely, Selectable } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, MonitoringFindingTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { NormalisedBox } from './detection/change-detector.ts';

export type FindingState = 'open' | 'confirmed' | 'sceneAccepted';

export type FindingRecord = {
  id: string;
  cameraId: string;
  placement: Placement;
  baselineId: string;
  afterSnapshotId: string;
  afterCapturedAt: number;
  snapshotIds: string[];
  boxes: NormalisedBox[];
  changedFraction: number;
  score: number;
  beforeKey: string;
  afterKey: string;
  outlinedKey: string;
  state: FindingState;
  caseId: string | null;
  confirmedBy: string | null;
  confirmedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  note: string | null;
  createdAt: number;
  updatedAt: number;
};

function toRecord(row: Selectable<MonitoringFindingTable>): FindingRecord {
  return {
    id: row.id,
    cameraId: row.camera_id,
    placement: placementOf(row),
    baselineId: row.baseline_id,
    afterSnapshotId: row.after_snapshot_id,
    afterCapturedAt: Number(row.after_captured_at),
    snapshotIds: JSON.parse(row.snapshot_ids) as string[],
    boxes: JSON.parse(row.boxes) as NormalisedBox[],
    changedFraction: Number(row.changed_fraction),
    score: Number(row.score),
    beforeKey: row.before_key,
    afterKey: row.after_key,
    outlinedKey: row.outlined_key,
    state: row.state as FindingState,
    caseId: row.case_id,
    confirmedBy: row.confirmed_by,
    confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    note: row.note,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function insertFinding(db: Kysely<DB>, f: FindingRecord): Promise<void> {
  await db
    .insertInto('monitoring_findings')
    .values({
      id: f.id,
      camera_id: f.cameraId,
      ...placedColumns(f.placement),
      baseline_id: f.baselineId,
      after_snapshot_id: f.afterSnapshotId,
      after_captured_at: f.afterCapturedAt,
      snapshot_ids: JSON.stringify(f.snapshotIds),
      boxes: JSON.stringify(f.boxes),
      changed_fraction: f.changedFraction,
      score: f.score,
      before_key: f.beforeKey,
      after_key: f.afterKey,
      outlined_key: f.outlinedKey,
      state: f.state,
      case_id: f.caseId,
      confirmed_by: f.confirmedBy,
      confirmed_at: f.confirmedAt,
      resolved_by: f.resolvedBy,
      resolved_at: f.resolvedAt,
      note: f.note,
      created_at: f.createdAt,
      updated_at: f.updatedAt,
    })
    .execute();
}

export async function findFinding(db: Kysely<DB>, id: string): Promise<FindingRecord | undefined> {
  const row = await db.selectFrom('monitoring_findings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** Findings whose case has not been made yet (the job makes it right after; a crash leaves some). */
export async function findingsWithoutCase(db: Kysely<DB>, limit: number): Promise<FindingRecord[]> {
  const rows = await db
    .selectFrom('monitoring_findings')
    .selectAll()
    .where('case_id', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function setCase(db: Kysely<DB>, id: string, caseId: string, now: number): Promise<void> {
  await db.updateTable('monitoring_findings').set({ case_id: caseId, updated_at: now }).where('id', '=', id).execute();
}

/** Moves an open finding on; false when it was no longer open (someone else decided first). */
export async function decide(
  db: Kysely<DB>,
  id: string,
  change: { state: FindingState; userId: string; note: string | null; now: number },
): Promise<boolean> {
  const who =
    change.state === 'confirmed'
      ? { confirmed_by: change.userId, confirmed_at: change.now }
      : { resolved_by: change.userId, resolved_at: change.now };
  const result = await db
    .updateTable('monitoring_findings')
    .set({ ...who, state: change.state, note: change.note, updated_at: change.now })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A confirmed finding may still have its scene accepted (the structure was legal after all). */
export async function acceptScene(
  db: Kysely<DB>,
  id: string,
  change: { userId: string; note: string | null; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('monitoring_findings')
    .set({ state: 'sceneAccepted', resolved_by: change.userId, resolved_at: change.now, note: change.note, updated_at: change.now })
    .where('id', '=', id)
    .where('state', 'in', ['open', 'confirmed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Newest first, within the scope. */
export async function listFindings(
  db: Kysely<DB>,
  scope: Scope,
  filter: { state?: FindingState; cameraId?: string },
  after: readonly [number, string] | undefined,
  limit: number,
): Promise<FindingRecord[]> {
  let query = db
    .selectFrom('monitoring_findings')
    .selectAll()
    .where(inScope(scope, { table: 'monitoring_findings' }));
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.cameraId) query = query.where('camera_id', '=', filter.cameraId);
  const rows = await keysetPage(
    query,
    [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ],
    after,
    limit,
  ).execute();
  return rows.map(toRecord);
}
