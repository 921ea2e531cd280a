// Registering and changing cameras. The push key is made here, shown once and kept as its hash;
// the camera's user name and password are sealed and never shown again; a pull address outside
// the camera networks is refused before anything is stored, and the refusal is audited.
import { randomBytes } from 'node:crypto';
import { type CameraInput, type CameraPatch, PUBLIC_CAMERA_PURPOSES } from '@cunzhi/contracts/monitoring';
import { placementColumn } from '../../db/scope-filter.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { hashToken } from '../../platform/tokens.ts';
import { requireRegion } from '../org/regions.service.ts';
import { cameraScopes, mayManageCamera, mayViewCamera } from './camera-access.ts';
import { CameraFetchError, parseCameraUrl } from './camera-fetch.ts';
import { cameraNetworks, checkedAddress } from './camera-network.ts';
import type { Credentials } from './digest-auth.ts';
import * as repo from './monitoring-cameras.repository.ts';
import { parseRtspUrl } from './rtsp-grab.ts';
import type { Polygon } from './snapshot-image.ts';

const DEFAULT_PULL_SECONDS = 60;

export const newPushKey = () => `cam_${randomBytes(24).toString('base64url')}`;

/** The camera as its caller may see it: 404 for a camera outside the caller's places. */
export async function getCamera(deps: Deps, principal: Principal, id: string): Promise<repo.CameraRecord> {
  const camera = await repo.findCamera(deps.reader, id);
  if (!camera || !mayViewCamera(principal, camera)) throw notFound('camera');
  return camera;
}

async function cameraToManage(deps: Deps, principal: Principal, id: string): Promise<repo.CameraRecord> {
  const camera = await repo.findCamera(deps.db, id);
  if (!camera) throw notFound('camera');
  if (!mayManageCamera(principal, camera)) {
    if (mayViewCamera(principal, camera)) throw forbidden();
    throw notFound('camera');
  }
  return camera;
}

export async function listCameras(
  deps: Deps,
  principal: Principal,
  query: { regionId?: string; limit?: number; cursor?: string },
): Promise<Page<repo.CameraRecord>> {
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text'] as const);
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const filter = region ? { regionColumn: placementColumn(region), regionId: region.id } : {};
  const rows = await repo.listCameras(deps.reader, cameraScopes(principal), filter, after, limit);
  return toPage(rows, limit, (c) => [c.id]);
}

type SourceFields = Pick<repo.CameraRecord, 'source' | 'snapshotUrl' | 'streamUrl' | 'onvifUrl' | 'pullEverySeconds'>;

/** The address the source needs is there and inside the camera networks; else why not. */
async function sourceProblem(deps: Deps, fields: SourceFields): Promise<'camera_source_incomplete' | 'camera_address_refused' | undefined> {
  if (fields.source === 'push') return undefined;
  const address = { httpPull: fields.snapshotUrl, rtsp: fields.streamUrl, onvif: fields.onvifUrl }[fields.source];
  if (!address) return 'camera_source_incomplete';
  let url: URL;
  try {
    url = fields.source === 'rtsp' ? parseRtspUrl(address) : parseCameraUrl(address);
  } catch (error) {
    if (error instanceof CameraFetchError) return 'camera_source_incomplete';
    throw error;
  }
  const allowed = await checkedAddress(url, cameraNetworks(deps.config.cameraNetworks));
  return allowed ? undefined : 'camera_address_refused';
}

function checkPublicSign(purpose: repo.CameraRecord['purpose'], publicSignRef: string | null): void {
  if (PUBLIC_CAMERA_PURPOSES.includes(purpose) && !publicSignRef) throw new AppError('public_sign_required');
}

/** A watch area smaller than this share of the picture (about 200 pixels of 1920×1080) watches nothing. */
const MIN_WATCH_AREA = 1e-4;

/** The name and owner say something, and the watch area encloses an area (shoelace formula). */
function checkCameraFields(fields: { name?: string; owner?: string; watchArea?: Polygon | null }): void {
  for (const field of ['name', 'owner'] as const) {
    if (fields[field] !== undefined && fields[field].trim() === '') {
      throw new AppError('camera_name_blank', {}, [{ field, problem: 'empty or only spaces' }]);
    }
  }
  const area = fields.watchArea;
  if (!area) return;
  let twice = 0;
  for (let i = 0; i < area.length; i++) {
    const [x1, y1] = area[i] as [number, number];
    const [x2, y2] = area[(i + 1) % area.length] as [number, number];
    twice += x1 * y2 - x2 * y1;
  }
  if (Math.abs(twice) / 2 < MIN_WATCH_AREA) throw new AppError('watch_area_empty', {}, [{ field: 'watchArea', problem: 'no area' }]);
}

const seal = (deps: Deps, credentials: Credentials) => deps.vault.sealSecret(JSON.stringify(credentials));

export function openCredentials(deps: Deps, camera: Pick<repo.CameraRecord, 'credentialsSealed'>): Credentials | null {
  return camera.credentialsSealed ? (JSON.parse(deps.vault.openSecret(camera.credentialsSealed)) as Credentials) : null;
}

const SOURCE_FIELD = { push: 'source', httpPull: 'snapshotUrl', rtsp: 'streamUrl', onvif: 'onvifUrl' } as const;

async function refuseSource(
  deps: Deps,
  actor: Actor,
  audit: { action: string; cameraId: string | null; regionId: string },
  source: SourceFields['source'],
  reason: NonNullable<Awaited<ReturnType<typeof sourceProblem>>>,
): Promise<never> {
  await recordAudit(
    deps.db,
    actor,
    {
      action: audit.action,
      outcome: 'denied',
      targetType: 'camera',
      targetId: audit.cameraId,
      regionId: audit.regionId,
      details: { reason },
    },
    deps.now(),
  );
  if (reason === 'camera_address_refused') throw new AppError(reason);
  throw new AppError('validation_failed', {}, [
    {
      field: SOURCE_FIELD[source],
      problem: 'this way of arrival needs its address: http(s):// (rtsp:// for RTSP), without user name or password',
    },
  ]);
}

export async function registerCamera(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: CameraInput,
): Promise<{ camera: repo.CameraRecord; pushKey: string }> {
  const region = await requireRegion(deps, input.regionId);
  authorize(principal, 'monitoring.manage', region.placement, 'region');
  checkCameraFields({ name: input.name, owner: input.owner, watchArea: input.watchArea as Polygon | undefined });
  checkPublicSign(input.purpose, input.publicSignRef ?? null);
  const now = deps.now();
  const pulls = input.source !== 'push';
  const fields: SourceFields = {
    source: input.source,
    snapshotUrl: input.snapshotUrl ?? null,
    streamUrl: input.streamUrl ?? null,
    onvifUrl: input.onvifUrl ?? null,
    pullEverySeconds: pulls ? (input.pullEverySeconds ?? DEFAULT_PULL_SECONDS) : null,
  };
  const problem = await sourceProblem(deps, fields);
  if (problem)
    await refuseSource(deps, actor, { action: 'monitoring.camera.register', cameraId: null, regionId: region.id }, input.source, problem);
  const pushKey = newPushKey();
  const camera: repo.CameraRecord = {
    id: uuidv7(now),
    name: input.name,
    placement: region.placement,
    latitude: input.latitude,
    longitude: input.longitude,
    directionDegrees: input.directionDegrees,
    owner: input.owner,
    purpose: input.purpose,
    publicSignRef: input.publicSignRef ?? null,
    retentionDays: input.retentionDays,
    privacyMasks: input.privacyMasks as Polygon[],
    watchArea: (input.watchArea as Polygon | undefined) ?? null,
    ...fields,
    credentialsSealed: input.credentials ? seal(deps, input.credentials) : null,
    nextPullAt: pulls ? now : null,
    lastPullAt: null,
    lastPullError: null,
    pushKeyHash: hashToken(pushKey),
    enabled: input.enabled ?? true,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertCamera(trx, camera);
    await recordAudit(
      trx,
      actor,
      {
        action: 'monitoring.camera.register',
        targetType: 'camera',
        targetId: camera.id,
        regionId: region.id,
        details: { purpose: camera.purpose, source: camera.source },
      },
      now,
    );
  });
  return { camera, pushKey };
}

export async function changeCamera(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  patch: CameraPatch,
): Promise<repo.CameraRecord> {
  const camera = await cameraToManage(deps, principal, id);
  checkCameraFields({ name: patch.name, owner: patch.owner, watchArea: patch.watchArea as Polygon | null | undefined });
  const now = deps.now();
  const changes: repo.CameraChanges = {};
  const keys = Object.keys(patch) as (keyof CameraPatch)[];
  for (const key of keys) {
    if (key === 'credentials') continue;
    (changes as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.credentials !== undefined) changes.credentialsSealed = patch.credentials ? seal(deps, patch.credentials) : null;
  const merged = { ...camera, ...changes };
  checkPublicSign(merged.purpose, merged.publicSignRef);
  const pulls = merged.source !== 'push';
  if (pulls && merged.pullEverySeconds === null) changes.pullEverySeconds = merged.pullEverySeconds = DEFAULT_PULL_SECONDS;
  if (!pulls) changes.pullEverySeconds = merged.pullEverySeconds = null;
  const sourceChanged = ['source', 'snapshotUrl', 'streamUrl', 'onvifUrl'].some((k) => k in patch);
  if (sourceChanged) {
    const problem = await sourceProblem(deps, merged);
    if (problem) {
      const audit = { action: 'monitoring.camera.update', cameraId: camera.id, regionId: camera.placement.regionId };
      await refuseSource(deps, actor, audit, merged.source, problem);
    }
  }
  // A new address or a camera switched back on is tried at once; a push camera is never pulled.
  if (sourceChanged || patch.enabled === true || 'pullEverySeconds' in patch) changes.nextPullAt = pulls ? now : null;
  if (sourceChanged || patch.credentials !== undefined) changes.lastPullError = null;
  changes.updatedAt = now;
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateCamera(trx, id, changes);
    await recordAudit(
      trx,
      actor,
      {
        action: 'monitoring.camera.update',
        targetType: 'camera',
        targetId: id,
        regionId: camera.placement.regionId,
        // Which fields changed, never their values (credentials above all).
        details: { fields: keys },
      },
      now,
    );
  });
  return (await repo.findCamera(deps.db, id)) as repo.CameraRecord;
}

/** A new push key replaces the old one at once; shown once. */
export async function rotatePushKey(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<string> {
  const camera = await cameraToManage(deps, principal, id);
  const pushKey = newPushKey();
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateCamera(trx, id, { pushKeyHash: hashToken(pushKey), updatedAt: now });
    await recordAudit(
      trx,
      actor,
      { action: 'monitoring.camera.rotate_key', targetType: 'camera', targetId: id, regionId: camera.placement.regionId },
      now,
    );
  });
  return pushKey;
}
