// Farm cameras watch a household's plot or flock (until the agriculture module has plots and
// flocks of its own: a household and a label, with room for agriculture's id). Their pictures form
// a time-lapse: one a day nearest a chosen hour, paged by day, and every picture of one day. The
// household's members and the cadres of the camera's place see it; every look and every refusal is
// audited. farmTimeLapse is what agriculture will call to feed its farm observations.
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../platform/pagination.ts';
import { getHousehold } from '../org/households.service.ts';
import { cameraScopes, mayManageCamera, mayViewCamera } from './camera-access.ts';
import * as cameras from './monitoring-cameras.repository.ts';
import * as repo from './monitoring-farm.repository.ts';
import * as snapshots from './monitoring-snapshots.repository.ts';
import { beijingDay, dayEnd, dayStart, pickDaily, timeLapseDayProblem } from './time-lapse.ts';

const CHUNK = 1000;
const MAX_CHUNKS = 40;
const DAY_LIMIT = 500;

export type FarmSubjectView = repo.FarmSubjectRecord & { cameraName: string };
export type Frame = { day: string; snapshot: snapshots.SnapshotRecord };

type Entry = { action: string; targetType: string; targetId: string; regionId: string | null };

async function refuse(deps: Deps, actor: Actor, entry: Entry, error: AppError): Promise<never> {
  await recordAudit(deps.db, actor, { ...entry, outcome: 'denied', details: { reason: error.code } }, deps.now());
  throw error;
}

/** A farm camera and its subject, if the caller is of its household or a cadre (or grid worker) of its place. */
async function farmCamera(deps: Deps, principal: Principal, actor: Actor, cameraId: string, action: string) {
  const camera = await cameras.findCamera(deps.reader, cameraId);
  const subject = camera && (await repo.findSubject(deps.reader, camera.id));
  const entry = { action, targetType: 'camera', targetId: cameraId, regionId: camera?.placement.regionId ?? null };
  // The household sees the camera only while it is a farm camera attached to their plot or flock:
  // one turned to another purpose (the market, a road) is no longer theirs to watch.
  const ownHousehold =
    subject !== undefined && camera?.purpose === 'farm' && principal.householdId !== null && principal.householdId === subject.householdId;
  if (!camera || !subject || !(ownHousehold || mayViewCamera(principal, camera))) return refuse(deps, actor, entry, notFound('camera'));
  return { camera, subject, entry };
}

/** A cadre of the camera's place attaches a farm camera to a household's plot or flock. */
export async function setFarmSubject(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  cameraId: string,
  input: { householdId: string; kind: repo.FarmSubjectKind; label: string },
): Promise<FarmSubjectView> {
  const camera = await cameras.findCamera(deps.reader, cameraId);
  const entry = {
    action: 'monitoring.farm.attach',
    targetType: 'camera',
    targetId: cameraId,
    regionId: camera?.placement.regionId ?? null,
  };
  if (!camera || !mayViewCamera(principal, camera)) return refuse(deps, actor, entry, notFound('camera'));
  if (!mayManageCamera(principal, camera)) return refuse(deps, actor, entry, forbidden());
  if (camera.purpose !== 'farm') return refuse(deps, actor, entry, new AppError('camera_not_farm'));
  // The household must be one the cadre may see (org decides), in the camera's village.
  const household = await getHousehold(deps, principal, input.householdId).catch(() => undefined);
  if (!household || (camera.placement.villageId && household.placement.villageId !== camera.placement.villageId)) {
    return refuse(deps, actor, entry, notFound('household'));
  }
  const now = deps.now();
  const existing = await repo.findSubject(deps.reader, camera.id);
  const record: repo.FarmSubjectRecord = {
    cameraId: camera.id,
    householdId: household.id,
    kind: input.kind,
    label: input.label,
    agriSubjectId: existing?.householdId === household.id ? existing.agriSubjectId : null,
    createdBy: existing?.createdBy ?? principal.userId,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveSubject(trx, record);
    await recordAudit(trx, actor, { ...entry, details: { householdId: household.id, kind: input.kind } }, now);
  });
  return { ...record, cameraName: camera.name };
}

export async function removeFarmSubject(deps: Deps, principal: Principal, actor: Actor, cameraId: string): Promise<void> {
  const camera = await cameras.findCamera(deps.reader, cameraId);
  const entry = {
    action: 'monitoring.farm.detach',
    targetType: 'camera',
    targetId: cameraId,
    regionId: camera?.placement.regionId ?? null,
  };
  if (!camera || !mayViewCamera(principal, camera)) return refuse(deps, actor, entry, notFound('camera'));
  if (!mayManageCamera(principal, camera)) return refuse(deps, actor, entry, forbidden());
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.deleteSubject(trx, camera.id))) throw notFound('camera');
    await recordAudit(trx, actor, entry, deps.now());
  });
}

/** The farm subjects a caller sees: their own household's, and those of farm cameras in their places. */
export async function listFarmSubjects(deps: Deps, principal: Principal, query: { householdId?: string }): Promise<FarmSubjectView[]> {
  const own = principal.householdId ? await repo.subjectsOfHousehold(deps.reader, principal.householdId) : [];
  const seen = (await cameras.visibleCameras(deps.reader, cameraScopes(principal), 500)).filter((c) => c.purpose === 'farm');
  const placed = await repo.subjectsOfCameras(
    deps.reader,
    seen.map((c) => c.id),
  );
  const byCamera = new Map([...own, ...placed].map((s) => [s.cameraId, s]));
  const names = new Map(seen.map((c) => [c.id, c.name]));
  for (const id of [...byCamera.keys()]) {
    if (names.has(id)) continue;
    const camera = await cameras.findCamera(deps.reader, id);
    // The household's own subject on a camera no longer kept for farming is not shown.
    if (camera?.purpose !== 'farm') byCamera.delete(id);
    else names.set(id, camera.name);
  }
  return [...byCamera.values()]
    .filter((s) => query.householdId === undefined || s.householdId === query.householdId)
    .map((s) => ({ ...s, cameraName: names.get(s.cameraId) ?? '' }));
}

/** One picture a day nearest `hour`, newest day first; the cursor is the last day shown. */
async function dailyFrames(
  deps: Deps,
  cameraId: string,
  hour: number,
  before: number,
  from: number,
  limit: number,
): Promise<{ frames: Frame[]; more: boolean }> {
  const captures: { id: string; capturedAt: number }[] = [];
  let until = before;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const chunk = await repo.captureTimesBefore(deps.reader, cameraId, until, from, CHUNK);
    captures.push(...chunk);
    const days = new Set(captures.map((c) => beijingDay(c.capturedAt)));
    // Rows come newest first: once a further day has begun, the first `limit + 1` days are whole.
    if (chunk.length < CHUNK || days.size > limit + 1) break;
    until = (chunk[chunk.length - 1] as { capturedAt: number }).capturedAt;
  }
  const picked = pickDaily(captures, hour);
  const page = picked.slice(0, limit);
  const records = new Map(
    (
      await snapshots.findSnapshots(
        deps.reader,
        page.map((p) => p.capture.id),
      )
    ).map((s) => [s.id, s]),
  );
  const frames = page.flatMap((p) => {
    const snapshot = records.get(p.capture.id);
    return snapshot ? [{ day: p.day, snapshot }] : [];
  });
  return { frames, more: picked.length > limit };
}

export async function timeLapse(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  cameraId: string,
  query: { hour?: number; limit?: number; cursor?: string },
): Promise<Page<Frame>> {
  const { camera, entry } = await farmCamera(deps, principal, actor, cameraId, 'monitoring.timelapse.read');
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text'] as const);
  if (after && !/^\d{4}-\d{2}-\d{2}$/.test(after[0])) throw new AppError('validation_failed');
  const before = after ? dayStart(after[0]) : Number.MAX_SAFE_INTEGER;
  const { frames, more } = await dailyFrames(deps, camera.id, query.hour ?? 12, before, 0, limit);
  await recordAudit(deps.db, actor, { ...entry, details: { count: frames.length } }, deps.now());
  const last = frames[frames.length - 1];
  return { items: frames, nextCursor: more && last ? encodeCursor([last.day]) : null };
}

export async function timeLapseDay(deps: Deps, principal: Principal, actor: Actor, cameraId: string, day: string) {
  const { camera, entry } = await farmCamera(deps, principal, actor, cameraId, 'monitoring.timelapse.read');
  // A real calendar day up to today (Beijing); 2099-01-01 or 2026-02-30 is a 400 that names the field only.
  const problem = timeLapseDayProblem(day, deps.now());
  if (problem) throw new AppError('validation_failed', {}, [{ field: 'day', problem }]);
  const start = dayStart(day);
  const items = await snapshots.listSnapshots(deps.reader, camera.id, { from: start, to: dayEnd(day) }, undefined, DAY_LIMIT - 1, 'asc');
  await recordAudit(deps.db, actor, { ...entry, details: { day, count: items.length } }, deps.now());
  return { day, items: items.slice(0, DAY_LIMIT) };
}

/** A picture of the time-lapse, to the household and the place's cadres; audited. */
export async function timeLapseImage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  cameraId: string,
  snapshotId: string,
  variant: 'full' | 'thumb',
): Promise<Buffer> {
  const { camera, entry } = await farmCamera(deps, principal, actor, cameraId, 'monitoring.timelapse.view');
  const snapshot = await snapshots.findSnapshot(deps.reader, snapshotId);
  const picture = { ...entry, targetType: 'snapshot', targetId: snapshotId };
  if (!snapshot || snapshot.cameraId !== camera.id) return refuse(deps, actor, picture, notFound('snapshot'));
  const image = await deps.files.get(variant === 'thumb' ? snapshot.thumbKey : snapshot.fileKey);
  if (!image) throw notFound('snapshot');
  await recordAudit(deps.db, actor, { ...picture, details: { cameraId: camera.id, variant } }, deps.now());
  return image;
}

export type FarmObservationFrame = {
  cameraId: string;
  householdId: string;
  kind: repo.FarmSubjectKind;
  label: string;
  agriSubjectId: string | null;
  day: string;
  snapshotId: string;
  capturedAt: number;
};

/**
 * For the agriculture module (system use; agriculture decides who sees its observations): one
 * picture a day nearest `hour` over [from, to) of every farm camera of a household, or of one
 * camera, oldest first. The pictures themselves: readSnapshot in monitoring-snapshots.service.ts.
 */
export async function farmTimeLapse(
  deps: Deps,
  subject: { householdId: string } | { cameraId: string },
  options: { from: number; to: number; hour?: number; maxDays?: number },
): Promise<FarmObservationFrame[]> {
  const subjects =
    'cameraId' in subject
      ? [await repo.findSubject(deps.reader, subject.cameraId)].filter((s): s is repo.FarmSubjectRecord => s !== undefined)
      : await repo.subjectsOfHousehold(deps.reader, subject.householdId);
  const out: FarmObservationFrame[] = [];
  for (const s of subjects) {
    // A camera turned to another purpose no longer feeds the household's farm observations.
    if ((await cameras.findCamera(deps.reader, s.cameraId))?.purpose !== 'farm') continue;
    const { frames } = await dailyFrames(deps, s.cameraId, options.hour ?? 12, options.to, options.from, options.maxDays ?? 366);
    for (const f of frames.reverse()) {
      out.push({
        cameraId: s.cameraId,
        householdId: s.householdId,
        kind: s.kind,
        label: s.label,
        agriSubjectId: s.agriSubjectId,
        day: f.day,
        snapshotId: f.snapshot.id,
        capturedAt: f.snapshot.capturedAt,
      });
    }
  }
  return out;
}

export type HouseholdFarmCamera = {
  cameraId: string;
  cameraName: string;
  kind: repo.FarmSubjectKind;
  label: string;
  agriSubjectId: string | null;
};

/** The farm cameras attached to a household, for agriculture's farm page (system use; agriculture checks access). */
export async function farmCamerasOfHousehold(deps: Deps, householdId: string): Promise<HouseholdFarmCamera[]> {
  const subjects = await repo.subjectsOfHousehold(deps.reader, householdId);
  const out: HouseholdFarmCamera[] = [];
  for (const s of subjects) {
    const camera = await cameras.findCamera(deps.reader, s.cameraId);
    // A camera turned to another purpose is no longer the household's farm camera.
    if (camera?.purpose !== 'farm') continue;
    out.push({ cameraId: s.cameraId, cameraName: camera.name, kind: s.kind, label: s.label, agriSubjectId: s.agriSubjectId });
  }
  return out;
}

/**
 * Agriculture links a farm camera already attached to this household (on the camera desk) to its
 * own plot or flock, or unlinks it (null). Returns false when the camera is not attached to this
 * household. System use: agriculture decides who may, and audits it.
 */
export async function linkAgriSubject(deps: Deps, cameraId: string, householdId: string, agriSubjectId: string | null): Promise<boolean> {
  const subject = await repo.findSubject(deps.db, cameraId);
  if (!subject || subject.householdId !== householdId) return false;
  return repo.setAgriSubjectId(deps.db, cameraId, agriSubjectId, deps.now());
}
