// Pictures coming in and going out. Every picture, however it arrived, goes through storeSnapshot:
// checked by content, masked, re-encoded, written to the file store, recorded and queued for
// change detection in one transaction; then the in-process listeners and the live view are told.
// Every look at a picture is audited, refusals too.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CameraSource, DB } from '../../db/schema.ts';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { processCache } from '../../platform/process-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { cameraScopes, mayViewCamera } from './camera-access.ts';
import * as cameras from './monitoring-cameras.repository.ts';
import { getCamera } from './monitoring-cameras.service.ts';
import * as repo from './monitoring-snapshots.repository.ts';
import { PushThrottle, type ThrottleVerdict, WRONG_KEYS_PER_ADDRESS, WRONG_KEYS_PER_CAMERA } from './push-throttle.ts';
import { DecodeGate, prepareSnapshot } from './snapshot-image.ts';

/** A camera's clock may run this far ahead of the server's before its capture time is refused. */
export const CLOCK_SKEW_MS = 2 * 60_000;
/**
 * How old a pushed picture may say it is: a camera or NVR sends what it buffered through a few days
 * without network, but a capture time is only the camera's word, and pictures stamped further back
 * could be slipped into a past range that the police later ask for.
 */
export const PUSH_BACKLOG_MS = 7 * 24 * 3_600_000;

/** What detection hears after a snapshot is stored (see onSnapshotStored). */
export type SnapshotStored = { snapshotId: string; cameraId: string; capturedAt: number };
type Listener = (stored: SnapshotStored) => void;

const listenersOf = (deps: Deps) => processCache(deps, 'monitoring.snapshotListeners', () => new Set<Listener>());

/**
 * The hook for change detection: `listener` is called in this process after each snapshot is
 * stored (committed), to wake a worker at once. It is a nudge, not the record: every stored
 * snapshot is also in the durable queue (takeQueuedSnapshots / finishQueuedSnapshots), which a
 * detection job drains, so a restart or a listener that throws loses nothing. Returns the unsubscribe.
 */
export function onSnapshotStored(deps: Deps, listener: Listener): () => void {
  const listeners = listenersOf(deps);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Stored snapshots not yet marked done by detection, oldest first (at-least-once). */
export function takeQueuedSnapshots(deps: Deps, limit = 50): Promise<repo.QueuedSnapshot[]> {
  return repo.queuedSnapshots(deps.db, limit);
}

export function finishQueuedSnapshots(deps: Deps, snapshotIds: string[]): Promise<void> {
  return repo.dequeueSnapshots(deps.db, snapshotIds);
}

export type IncomingPicture = {
  data: Buffer;
  source: CameraSource;
  capturedAt: number;
  idempotencyKey?: string;
  /** The capture time as the camera sent it (null: none, the receive time used): what a retry repeats. */
  capturedAtStated?: string | null;
};

/** Two decodes at a time (the server has few cores and other work), six pushes waiting. */
export const decodeGate = (deps: Deps) => processCache(deps, 'monitoring.decodeGate', () => new DecodeGate({ running: 2, waiting: 6 }));

/** Takes a picture of a camera in: the one path every way of arrival ends in. */
export async function storeSnapshot(deps: Deps, camera: cameras.CameraRecord, picture: IncomingPicture): Promise<repo.SnapshotRecord> {
  const prepared = await decodeGate(deps).run(() => prepareSnapshot(picture.data, camera.privacyMasks, deps.config.snapshotLimitBytes), {
    mayQueueBeyondLimit: picture.source !== 'push',
  });
  const request = {
    principalId: `camera:${camera.id}`,
    key: picture.idempotencyKey,
    operation: `monitoring.snapshot:${camera.id}`,
    // A retry repeats what the camera sent; without a capture time that is "none", not the receive time.
    payload: {
      upload: createHash('sha256').update(picture.data).digest('hex'),
      capturedAt: picture.capturedAtStated === undefined ? picture.capturedAt : picture.capturedAtStated,
    },
  };
  // The id this call wrote, if it wrote one: a replay (or a twin that committed first) wrote none.
  let written: string | undefined;
  const snapshot = await runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    written = id;
    const fileKey = `monitoring/${camera.id}/${id}.jpg`;
    const thumbKey = `monitoring/${camera.id}/${id}.thumb.jpg`;
    // Files first: a failed transaction leaves an unreferenced file, never a row without its file.
    await deps.files.put(fileKey, prepared.full);
    await deps.files.put(thumbKey, prepared.thumb);
    return repo.insertSnapshot(trx, {
      id,
      cameraId: camera.id,
      source: picture.source,
      capturedAt: picture.capturedAt,
      receivedAt: now,
      width: prepared.width,
      height: prepared.height,
      bytes: prepared.full.length,
      sha256: prepared.sha256,
      fileKey,
      thumbKey,
      held: false,
    });
  });
  if (written === snapshot.id) announce(deps, camera, snapshot);
  return snapshot;
}

function announce(deps: Deps, camera: cameras.CameraRecord, snapshot: repo.SnapshotRecord): void {
  const stored = { snapshotId: snapshot.id, cameraId: camera.id, capturedAt: snapshot.capturedAt };
  for (const listener of listenersOf(deps)) {
    try {
      listener(stored);
    } catch {
      // A listener's failure is its own; the queue still holds the snapshot.
    }
  }
  deps.events.publish({
    type: 'monitoring.snapshot',
    // Who may see the picture may hear of it: an elder's home camera, its cadres only (camera-access.ts).
    permission: camera.purpose === 'eldersHome' ? 'monitoring.manage' : 'monitoring.view',
    placement: camera.placement,
    data: { cameraId: camera.id, snapshotId: snapshot.id, capturedAt: new Date(snapshot.capturedAt).toISOString() },
  });
}

const sameHash = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Refusals of a push already recorded here, so that the route does not record them twice. */
const recordedRefusals = new WeakSet<object>();

export const isRecordedPushRefusal = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && recordedRefusals.has(error);

/** Records a refused push (what was refused and why, never what was sent) and throws the refusal. */
export async function refusePush(
  deps: Deps,
  actor: Actor,
  cameraId: string,
  error: AppError,
  regionId: string | null = null,
): Promise<never> {
  await recordPushRefusal(deps, actor, cameraId, error.code, regionId);
  recordedRefusals.add(error);
  throw error;
}

const pushThrottle = (deps: Deps) => processCache(deps, 'monitoring.pushThrottle', () => new PushThrottle());

/** 429 with the seconds to wait; recorded once per window and subject (push-throttle.ts). */
async function refuseThrottled(
  deps: Deps,
  actor: Actor,
  cameraId: string | null,
  verdict: Extract<ThrottleVerdict, { throttled: true }>,
  regionId: string | null,
): Promise<never> {
  const error = new AppError('camera_push_throttled', { seconds: verdict.retryAfterSeconds });
  if (verdict.audit) await recordPushRefusal(deps, actor, cameraId, error.code, regionId);
  recordedRefusals.add(error);
  throw error;
}

/** The audit row of a refused push; also for refusals made before the service was reached (a body too large). */
export async function recordPushRefusal(
  deps: Deps,
  actor: Actor,
  cameraId: string | null,
  reason: string,
  regionId: string | null = null,
): Promise<void> {
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'monitoring.snapshot.push',
      outcome: 'denied',
      targetType: 'camera',
      targetId: cameraId,
      regionId,
      details: { reason },
    },
    deps.now(),
  );
}

/** A camera or NVR pushes a picture with its key; every refusal is audited and stores nothing. */
export async function pushSnapshot(
  deps: Deps,
  actor: Actor,
  push: { cameraId: string; key: string | undefined; data: Buffer; capturedAt?: string; idempotencyKey?: string },
): Promise<repo.SnapshotRecord> {
  // Misses (an unknown camera, a wrong key) are counted per address and per camera; past the limit
  // they are answered 429 instead. A right key always gets through (push-throttle.ts says why).
  const throttle = pushThrottle(deps);
  const address = `address:${actor.ip ?? 'unknown'}`;
  const miss = (subjects: [string, number][]) => {
    const now = deps.now();
    const verdicts = subjects.map(([subject, limit]) => throttle.check(subject, limit, now));
    throttle.fail(
      subjects.map(([subject]) => subject),
      now,
    );
    return verdicts.find((v): v is Extract<ThrottleVerdict, { throttled: true }> => v.throttled);
  };
  const camera = await cameras.findCamera(deps.reader, push.cameraId);
  if (!camera) {
    const throttled = miss([[address, WRONG_KEYS_PER_ADDRESS]]);
    if (throttled) return refuseThrottled(deps, actor, push.cameraId, throttled, null);
    return refusePush(deps, actor, push.cameraId, notFound('camera'));
  }
  const regionId = camera.placement.regionId;
  // Hashes of equal length compared in constant time: the answer's timing says nothing of the key.
  if (!push.key || !camera.pushKeyHash || !sameHash(hashToken(push.key), camera.pushKeyHash)) {
    const throttled = miss([
      [address, WRONG_KEYS_PER_ADDRESS],
      [`camera:${camera.id}`, WRONG_KEYS_PER_CAMERA],
    ]);
    if (throttled) return refuseThrottled(deps, actor, camera.id, throttled, regionId);
    return refusePush(deps, actor, camera.id, new AppError('camera_key_invalid'), regionId);
  }
  if (!camera.enabled) return refusePush(deps, actor, camera.id, new AppError('camera_disabled'), regionId);
  const now = deps.now();
  const capturedAt = push.capturedAt === undefined ? now : Date.parse(push.capturedAt);
  if (Number.isNaN(capturedAt)) return refusePush(deps, actor, camera.id, new AppError('validation_failed'), regionId);
  if (capturedAt > now + CLOCK_SKEW_MS) return refusePush(deps, actor, camera.id, new AppError('captured_in_future'), regionId);
  if (capturedAt < now - PUSH_BACKLOG_MS) return refusePush(deps, actor, camera.id, new AppError('captured_too_old'), regionId);
  try {
    return await storeSnapshot(deps, camera, {
      data: push.data,
      source: 'push',
      capturedAt,
      idempotencyKey: push.idempotencyKey,
      capturedAtStated: push.capturedAt ?? null,
    });
  } catch (error) {
    // Refusals (4xx) and a full decoding queue (503 snapshot_busy) are the camera's to hear and ours to record.
    if (error instanceof AppError && (error.status < 500 || error.code === 'snapshot_busy')) {
      return refusePush(deps, actor, camera.id, error, regionId);
    }
    throw error;
  }
}

export async function listSnapshots(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  cameraId: string,
  query: { from?: string; to?: string; limit?: number; cursor?: string },
): Promise<Page<repo.SnapshotRecord>> {
  const camera = await getCamera(deps, principal, cameraId);
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['int', 'text'] as const);
  const range = {
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? undefined : Date.parse(query.to),
  };
  const rows = await repo.listSnapshots(deps.reader, camera.id, range, after, limit);
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'monitoring.snapshots.read',
      targetType: 'camera',
      targetId: camera.id,
      regionId: camera.placement.regionId,
      details: { count: Math.min(rows.length, limit) },
    },
    deps.now(),
  );
  return toPage(rows, limit, (s) => [s.capturedAt, s.id]);
}

/** One picture, to whoever may see its camera; every look and every refusal is audited. */
export async function snapshotImage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  snapshotId: string,
  variant: 'full' | 'thumb',
): Promise<Buffer> {
  const snapshot = await repo.findSnapshot(deps.reader, snapshotId);
  const camera = snapshot && (await cameras.findCamera(deps.reader, snapshot.cameraId));
  const entry = {
    action: 'monitoring.snapshot.view',
    targetType: 'snapshot',
    targetId: snapshotId,
    regionId: camera?.placement.regionId ?? null,
  };
  if (!snapshot || !camera || !mayViewCamera(principal, camera)) {
    await recordAudit(deps.db, actor, { ...entry, outcome: 'denied', details: { reason: 'not_found' } }, deps.now());
    throw notFound('snapshot');
  }
  const file = await deps.files.get(variant === 'thumb' ? snapshot.thumbKey : snapshot.fileKey);
  if (!file) throw notFound('snapshot');
  await recordAudit(deps.db, actor, { ...entry, details: { cameraId: camera.id, variant } }, deps.now());
  return file;
}

/** The newest picture of every camera the caller sees, for the live view (pictures themselves via snapshotImage). */
export async function liveView(deps: Deps, principal: Principal) {
  const seen = await cameras.visibleCameras(deps.reader, cameraScopes(principal), 500);
  const latest = await repo.latestSnapshots(
    deps.reader,
    seen.map((c) => c.id),
  );
  const byCamera = new Map(latest.map((s) => [s.cameraId, s]));
  return seen.map((camera) => ({ camera, latest: byCamera.get(camera.id) ?? null }));
}

/** For change detection and evidence (system use, not a person's look): a stored picture and its record. */
export async function readSnapshot(
  deps: Deps,
  snapshotId: string,
  variant: 'full' | 'thumb' = 'full',
): Promise<{ snapshot: repo.SnapshotRecord; image: Buffer } | undefined> {
  const snapshot = await repo.findSnapshot(deps.reader, snapshotId);
  const image = snapshot && (await deps.files.get(variant === 'thumb' ? snapshot.thumbKey : snapshot.fileKey));
  return snapshot && image ? { snapshot, image } : undefined;
}

/** A camera's record for system use (detection reads its watch area), whoever asks. */
export function cameraRecord(deps: Deps, cameraId: string): Promise<cameras.CameraRecord | undefined> {
  return cameras.findCamera(deps.reader, cameraId);
}

/** A camera's snapshots captured in [from, to), oldest first, for an evidence package (system use). */
export async function snapshotsInRange(
  deps: Deps,
  cameraId: string,
  from: number,
  to: number,
  limit = 10_000,
): Promise<repo.SnapshotRecord[]> {
  return repo.listSnapshots(deps.reader, cameraId, { from, to }, undefined, limit - 1, 'asc');
}

/** Evidence holds: a held snapshot outlives its camera's retention until released. */
export function setSnapshotsHeld(deps: Deps, snapshotIds: string[], held: boolean, db: Kysely<DB> = deps.db): Promise<number> {
  return repo.setHeld(db, snapshotIds, held);
}
