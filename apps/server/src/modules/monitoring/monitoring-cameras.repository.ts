// Cameras: every query on monitoring_cameras. Placed like every placed table (region, village,
// township, county); masks and the watch area as JSON text; secrets only sealed or hashed.
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { CameraPurpose, CameraSource, DB, MonitoringCameraTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { Polygon } from './snapshot-image.ts';

export type CameraRecord = {
  id: string;
  name: string;
  placement: Placement;
  latitude: number;
  longitude: number;
  directionDegrees: number;
  owner: string;
  purpose: CameraPurpose;
  publicSignRef: string | null;
  retentionDays: number;
  privacyMasks: Polygon[];
  watchArea: Polygon | null;
  source: CameraSource;
  snapshotUrl: string | null;
  streamUrl: string | null;
  onvifUrl: string | null;
  credentialsSealed: string | null;
  pullEverySeconds: number | null;
  nextPullAt: number | null;
  lastPullAt: number | null;
  lastPullError: string | null;
  pushKeyHash: string | null;
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
};

/** The fields a change may set (the id, place and creation stay). */
export type CameraChanges = Partial<Omit<CameraRecord, 'id' | 'createdBy' | 'createdAt'>>;

function toRecord(row: Selectable<MonitoringCameraTable>): CameraRecord {
  return {
    id: row.id,
    name: row.name,
    placement: placementOf(row),
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    directionDegrees: row.direction_degrees,
    owner: row.owner,
    purpose: row.purpose,
    publicSignRef: row.public_sign_ref,
    retentionDays: row.retention_days,
    privacyMasks: JSON.parse(row.privacy_masks) as Polygon[],
    watchArea: row.watch_area === null ? null : (JSON.parse(row.watch_area) as Polygon),
    source: row.source,
    snapshotUrl: row.snapshot_url,
    streamUrl: row.stream_url,
    onvifUrl: row.onvif_url,
    credentialsSealed: row.credentials_sealed,
    pullEverySeconds: row.pull_every_seconds,
    nextPullAt: row.next_pull_at,
    lastPullAt: row.last_pull_at,
    lastPullError: row.last_pull_error,
    pushKeyHash: row.push_key_hash,
    enabled: row.enabled === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toColumns(changes: CameraChanges): Partial<MonitoringCameraTable> {
  const columns: Partial<MonitoringCameraTable> = {};
  const set = <K extends keyof MonitoringCameraTable>(key: K, value: MonitoringCameraTable[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  if (changes.placement) Object.assign(columns, placedColumns(changes.placement));
  set('name', changes.name);
  set('latitude', changes.latitude);
  set('longitude', changes.longitude);
  set('direction_degrees', changes.directionDegrees);
  set('owner', changes.owner);
  set('purpose', changes.purpose);
  set('public_sign_ref', changes.publicSignRef);
  set('retention_days', changes.retentionDays);
  set('privacy_masks', changes.privacyMasks && JSON.stringify(changes.privacyMasks));
  set('watch_area', changes.watchArea === undefined ? undefined : changes.watchArea && JSON.stringify(changes.watchArea));
  set('source', changes.source);
  set('snapshot_url', changes.snapshotUrl);
  set('stream_url', changes.streamUrl);
  set('onvif_url', changes.onvifUrl);
  set('credentials_sealed', changes.credentialsSealed);
  set('pull_every_seconds', changes.pullEverySeconds);
  set('next_pull_at', changes.nextPullAt);
  set('last_pull_at', changes.lastPullAt);
  set('last_pull_error', changes.lastPullError);
  set('push_key_hash', changes.pushKeyHash);
  set('enabled', changes.enabled === undefined ? undefined : changes.enabled ? 1 : 0);
  set('updated_at', changes.updatedAt);
  return columns;
}

export async function insertCamera(db: Kysely<DB>, camera: CameraRecord): Promise<CameraRecord> {
  const { id, createdBy, createdAt, ...rest } = camera;
  await db
    .insertInto('monitoring_cameras')
    .values({ ...(toColumns(rest) as MonitoringCameraTable), id, created_by: createdBy, created_at: createdAt })
    .execute();
  return camera;
}

export async function findCamera(db: Kysely<DB>, id: string): Promise<CameraRecord | undefined> {
  const row = await db.selectFrom('monitoring_cameras').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function updateCamera(db: Kysely<DB>, id: string, changes: CameraChanges): Promise<void> {
  const columns = toColumns(changes);
  if (Object.keys(columns).length === 0) return;
  await db.updateTable('monitoring_cameras').set(columns).where('id', '=', id).execute();
}

/**
 * The cameras a caller sees: those of the places it may manage, and those of the places it may
 * view except elders' homes (camera-access.ts).
 */
function visible(scopes: { manage: Scope; view: Scope }) {
  return sql<boolean>`(${inScope(scopes.manage, { table: 'monitoring_cameras' })} or (${inScope(scopes.view, {
    table: 'monitoring_cameras',
  })} and monitoring_cameras.purpose <> 'eldersHome'))`;
}

export async function listCameras(
  db: Kysely<DB>,
  scopes: { manage: Scope; view: Scope },
  filter: { regionColumn?: 'county_id' | 'township_id' | 'village_id' | 'region_id'; regionId?: string },
  after: readonly [string] | undefined,
  limit: number,
): Promise<CameraRecord[]> {
  let query = db.selectFrom('monitoring_cameras').selectAll().where(visible(scopes));
  if (filter.regionColumn && filter.regionId) query = query.where(filter.regionColumn, '=', filter.regionId);
  const rows = await keysetPage(query, [['monitoring_cameras.id', 'asc']], after, limit).execute();
  return rows.map(toRecord);
}

/** Cameras whose next pull is due, oldest due first. */
export async function duePullCameras(db: Kysely<DB>, now: number, limit: number): Promise<CameraRecord[]> {
  const rows = await db
    .selectFrom('monitoring_cameras')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_pull_at', '<=', now)
    .where('source', '<>', 'push')
    .orderBy('next_pull_at')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Every camera's id and retention, for the retention job. */
export async function retentionOfCameras(db: Kysely<DB>): Promise<{ id: string; retentionDays: number }[]> {
  const rows = await db.selectFrom('monitoring_cameras').select(['id', 'retention_days']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, retentionDays: r.retention_days }));
}

export async function camerasByIds(db: Kysely<DB>, ids: string[]): Promise<CameraRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('monitoring_cameras').selectAll().where('id', 'in', ids).execute();
  return rows.map(toRecord);
}

export async function visibleCameras(db: Kysely<DB>, scopes: { manage: Scope; view: Scope }, limit: number): Promise<CameraRecord[]> {
  const rows = await db.selectFrom('monitoring_cameras').selectAll().where(visible(scopes)).orderBy('id').limit(limit).execute();
  return rows.map(toRecord);
}
