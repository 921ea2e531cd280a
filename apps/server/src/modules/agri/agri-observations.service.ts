// Observations of a farm from the household, the extension worker or the farm cameras: photos,
// growth stage, pests and diseases (the county list), deaths, yields and sales with prices. A
// photo is uploaded first (checked by content, re-encoded without metadata) and named by the
// observation; a bad observation stores nothing. A camera's picture becomes an observation of
// source 'camera' referencing the snapshot, through the monitoring service.
import type { CameraObservationInput, ObservationInput } from '@cunzhi/contracts/agri-farms';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { hasPermission, type Placement, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { farmCamerasOfHousehold, farmTimeLapse } from '../monitoring/monitoring-farm.service.ts';
import { readSnapshot } from '../monitoring/monitoring-snapshots.service.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import { checkPastDate, farmHousehold, isCalendarDate, isExtensionWorker, scopeWithin, todayIn } from './agri-access.ts';
import * as farms from './agri-farms.repository.ts';
import { requireSubject } from './agri-farms.service.ts';
import * as repo from './agri-observations.repository.ts';
import { checkPlausible } from './agri-plausible.ts';

export type { ObservationRecord, PhotoRecord } from './agri-observations.repository.ts';

/** A photo for an observation, a question or an advice rule; attached when that is saved. */
export async function uploadPhoto(deps: Deps, principal: Principal, actor: Actor, data: Buffer, key?: string): Promise<repo.PhotoRecord> {
  if (!hasPermission(principal, 'agri.farm') && !hasPermission(principal, 'agri.advise')) throw forbidden();
  const photo = await acceptPhoto(data);
  const now = deps.now();
  const id = uuidv7(now);
  const record: repo.PhotoRecord = {
    id,
    uploadedBy: principal.userId,
    fileKey: `agri/photos/${id}.jpg`,
    thumbKey: `agri/photos/${id}.thumb.jpg`,
    width: photo.width,
    height: photo.height,
    sha256: photo.sha256,
    attachedType: null,
    attachedId: null,
    householdId: null,
    createdAt: now,
  };
  // Files first, outside the transaction: a retry that finds its first answer leaves an unused file.
  await deps.files.put(record.fileKey, photo.full);
  await deps.files.put(record.thumbKey, photo.thumb);
  const storedId = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key, operation: 'agri.photo.upload', payload: { sha256: photo.sha256 } },
    async (trx) => {
      await repo.insertPhoto(trx, record);
      await recordAudit(trx, actor, { action: 'agri.photo.upload', targetType: 'photo', targetId: id }, now);
      return id;
    },
  );
  return (await repo.findPhotos(deps.db, [storedId]))[0] as repo.PhotoRecord;
}

/** The caller's own photos, not yet attached to anything; a 404 for any other. */
export async function ownFreePhotos(deps: Deps, principal: Principal, ids: readonly string[] | undefined): Promise<string[]> {
  return checkFreePhotos(deps.db, principal, ids);
}

async function checkFreePhotos(db: Kysely<DB>, principal: Principal, ids: readonly string[] | undefined): Promise<string[]> {
  const wanted = [...new Set(ids ?? [])];
  const found = await repo.findPhotos(db, wanted);
  if (found.length !== wanted.length || found.some((p) => p.uploadedBy !== principal.userId || p.attachedId !== null))
    throw notFound('photo');
  return wanted;
}

/**
 * Attaches the caller's own free photos to what they were taken for, inside the write's
 * transaction (so a retried request finds its first answer before the photos are asked about).
 */
export async function claimPhotos(
  trx: Kysely<DB>,
  principal: Principal,
  ids: readonly string[],
  to: { type: string; id: string; householdId: string | null },
): Promise<void> {
  const wanted = await checkFreePhotos(trx, principal, ids);
  if ((await repo.attachPhotos(trx, wanted, to)) !== wanted.length) throw notFound('photo');
}

/**
 * A photo's bytes: to its uploader, and to whoever may read the household it is attached to; an
 * advice rule's pictures to anyone who reads farms (they go out with the advice). Audited.
 */
export async function photoFile(deps: Deps, principal: Principal, actor: Actor, id: string, variant: 'full' | 'thumb'): Promise<Buffer> {
  const photo = (await repo.findPhotos(deps.reader, [id]))[0];
  if (!photo) throw notFound('photo');
  if (photo.uploadedBy !== principal.userId) {
    if (photo.householdId) await farmHousehold(deps, principal, actor, photo.householdId, 'agri.read', 'agri.photo.view');
    else if (photo.attachedType !== 'rule' || !hasPermission(principal, 'agri.read')) throw notFound('photo');
  }
  const data = await deps.files.get(variant === 'thumb' ? photo.thumbKey : photo.fileKey);
  if (!data) throw notFound('photo');
  if (photo.householdId)
    await recordAudit(
      deps.db,
      actor,
      { action: 'agri.photo.view', targetType: 'photo', targetId: id, details: { householdId: photo.householdId } },
      deps.now(),
    );
  return data;
}

const need = (ok: boolean, field: string) => {
  if (!ok) throw new AppError('agri_observation_incomplete', { field });
};

/** What each kind of observation must say, and nothing it must not. */
function checkKind(input: ObservationInput, flock: farms.FlockRecord | undefined): void {
  switch (input.kind) {
    case 'pest':
      need(input.pest !== undefined, 'pest');
      break;
    case 'death':
      need(flock !== undefined, 'flockId');
      need(input.deaths !== undefined, 'deaths');
      if (flock && (input.deaths ?? 0) > flock.headCount) throw new AppError('agri_deaths_exceed_flock', { heads: flock.headCount });
      break;
    case 'yield':
      need(input.quantityKg !== undefined, 'quantityKg');
      break;
    case 'sale':
      need(input.quantityKg !== undefined, 'quantityKg');
      need(input.priceYuanPerKg !== undefined, 'priceYuanPerKg');
      break;
    case 'growth':
      need(input.growthStage !== undefined || (input.photoIds?.length ?? 0) > 0 || (input.note?.trim() ?? '') !== '', 'growthStage');
      break;
  }
}

export async function addObservation(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  householdId: string,
  input: ObservationInput,
  key?: string,
): Promise<repo.ObservationRecord> {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.farm', 'agri.observation.create');
  if ((input.plotId === undefined) === (input.flockId === undefined)) throw new AppError('agri_subject_required');
  const kind = input.plotId ? 'plot' : 'flock';
  const subject = await requireSubject(
    deps,
    principal,
    actor,
    kind,
    (input.plotId ?? input.flockId) as string,
    'agri.farm',
    'agri.observation.create',
  );
  if (subject.record.householdId !== householdId) throw notFound(kind);
  const now = deps.now();
  checkPastDate(input.observedOn, now, 'observedOn');
  checkKind(input, subject.kind === 'flock' ? subject.record : undefined);
  checkPlausible(input, subject.record, subject.kind === 'flock');
  const photoIds = [...new Set(input.photoIds ?? [])];
  const ownHousehold = principal.householdId === householdId;
  const record: repo.ObservationRecord = {
    id: uuidv7(now),
    householdId,
    placement: household.placement,
    plotId: input.plotId ?? null,
    flockId: input.flockId ?? null,
    subjectName: subject.record.name,
    kind: input.kind,
    source: !ownHousehold && isExtensionWorker(principal) ? 'extensionWorker' : 'household',
    observedOn: input.observedOn,
    growthStage: input.growthStage ?? null,
    pest: input.kind === 'pest' ? (input.pest ?? null) : null,
    deaths: input.kind === 'death' ? (input.deaths ?? null) : null,
    quantityKg: input.kind === 'yield' || input.kind === 'sale' ? (input.quantityKg ?? null) : null,
    priceYuanPerKg: input.kind === 'sale' ? (input.priceYuanPerKg ?? null) : null,
    note: input.note?.trim() ?? '',
    photoIds,
    cameraId: null,
    snapshotId: null,
    byUserId: principal.userId,
    byName: principal.displayName,
    createdAt: now,
  };
  const id = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key, operation: 'agri.observation.create', payload: { householdId, input } },
    async (trx) => {
      await repo.insertObservation(trx, record);
      await claimPhotos(trx, principal, photoIds, { type: 'observation', id: record.id, householdId });
      if (record.growthStage) await repo.setGrowthStage(trx, kind, subject.record.id, record.growthStage, now);
      if (record.deaths && record.flockId) {
        // Deaths change the flock: its history shows the head count they took it from and to.
        const heads = await repo.subtractHeads(trx, record.flockId, record.deaths, now);
        if (heads)
          await farms.insertChange(trx, {
            id: uuidv7(now),
            householdId,
            subjectType: 'flock',
            subjectId: record.flockId,
            action: 'changed',
            changes: { headCount: heads },
            byUserId: principal.userId,
            byName: principal.displayName,
            at: now,
          });
      }
      await recordAudit(
        trx,
        actor,
        {
          action: 'agri.observation.create',
          targetType: 'observation',
          targetId: record.id,
          regionId: household.placement.regionId,
          details: { householdId, kind: input.kind },
        },
        now,
      );
      return record.id;
    },
  );
  return (await repo.findObservation(deps.db, id)) as repo.ObservationRecord;
}

/** An observation of source 'camera' from a picture of a farm camera linked to a plot or flock; once per picture. */
export async function addCameraObservation(
  deps: Deps,
  principal: Principal | null,
  actor: Actor,
  householdId: string,
  input: CameraObservationInput,
): Promise<repo.ObservationRecord> {
  const household = principal
    ? await farmHousehold(deps, principal, actor, householdId, 'agri.farm', 'agri.observation.camera')
    : undefined;
  const camera = (await farmCamerasOfHousehold(deps, householdId)).find((c) => c.cameraId === input.cameraId);
  if (!camera) throw notFound('camera');
  const existing = await repo.findBySnapshot(deps.db, input.snapshotId);
  if (existing) return existing;
  const picture = await readSnapshot(deps, input.snapshotId, 'thumb');
  if (!picture || picture.snapshot.cameraId !== camera.cameraId) throw notFound('snapshot');
  if (!camera.agriSubjectId) throw new AppError('agri_subject_required');
  const plot = await farms.findPlot(deps.db, camera.agriSubjectId);
  const flock = plot ? undefined : await farms.findFlock(deps.db, camera.agriSubjectId);
  const subject = plot ?? flock;
  if (!subject || subject.householdId !== householdId) throw new AppError('agri_subject_required');
  const now = deps.now();
  const record: repo.ObservationRecord = {
    id: uuidv7(now),
    householdId,
    placement: household?.placement ?? subject.placement,
    plotId: plot?.id ?? null,
    flockId: flock?.id ?? null,
    subjectName: subject.name,
    kind: input.kind ?? 'growth',
    source: 'camera',
    observedOn: todayIn(picture.snapshot.capturedAt),
    growthStage: input.growthStage ?? null,
    pest: input.pest ?? null,
    deaths: null,
    quantityKg: null,
    priceYuanPerKg: null,
    note: input.note?.trim() ?? '',
    photoIds: [],
    cameraId: camera.cameraId,
    snapshotId: input.snapshotId,
    byUserId: principal?.userId ?? null,
    byName: principal?.displayName ?? camera.cameraName,
    createdAt: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertObservation(trx, record);
    if (record.growthStage) await repo.setGrowthStage(trx, plot ? 'plot' : 'flock', subject.id, record.growthStage, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'agri.observation.camera',
        targetType: 'observation',
        targetId: record.id,
        regionId: record.placement.regionId,
        details: { householdId, snapshotId: input.snapshotId },
      },
      now,
    );
  });
  return record;
}

/**
 * The daily camera observations of a household (the demo and the farm-camera job): one picture a
 * day nearest noon of each camera linked to a plot or flock, over [from, to), each once.
 */
export async function importCameraDays(deps: Deps, householdId: string, from: number, to: number): Promise<number> {
  let made = 0;
  for (const frame of await farmTimeLapse(deps, { householdId }, { from, to })) {
    if (!frame.agriSubjectId || (await repo.findBySnapshot(deps.db, frame.snapshotId))) continue;
    await addCameraObservation(deps, null, SYSTEM_ACTOR, householdId, { cameraId: frame.cameraId, snapshotId: frame.snapshotId });
    made++;
  }
  return made;
}

export async function listObservations(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  householdId: string,
  query: { limit?: number; cursor?: string },
): Promise<Page<repo.ObservationRecord>> {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.read', 'agri.observations.read');
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const rows = await repo.listObservations(deps.reader, householdId, before, limit + 1);
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.observations.read', targetType: 'household', targetId: householdId, regionId: household.placement.regionId },
    deps.now(),
  );
  return toPage(rows, limit, (o) => [o.id]);
}

/**
 * The observations of every farm in the caller's places (the extension worker's township; a cadre's
 * village; one region of them when asked), by kind, pest or disease and observed day, paged by
 * (observedOn, id). The dates are real calendar dates; the look is audited once per page.
 */
export async function listObservationsAcross(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { kind?: string; pest?: string; from?: string; to?: string; limit?: number; cursor?: string },
  region?: Placement,
): Promise<Page<repo.ObservationRecord & { householdNumber: string; headName: string }>> {
  const scope = scopeWithin(principal, 'agri.read', region);
  for (const [field, date] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (date !== undefined && !isCalendarDate(date)) throw new AppError('validation_failed', {}, [{ field, problem: 'not a date' }]);
  }
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text', 'text'] as const);
  const rows = await repo.listObservationsInScope(deps.reader, scope, query, after, limit + 1);
  const page = toPage(rows, limit, (o) => [o.observedOn, o.id]);
  const heads = await householdHeadsOf(deps, [...new Set(page.items.map((o) => o.householdId))]);
  const items = page.items.map((o) => ({
    ...o,
    householdNumber: heads.get(o.householdId)?.number ?? '',
    headName: heads.get(o.householdId)?.headName ?? '',
  }));
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'agri.observations.list',
      targetType: 'region',
      targetId: region?.regionId ?? null,
      regionId: region?.regionId ?? null,
      details: { count: items.length, kind: query.kind ?? null, pest: query.pest ?? null },
    },
    deps.now(),
  );
  return { items, nextCursor: page.nextCursor };
}

/** The camera picture an observation of source 'camera' refers to. */
export async function observationImage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  variant: 'full' | 'thumb',
): Promise<Buffer> {
  const observation = await repo.findObservation(deps.reader, id);
  if (!observation) throw notFound('observation');
  await farmHousehold(deps, principal, actor, observation.householdId, 'agri.read', 'agri.observation.image');
  const picture = observation.snapshotId ? await readSnapshot(deps, observation.snapshotId, variant) : undefined;
  if (!picture) throw notFound('snapshot');
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.observation.image', targetType: 'observation', targetId: id, regionId: observation.placement.regionId },
    deps.now(),
  );
  return picture.image;
}
