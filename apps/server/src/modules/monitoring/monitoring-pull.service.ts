// Pictures the server fetches itself, on each camera's interval: from a snapshot URL (HTTP with
// Digest or Basic), from the URL ONVIF names, or one frame of an RTSP stream. Every connection is
// fenced to the camera networks (camera-network.ts). A failure is kept on the camera as a short
// code and audited when it changes, so a camera down all night is one audit row, not a thousand.

import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { mayManageCamera } from './camera-access.ts';
import { CameraFetchError, cameraFetch } from './camera-fetch.ts';
import { cameraNetworks, type Resolve } from './camera-network.ts';
import * as cameras from './monitoring-cameras.repository.ts';
import { getCamera, openCredentials } from './monitoring-cameras.service.ts';
import type { SnapshotRecord } from './monitoring-snapshots.repository.ts';
import { storeSnapshot } from './monitoring-snapshots.service.ts';
import { discoverSnapshotUri } from './onvif.ts';
import { grabFrame } from './rtsp-grab.ts';

const HTTP_TIMEOUT_MS = 10_000;
const RTSP_TIMEOUT_MS = 15_000;
/**
 * Cameras pulled per run of the job, this many at a time; the rest wait for the next run (every few
 * seconds). Two rounds of the slowest (RTSP, 15 s) stay well inside the job's one-minute lease.
 */
const PER_RUN = 10;
const AT_ONCE = 5;

export type PullOptions = { resolve?: Resolve };

/** The picture of one camera, fetched the way its source says. */
async function fetchPicture(deps: Deps, camera: cameras.CameraRecord, options: PullOptions): Promise<Buffer> {
  const networks = cameraNetworks(deps.config.cameraNetworks);
  if (networks.empty) throw new CameraFetchError('address_refused');
  const credentials = openCredentials(deps, camera);
  const limits = { networks, resolve: options.resolve, credentials, maxBytes: deps.config.snapshotLimitBytes };
  if (camera.source === 'rtsp') return grabFrame(camera.streamUrl ?? '', { ...limits, timeoutMs: RTSP_TIMEOUT_MS });
  let url = camera.snapshotUrl;
  if (camera.source === 'onvif' && !url) {
    url = await discoverSnapshotUri(camera.onvifUrl ?? '', { ...limits, timeoutMs: HTTP_TIMEOUT_MS, now: deps.now });
    await cameras.updateCamera(deps.db, camera.id, { snapshotUrl: url });
  }
  try {
    return (await cameraFetch(url ?? '', { ...limits, timeoutMs: HTTP_TIMEOUT_MS })).body;
  } catch (error) {
    // The camera may have moved its snapshot: ask ONVIF again next time.
    if (camera.source === 'onvif') await cameras.updateCamera(deps.db, camera.id, { snapshotUrl: null });
    throw error;
  }
}

const reasonOf = (error: unknown): string | undefined =>
  error instanceof CameraFetchError ? error.reason : error instanceof AppError && error.status < 500 ? error.code : undefined;

/** Pulls one camera now; records the outcome on the camera. Throws what went wrong. */
async function pull(deps: Deps, camera: cameras.CameraRecord, actor: Actor, options: PullOptions): Promise<SnapshotRecord> {
  const started = deps.now();
  const nextPullAt = started + (camera.pullEverySeconds ?? 60) * 1000;
  try {
    const data = await fetchPicture(deps, camera, options);
    const snapshot = await storeSnapshot(deps, camera, { data, source: camera.source, capturedAt: deps.now() });
    await cameras.updateCamera(deps.db, camera.id, { lastPullAt: started, nextPullAt, lastPullError: null });
    return snapshot;
  } catch (error) {
    const reason = reasonOf(error);
    if (!reason) {
      await cameras.updateCamera(deps.db, camera.id, { nextPullAt });
      throw error;
    }
    await deps.db.transaction().execute(async (trx) => {
      await cameras.updateCamera(trx, camera.id, { lastPullAt: started, nextPullAt, lastPullError: reason });
      if (reason !== camera.lastPullError || actor !== SYSTEM_ACTOR) {
        await recordAudit(
          trx,
          actor,
          {
            action: 'monitoring.snapshot.pull',
            outcome: 'denied',
            targetType: 'camera',
            targetId: camera.id,
            regionId: camera.placement.regionId,
            details: { reason },
          },
          deps.now(),
        );
      }
    });
    throw error;
  }
}

/** The job: every enabled pull camera whose time has come. Returns how many pictures were stored. */
export async function pullDueCameras(deps: Deps, options: PullOptions = {}): Promise<number> {
  if (deps.config.cameraNetworks.length === 0) return 0;
  const due = await cameras.duePullCameras(deps.db, deps.now(), PER_RUN);
  let stored = 0;
  // A camera's own failure is kept on it; anything else (a database error) is thrown once the
  // others have had their turn, for the job runner to log.
  let unexpected: unknown;
  for (let i = 0; i < due.length; i += AT_ONCE) {
    const outcomes = await Promise.allSettled(due.slice(i, i + AT_ONCE).map((camera) => pull(deps, camera, SYSTEM_ACTOR, options)));
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') stored++;
      else if (!reasonOf(outcome.reason)) unexpected ??= outcome.reason;
    }
  }
  if (unexpected) throw unexpected;
  return stored;
}

/** A cadre's "take a picture now" (and the check that a new camera works): the pull's failure as a clear error. */
export async function pullNow(deps: Deps, principal: Principal, actor: Actor, cameraId: string, options: PullOptions = {}) {
  const camera = await getCamera(deps, principal, cameraId);
  if (!mayManageCamera(principal, camera)) throw forbidden();
  if (camera.source === 'push') {
    throw new AppError('validation_failed', {}, [{ field: 'source', problem: 'a camera that pushes its pictures is not pulled' }]);
  }
  try {
    return await pull(deps, camera, actor, options);
  } catch (error) {
    if (error instanceof CameraFetchError) {
      if (error.reason === 'address_refused' || error.reason === 'redirect_refused') throw new AppError('camera_address_refused');
      throw new AppError('camera_unreachable', { reason: error.reason });
    }
    throw error;
  }
}
