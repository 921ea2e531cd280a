// Change detection off the request path: a job (jobs.ts, under a lease, so one process at a time)
// takes stored snapshots from the durable queue in the order they arrived, compares each with its
// camera's baseline in the worker thread, keeps the camera's persistence tracker in the database,
// and records a finding when a change has lasted N snapshots over the minimum area. Then each new
// finding becomes a case (cases' createCaseFromFinding). At least once, and idempotent: a snapshot
// already compared (monitoring_detections) is only taken off the queue, a finding is unique per
// baseline and after-snapshot, and a finding's case has the finding's id.
// The in-process hook (onSnapshotStored) wakes the job at once instead of at its next tick.
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { processCache } from '../../platform/process-cache.ts';
import { mayManageCamera, mayViewCamera } from './camera-access.ts';
import { type DetectionResult, type PreparedBaseline, prepareBaseline } from './detection/change-detector.ts';
import { DetectionError } from './detection/image-input.ts';
import { DEFAULT_PERSISTENCE, type Finding, observe, startTracker } from './detection/persistence.ts';
import type { Polygon as DetectorPolygon } from './detection/raster.ts';
import { detectionRunner } from './detection-runner.ts';
import { outlineChanges } from './finding-outline.ts';
import type { CameraRecord } from './monitoring-cameras.repository.ts';
import * as repo from './monitoring-detection.repository.ts';
import * as findings from './monitoring-findings.repository.ts';
import { makeCaseOfFinding, newBaseline } from './monitoring-findings.service.ts';
import {
  cameraRecord,
  finishQueuedSnapshots,
  onSnapshotStored,
  readSnapshot,
  takeQueuedSnapshots,
} from './monitoring-snapshots.service.ts';
import type { Polygon } from './snapshot-image.ts';

/** Purposes whose cameras are compared unless a cadre turns it off; the others only when turned on. */
const DETECTED_BY_DEFAULT = new Set(['marketTown', 'publicSecurity']);
const WHOLE_PICTURE: DetectorPolygon = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

const baselinesOf = (deps: Deps) => processCache(deps, 'monitoring.baselines', () => new Map<string, PreparedBaseline>());

/** Starts the detection worker ahead of the first comparison (the demo county's load). */
export function warmDetection(): void {
  detectionRunner.warm();
}

/** Stops the process's detection worker (at shutdown); a later comparison starts it again. */
export function closeDetection(): Promise<void> {
  return detectionRunner.close();
}

const toDetector = (polygon: Polygon): DetectorPolygon => polygon.map(([x, y]) => ({ x, y }));

export function settingsOf(state: repo.DetectionState | undefined) {
  return {
    snapshots: state?.snapshotsToConfirm ?? DEFAULT_PERSISTENCE.snapshots,
    minAreaFraction: state?.minAreaFraction ?? DEFAULT_PERSISTENCE.minAreaFraction,
  };
}

function freshState(camera: CameraRecord, now: number): repo.DetectionState {
  return {
    cameraId: camera.id,
    enabled: DETECTED_BY_DEFAULT.has(camera.purpose),
    snapshotsToConfirm: null,
    minAreaFraction: null,
    baselineId: null,
    tracker: null,
    lastSnapshotId: null,
    lastCapturedAt: null,
    updatedAt: now,
  };
}

async function baselinePlane(deps: Deps, baseline: repo.BaselineRecord): Promise<PreparedBaseline | undefined> {
  const cache = baselinesOf(deps);
  const cached = cache.get(baseline.id);
  if (cached) return cached;
  const image = await deps.files.get(baseline.fileKey);
  if (!image) return undefined;
  const plane = await prepareBaseline(image);
  if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
  cache.set(baseline.id, plane);
  return plane;
}

type Outcome = { outcome: repo.DetectionOutcome; findings: string[] };

/** Compares one queued snapshot; safe to call again for the same snapshot (it then does nothing). */
export async function detectSnapshot(deps: Deps, snapshotId: string, cameraId: string): Promise<Outcome> {
  const none: Outcome = { outcome: 'skipped', findings: [] };
  if (await repo.wasDetected(deps.db, snapshotId)) return none;
  const camera = await cameraRecord(deps, cameraId);
  const stored = camera && (await readSnapshot(deps, snapshotId));
  if (!camera || !stored) return none;
  const state = (await repo.findState(deps.db, camera.id)) ?? freshState(camera, deps.now());
  const record = (outcome: repo.DetectionOutcome, result?: DetectionResult, ms = 0) => ({
    snapshotId,
    cameraId: camera.id,
    baselineId: state.baselineId,
    outcome,
    changedFraction: result?.changedFraction ?? 0,
    regions: result?.regions.length ?? 0,
    ms,
    at: deps.now(),
  });
  if (!state.enabled) {
    await deps.db.transaction().execute(async (trx) => {
      if (await repo.wasDetected(trx, snapshotId)) return;
      await repo.saveState(trx, state);
      await repo.insertDetection(trx, record('skipped'));
    });
    return none;
  }
  const baseline = state.baselineId ? await repo.findBaseline(deps.db, state.baselineId) : undefined;
  const plane = baseline && (await baselinePlane(deps, baseline));
  if (!baseline || !plane) {
    // The camera's first snapshot (or one after its baseline went missing) is its baseline.
    const made = await newBaseline(deps, camera, stored.snapshot, stored.image, { reason: 'first', findingId: null, acceptedBy: null });
    await deps.db.transaction().execute(async (trx) => {
      if (await repo.wasDetected(trx, snapshotId)) return;
      await repo.insertBaseline(trx, made);
      const next = { ...state, baselineId: made.id, tracker: startTracker(made.id), lastSnapshotId: snapshotId };
      await repo.saveState(trx, { ...next, lastCapturedAt: stored.snapshot.capturedAt, updatedAt: deps.now() });
      await repo.insertDetection(trx, { ...record('baseline'), baselineId: made.id });
    });
    return { outcome: 'baseline', findings: [] };
  }
  const started = performance.now();
  let result: DetectionResult;
  try {
    result = await detectionRunner.detect({
      baseline: plane,
      snapshot: new Uint8Array(stored.image),
      watchArea: camera.watchArea ? toDetector(camera.watchArea) : WHOLE_PICTURE,
      privacyMasks: camera.privacyMasks.map(toDetector),
    });
  } catch (error) {
    // A picture the detector cannot compare (another resolution after a camera swap…) is recorded
    // as failed and passed over; a worker that died is retried at the next run.
    if (!(error instanceof DetectionError) || error.code === 'worker_failed' || error.code === 'worker_closed') throw error;
    await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.wasDetected(trx, snapshotId))) await repo.insertDetection(trx, record('failed'));
    });
    return { outcome: 'failed', findings: [] };
  }
  const ms = performance.now() - started;
  const settings = settingsOf(state);
  const tracker = state.tracker?.baselineId === baseline.id ? state.tracker : startTracker(baseline.id);
  const observed = observe(tracker, snapshotId, result, { snapshots: settings.snapshots, minAreaFraction: settings.minAreaFraction });
  const made = await Promise.all(observed.findings.map((f) => findingFiles(deps, camera, baseline, stored, f, result)));
  const written = await deps.db.transaction().execute(async (trx) => {
    if (await repo.wasDetected(trx, snapshotId)) return [];
    // A cadre may have accepted a new baseline (or changed the settings) while the worker compared:
    // their state wins, and what was found against the old baseline is dropped.
    const current = (await repo.findState(trx, camera.id)) ?? state;
    const sameBaseline = current.baselineId === baseline.id;
    await repo.saveState(trx, {
      ...current,
      ...(sameBaseline && { tracker: observed.state }),
      lastSnapshotId: snapshotId,
      lastCapturedAt: stored.snapshot.capturedAt,
      updatedAt: deps.now(),
    });
    await repo.insertDetection(trx, record('compared', result, ms));
    if (!sameBaseline) return [];
    for (const finding of made) {
      await findings.insertFinding(trx, finding);
      await recordAudit(
        trx,
        SYSTEM_ACTOR,
        { action: 'monitoring.finding.create', targetType: 'finding', targetId: finding.id, regionId: finding.placement.regionId },
        finding.createdAt,
      );
    }
    return made.map((f) => f.id);
  });
  for (const id of written) await makeCaseOfFinding(deps, id);
  return { outcome: 'compared', findings: written };
}

/** The finding's own copies of its pictures: before (baseline), after, and after outlined. */
async function findingFiles(
  deps: Deps,
  camera: CameraRecord,
  baseline: repo.BaselineRecord,
  stored: { snapshot: { id: string; capturedAt: number }; image: Buffer },
  finding: Finding,
  result: DetectionResult,
): Promise<findings.FindingRecord> {
  const now = deps.now();
  const id = uuidv7(now);
  const dir = `monitoring/${camera.id}/findings/${id}`;
  const before = await deps.files.get(baseline.fileKey);
  if (!before) throw notFound('snapshot');
  // The persisting change first, then the snapshot's other changed areas.
  const others = result.regions.map((r) => r.box).filter((b) => b.x !== finding.box.x || b.y !== finding.box.y);
  const boxes = [finding.box, ...others];
  await deps.files.put(`${dir}/before.jpg`, before);
  await deps.files.put(`${dir}/after.jpg`, stored.image);
  await deps.files.put(`${dir}/outlined.jpg`, await outlineChanges(stored.image, boxes));
  return {
    id,
    cameraId: camera.id,
    placement: camera.placement,
    baselineId: baseline.id,
    afterSnapshotId: stored.snapshot.id,
    afterCapturedAt: stored.snapshot.capturedAt,
    snapshotIds: finding.snapshotIds,
    boxes,
    changedFraction: finding.areaFraction,
    score: finding.score,
    beforeKey: `${dir}/before.jpg`,
    afterKey: `${dir}/after.jpg`,
    outlinedKey: `${dir}/outlined.jpg`,
    state: 'open',
    caseId: null,
    confirmedBy: null,
    confirmedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    note: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The job: drains the queue in arrival order, a batch at a time, and makes the cases of findings a
 * crash left without one. Returns how many snapshots it took off the queue.
 */
export async function runDetection(deps: Deps, options: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  for (const f of await findings.findingsWithoutCase(deps.db, 20)) await makeCaseOfFinding(deps, f.id);
  let done = 0;
  for (let round = 0; round < (options.maxBatches ?? 20); round++) {
    const queued = await takeQueuedSnapshots(deps, options.batch ?? 20);
    if (queued.length === 0) break;
    for (const q of queued) {
      await detectSnapshot(deps, q.snapshotId, q.cameraId);
      await finishQueuedSnapshots(deps, [q.snapshotId]);
      done++;
    }
  }
  return done;
}

/**
 * Wakes the job when a snapshot is stored, so detection follows ingest within a moment instead of
 * the job's next tick; one run at a time per process. Returns the unsubscribe.
 */
export function wakeDetectionOnIngest(deps: Deps, run: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const go = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void run()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          go();
        }
      });
  };
  return onSnapshotStored(deps, go);
}

export async function detectionStatus(deps: Deps, principal: Principal, cameraId: string) {
  const camera = await cameraRecord(deps, cameraId);
  if (!camera || !mayViewCamera(principal, camera)) throw notFound('camera');
  const state = (await repo.findState(deps.reader, camera.id)) ?? freshState(camera, deps.now());
  const baseline = state.baselineId ? await repo.findBaseline(deps.reader, state.baselineId) : undefined;
  return { camera, state, baseline, queued: await repo.countQueued(deps.reader, camera.id), defaults: DEFAULT_PERSISTENCE };
}

/** A cadre of the camera's place sets N, the minimum area, or turns detection off or on. */
export async function updateDetectionSettings(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  cameraId: string,
  input: { snapshotsToConfirm?: number | null; minAreaFraction?: number | null; enabled?: boolean },
) {
  const camera = await cameraRecord(deps, cameraId);
  if (!camera || !mayViewCamera(principal, camera)) throw notFound('camera');
  const entry = { action: 'monitoring.detection.settings', targetType: 'camera', targetId: camera.id, regionId: camera.placement.regionId };
  if (!mayManageCamera(principal, camera)) {
    await recordAudit(deps.db, actor, { ...entry, outcome: 'denied', details: { reason: 'forbidden' } }, deps.now());
    throw new AppError('forbidden');
  }
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const state = (await repo.findState(trx, camera.id)) ?? freshState(camera, now);
    await repo.saveState(trx, {
      ...state,
      ...(input.snapshotsToConfirm !== undefined && { snapshotsToConfirm: input.snapshotsToConfirm }),
      ...(input.minAreaFraction !== undefined && { minAreaFraction: input.minAreaFraction }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      updatedAt: now,
    });
    await recordAudit(trx, actor, { ...entry, details: input }, now);
  });
  return detectionStatus(deps, principal, camera.id);
}

/** The baseline picture of a camera, to whoever may see the camera; audited. */
export async function baselineImage(deps: Deps, principal: Principal, actor: Actor, cameraId: string): Promise<Buffer> {
  const camera = await cameraRecord(deps, cameraId);
  const entry = {
    action: 'monitoring.baseline.view',
    targetType: 'camera',
    targetId: cameraId,
    regionId: camera?.placement.regionId ?? null,
  };
  if (!camera || !mayViewCamera(principal, camera)) {
    await recordAudit(deps.db, actor, { ...entry, outcome: 'denied', details: { reason: 'not_found' } }, deps.now());
    throw notFound('camera');
  }
  const state = await repo.findState(deps.reader, camera.id);
  const baseline = state?.baselineId ? await repo.findBaseline(deps.reader, state.baselineId) : undefined;
  const image = baseline && (await deps.files.get(baseline.fileKey));
  if (!image) throw notFound('snapshot');
  await recordAudit(deps.db, actor, entry, deps.now());
  return image;
}
