// Observations of a farm (agri_observations) and the photos uploaded for observations, questions
// and advice rules (agri_photos).
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { AgriObservationTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type ObservationRecord = {
  id: string;
  householdId: string;
  placement: Placement;
  plotId: string | null;
  flockId: string | null;
  subjectName: string;
  kind: string;
  source: string;
  observedOn: string;
  growthStage: string | null;
  pest: string | null;
  deaths: number | null;
  quantityKg: number | null;
  priceYuanPerKg: number | null;
  note: string;
  photoIds: string[];
  cameraId: string | null;
  snapshotId: string | null;
  byUserId: string | null;
  byName: string;
  createdAt: number;
};

const num = (v: number | null) => (v === null ? null : Number(v));

const toObservation = (r: AgriObservationTable): ObservationRecord => ({
  id: r.id,
  householdId: r.household_id,
  placement: placementOf(r, r.household_id),
  plotId: r.plot_id,
  flockId: r.flock_id,
  subjectName: r.subject_name,
  kind: r.kind,
  source: r.source,
  observedOn: r.observed_on,
  growthStage: r.growth_stage,
  pest: r.pest,
  deaths: num(r.deaths),
  quantityKg: num(r.quantity_kg),
  priceYuanPerKg: num(r.price_yuan_per_kg),
  note: r.note,
  photoIds: JSON.parse(r.photo_ids) as string[],
  cameraId: r.camera_id,
  snapshotId: r.snapshot_id,
  byUserId: r.by_user_id,
  byName: r.by_name,
  createdAt: Number(r.created_at),
});

export async function insertObservation(db: Kysely<DB>, o: ObservationRecord): Promise<ObservationRecord> {
  await db
    .insertInto('agri_observations')
    .values({
      id: o.id,
      household_id: o.householdId,
      ...placedColumns(o.placement),
      plot_id: o.plotId,
      flock_id: o.flockId,
      subject_name: o.subjectName,
      kind: o.kind,
      source: o.source,
      observed_on: o.observedOn,
      growth_stage: o.growthStage,
      pest: o.pest,
      deaths: o.deaths,
      quantity_kg: o.quantityKg,
      price_yuan_per_kg: o.priceYuanPerKg,
      note: o.note,
      photo_ids: JSON.stringify(o.photoIds),
      camera_id: o.cameraId,
      snapshot_id: o.snapshotId,
      by_user_id: o.byUserId,
      by_name: o.byName,
      created_at: o.createdAt,
    })
    .execute();
  return o;
}

export async function findObservation(db: Kysely<DB>, id: string): Promise<ObservationRecord | undefined> {
  const row = await db.selectFrom('agri_observations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toObservation(row);
}

export async function findBySnapshot(db: Kysely<DB>, snapshotId: string): Promise<ObservationRecord | undefined> {
  const row = await db.selectFrom('agri_observations').selectAll().where('snapshot_id', '=', snapshotId).executeTakeFirst();
  return row && toObservation(row);
}

/** A household's observations, newest first (ids are time-ordered), before the cursor's id. */
export async function listObservations(
  db: Kysely<DB>,
  householdId: string,
  before: string | undefined,
  limit: number,
): Promise<ObservationRecord[]> {
  let query = db.selectFrom('agri_observations').selectAll().where('household_id', '=', householdId);
  if (before) query = query.where('id', '<', before);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toObservation);
}

export type ObservationFilter = { kind?: string; pest?: string; from?: string; to?: string };

/**
 * The observations of every farm in the scope, newest observed day first (then newest recorded),
 * after the cursor's (observedOn, id); the township index (township_id, observed_on) serves it.
 */
export async function listObservationsInScope(
  db: Kysely<DB>,
  scope: Scope,
  filter: ObservationFilter,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<ObservationRecord[]> {
  let query = db
    .selectFrom('agri_observations as o')
    .selectAll('o')
    .where(inScope(scope, { table: 'o', householdColumn: 'household_id' }));
  if (filter.kind) query = query.where('o.kind', '=', filter.kind);
  if (filter.pest) query = query.where('o.pest', '=', filter.pest);
  if (filter.from) query = query.where('o.observed_on', '>=', filter.from);
  if (filter.to) query = query.where('o.observed_on', '<=', filter.to);
  if (after) {
    const [day, id] = after;
    query = query.where((eb) => eb.or([eb('o.observed_on', '<', day), eb.and([eb('o.observed_on', '=', day), eb('o.id', '<', id)])]));
  }
  const rows = await query.orderBy('o.observed_on', 'desc').orderBy('o.id', 'desc').limit(limit).execute();
  return rows.map(toObservation);
}

export type PhotoRecord = {
  id: string;
  uploadedBy: string;
  fileKey: string;
  thumbKey: string;
  width: number;
  height: number;
  sha256: string;
  attachedType: string | null;
  attachedId: string | null;
  householdId: string | null;
  createdAt: number;
};

export async function insertPhoto(db: Kysely<DB>, p: PhotoRecord): Promise<void> {
  await db
    .insertInto('agri_photos')
    .values({
      id: p.id,
      uploaded_by: p.uploadedBy,
      file_key: p.fileKey,
      thumb_key: p.thumbKey,
      width: p.width,
      height: p.height,
      sha256: p.sha256,
      attached_type: p.attachedType,
      attached_id: p.attachedId,
      household_id: p.householdId,
      created_at: p.createdAt,
    })
    .execute();
}

export async function findPhotos(db: Kysely<DB>, ids: readonly string[]): Promise<PhotoRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('agri_photos').selectAll().where('id', 'in', ids).execute();
  return rows.map((r) => ({
    id: r.id,
    uploadedBy: r.uploaded_by,
    fileKey: r.file_key,
    thumbKey: r.thumb_key,
    width: Number(r.width),
    height: Number(r.height),
    sha256: r.sha256,
    attachedType: r.attached_type,
    attachedId: r.attached_id,
    householdId: r.household_id,
    createdAt: Number(r.created_at),
  }));
}

/** Attaches photos not yet attached to anything; the number attached. */
export async function attachPhotos(
  db: Kysely<DB>,
  ids: readonly string[],
  to: { type: string; id: string; householdId: string | null },
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('agri_photos')
    .set({ attached_type: to.type, attached_id: to.id, household_id: to.householdId })
    .where('id', 'in', ids)
    .where('attached_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Updates the stage of a plot or flock from an observation (agri's own tables). */
export async function setGrowthStage(db: Kysely<DB>, kind: 'plot' | 'flock', id: string, stage: string, now: number): Promise<void> {
  await db
    .updateTable(kind === 'plot' ? 'agri_plots' : 'agri_flocks')
    .set({ growth_stage: stage, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Takes deaths off a flock's head count, never below zero; the count before and after. */
export async function subtractHeads(
  db: Kysely<DB>,
  flockId: string,
  deaths: number,
  now: number,
): Promise<{ from: number; to: number } | undefined> {
  const row = await db.selectFrom('agri_flocks').select('head_count').where('id', '=', flockId).executeTakeFirst();
  if (!row) return undefined;
  const from = Number(row.head_count);
  const to = Math.max(0, from - deaths);
  await db.updateTable('agri_flocks').set({ head_count: to, updated_at: now }).where('id', '=', flockId).execute();
  return { from, to };
}
