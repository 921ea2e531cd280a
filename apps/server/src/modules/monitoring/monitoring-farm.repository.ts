// Farm cameras: the plot or flock a camera watches for a household (monitoring_farm_subjects), and
// the capture times a time-lapse is chosen from.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type FarmSubjectKind = 'plot' | 'flock';

export type FarmSubjectRecord = {
  cameraId: string;
  householdId: string;
  kind: FarmSubjectKind;
  label: string;
  agriSubjectId: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
};

type Row = {
  camera_id: string;
  household_id: string;
  kind: string;
  label: string;
  agri_subject_id: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
};

const toRecord = (r: Row): FarmSubjectRecord => ({
  cameraId: r.camera_id,
  householdId: r.household_id,
  kind: r.kind as FarmSubjectKind,
  label: r.label,
  agriSubjectId: r.agri_subject_id,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function findSubject(db: Kysely<DB>, cameraId: string): Promise<FarmSubjectRecord | undefined> {
  const row = await db.selectFrom('monitoring_farm_subjects').selectAll().where('camera_id', '=', cameraId).executeTakeFirst();
  return row && toRecord(row);
}

export async function subjectsOfHousehold(db: Kysely<DB>, householdId: string): Promise<FarmSubjectRecord[]> {
  const rows = await db
    .selectFrom('monitoring_farm_subjects')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('camera_id')
    .execute();
  return rows.map(toRecord);
}

export async function subjectsOfCameras(db: Kysely<DB>, cameraIds: string[]): Promise<FarmSubjectRecord[]> {
  if (cameraIds.length === 0) return [];
  const rows = await db
    .selectFrom('monitoring_farm_subjects')
    .selectAll()
    .where('camera_id', 'in', cameraIds)
    .orderBy('camera_id')
    .execute();
  return rows.map(toRecord);
}

/** Inserts or replaces the camera's subject (a camera watches one plot or flock). */
export async function saveSubject(db: Kysely<DB>, s: FarmSubjectRecord): Promise<void> {
  const values = {
    household_id: s.householdId,
    kind: s.kind,
    label: s.label,
    agri_subject_id: s.agriSubjectId,
    updated_at: s.updatedAt,
  };
  await db
    .insertInto('monitoring_farm_subjects')
    .values({ camera_id: s.cameraId, ...values, created_by: s.createdBy, created_at: s.createdAt })
    .onConflict((oc) => oc.column('camera_id').doUpdateSet(values))
    .execute();
}

export async function deleteSubject(db: Kysely<DB>, cameraId: string): Promise<boolean> {
  const result = await db.deleteFrom('monitoring_farm_subjects').where('camera_id', '=', cameraId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A camera's capture times before `before`, newest first: what a page of days is chosen from. */
export async function captureTimesBefore(
  db: Kysely<DB>,
  cameraId: string,
  before: number,
  from: number,
  limit: number,
): Promise<{ id: string; capturedAt: number }[]> {
  const rows = await db
    .selectFrom('monitoring_snapshots')
    .select(['id', 'captured_at'])
    .where('camera_id', '=', cameraId)
    .where('captured_at', '<', before)
    .where('captured_at', '>=', from)
    .orderBy('captured_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, capturedAt: Number(r.captured_at) }));
}

/** Links the camera's subject to agriculture's own plot or flock (or unlinks it with null). */
export async function setAgriSubjectId(db: Kysely<DB>, cameraId: string, agriSubjectId: string | null, now: number): Promise<boolean> {
  const result = await db
    .updateTable('monitoring_farm_subjects')
    .set({ agri_subject_id: agriSubjectId, updated_at: now })
    .where('camera_id', '=', cameraId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
