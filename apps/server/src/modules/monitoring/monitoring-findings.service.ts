// Findings of change detection and what a cadre does with them. A finding becomes a case (cases'
// createCaseFromFinding: category 乱搭乱建, source camera, the camera's place, before and after
// pictures). A cadre of the camera's place (monitoring.manage, decided once over every role held)
// either accepts the new scene as the camera's baseline, giving a reason (the finding closes as scene
// accepted, the tracker starts again, the case is closed with that reason in its history) or
// confirms the finding (the case goes on; the confirmation and its note go into the case's
// history). Both take an Idempotency-Key; refusals are 4xx and audited, like every look at a picture.

import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { closeCaseForAcceptedScene, createCaseFromFinding, findingCases, recordFindingConfirmed } from '../cases/case-camera.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import { cameraScopes, mayManageCamera, mayViewCamera } from './camera-access.ts';
import { startTracker } from './detection/persistence.ts';
import type { CameraRecord } from './monitoring-cameras.repository.ts';
import * as detection from './monitoring-detection.repository.ts';
import * as repo from './monitoring-findings.repository.ts';
import { cameraRecord } from './monitoring-snapshots.service.ts';

export type FindingView = repo.FindingRecord & {
  cameraName: string;
  caseNumber: string | null;
  confirmedByName: string | null;
  resolvedByName: string | null;
};

const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Makes `snapshot` a camera's baseline: a copy of its picture, kept apart from retention. */
export async function newBaseline(
  deps: Deps,
  camera: { id: string },
  snapshot: { id: string; capturedAt: number },
  image: Buffer,
  how: { reason: detection.BaselineReason; findingId: string | null; acceptedBy: string | null },
): Promise<detection.BaselineRecord> {
  const now = deps.now();
  const id = uuidv7(now);
  const fileKey = `monitoring/${camera.id}/baselines/${id}.jpg`;
  await deps.files.put(fileKey, image);
  return { id, cameraId: camera.id, snapshotId: snapshot.id, capturedAt: snapshot.capturedAt, fileKey, ...how, createdAt: now };
}

/** The finding's case, made once (system use: the detection job, and its sweep after a crash). */
export async function makeCaseOfFinding(deps: Deps, findingId: string): Promise<string | undefined> {
  const finding = await repo.findFinding(deps.db, findingId);
  if (!finding) return undefined;
  if (finding.caseId) return finding.caseId;
  const camera = await cameraRecord(deps, finding.cameraId);
  const before = await deps.files.get(finding.beforeKey);
  const outlined = await deps.files.get(finding.outlinedKey);
  if (!camera || !before || !outlined) return undefined;
  const percent = (finding.changedFraction * 100).toFixed(1);
  const made = await createCaseFromFinding(deps, {
    findingId: finding.id,
    regionId: camera.placement.regionId,
    title: `监控发现疑似乱搭乱建：${camera.name}`.slice(0, 100),
    // Chinese only; the case adds who is to check on site, as it is routed.
    description:
      `摄像头“${camera.name}”在 ${beijing(finding.afterCapturedAt)}（北京时间）起连续 ${finding.snapshotIds.length} 张图片中` +
      `发现同一处新出现的构筑物，约占监控区域的 ${percent}%。附图一为基准画面，附图二为最新画面（红框为变化处）。`,
    latitude: camera.latitude,
    longitude: camera.longitude,
    pictures: [before, outlined],
  });
  await repo.setCase(deps.db, finding.id, made.id, deps.now());
  return made.id;
}

async function views(deps: Deps, items: repo.FindingRecord[]): Promise<FindingView[]> {
  const cameras = new Map<string, CameraRecord | undefined>();
  for (const id of new Set(items.map((f) => f.cameraId))) cameras.set(id, await cameraRecord(deps, id));
  const cases = await findingCases(
    deps,
    items.flatMap((f) => (f.caseId ? [f.caseId] : [])),
  );
  const names = await displayNamesOfUsers(
    deps,
    items.flatMap((f) => [f.confirmedBy, f.resolvedBy].filter((x): x is string => x !== null)),
  );
  return items.map((f) => ({
    ...f,
    cameraName: cameras.get(f.cameraId)?.name ?? '',
    caseNumber: (f.caseId && cases.get(f.caseId)?.number) || null,
    confirmedByName: (f.confirmedBy && names.get(f.confirmedBy)) || null,
    resolvedByName: (f.resolvedBy && names.get(f.resolvedBy)) || null,
  }));
}

/** The finding and its camera, if the caller may see them; a refusal is audited and says only "not found". */
async function visibleFinding(deps: Deps, principal: Principal, actor: Actor, id: string, action: string) {
  const finding = await repo.findFinding(deps.reader, id);
  const camera = finding && (await cameraRecord(deps, finding.cameraId));
  if (!finding || !camera || !mayViewCamera(principal, camera)) {
    await recordAudit(
      deps.db,
      actor,
      {
        action,
        outcome: 'denied',
        targetType: 'finding',
        targetId: id,
        regionId: camera?.placement.regionId ?? null,
        details: { reason: 'not_found' },
      },
      deps.now(),
    );
    throw notFound('finding');
  }
  return { finding, camera };
}

export async function listFindings(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { state?: repo.FindingState; cameraId?: string; limit?: number; cursor?: string },
): Promise<Page<FindingView>> {
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['int', 'text'] as const);
  const rows = await repo.listFindings(deps.reader, cameraScopes(principal).view, query, after, limit);
  await recordAudit(
    deps.db,
    actor,
    { action: 'monitoring.findings.read', targetType: 'finding', details: { count: Math.min(rows.length, limit) } },
    deps.now(),
  );
  const page = toPage(rows, limit, (f) => [f.createdAt, f.id]);
  return { items: await views(deps, page.items), nextCursor: page.nextCursor };
}

export async function getFinding(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<FindingView> {
  const { finding, camera } = await visibleFinding(deps, principal, actor, id, 'monitoring.finding.read');
  await recordAudit(
    deps.db,
    actor,
    { action: 'monitoring.finding.read', targetType: 'finding', targetId: id, regionId: camera.placement.regionId },
    deps.now(),
  );
  return (await views(deps, [finding]))[0] as FindingView;
}

export async function findingImage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  kind: 'before' | 'after' | 'outlined',
): Promise<Buffer> {
  const { finding, camera } = await visibleFinding(deps, principal, actor, id, 'monitoring.finding.view');
  const key = kind === 'before' ? finding.beforeKey : kind === 'after' ? finding.afterKey : finding.outlinedKey;
  const image = await deps.files.get(key);
  if (!image) throw notFound('snapshot');
  await recordAudit(
    deps.db,
    actor,
    { action: 'monitoring.finding.view', targetType: 'finding', targetId: id, regionId: camera.placement.regionId, details: { kind } },
    deps.now(),
  );
  return image;
}

type Decision = 'accept' | 'confirm';

/** Both decisions: access first (404 when the finding is not the caller's to see, 403 when only to see), audited. */
async function decidable(deps: Deps, principal: Principal, actor: Actor, id: string, decision: Decision) {
  const action = `monitoring.finding.${decision}`;
  const seen = await visibleFinding(deps, principal, actor, id, action);
  if (!mayManageCamera(principal, seen.camera)) {
    await recordAudit(
      deps.db,
      actor,
      {
        action,
        outcome: 'denied',
        targetType: 'finding',
        targetId: id,
        regionId: seen.camera.placement.regionId,
        details: { reason: 'forbidden' },
      },
      deps.now(),
    );
    throw forbidden();
  }
  return seen;
}

/** The new scene is lawful or dealt with: it becomes the baseline, the tracker restarts, the case closes. */
export async function acceptScene(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { note?: string },
  idempotencyKey?: string,
): Promise<FindingView> {
  const { finding, camera } = await decidable(deps, principal, actor, id, 'accept');
  // Accepting the scene closes the case: the reason is what its history keeps.
  const note = input.note?.trim() ?? '';
  if (note.length < 2) throw new AppError('reason_required');
  const after = await deps.files.get(finding.afterKey);
  if (!after) throw notFound('snapshot');
  // The picture is copied before the transaction; a refused or replayed attempt leaves only a file.
  const baseline = await newBaseline(deps, camera, { id: finding.afterSnapshotId, capturedAt: finding.afterCapturedAt }, after, {
    reason: 'accepted',
    findingId: id,
    acceptedBy: principal.userId,
  });
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `monitoring.finding.accept:${id}`, payload: input };
  await runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const current = await repo.findFinding(trx, id);
    if (!current || current.state === 'sceneAccepted') throw new AppError('finding_state');
    if (!(await repo.acceptScene(trx, id, { userId: principal.userId, note, now }))) throw new AppError('finding_state');
    await detection.insertBaseline(trx, baseline);
    const state = await detection.findState(trx, camera.id);
    if (state) await detection.saveState(trx, { ...state, baselineId: baseline.id, tracker: startTracker(baseline.id), updatedAt: now });
    if (current.caseId) await closeCaseForAcceptedScene(trx, principal, actor, current.caseId, note, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'monitoring.finding.accept',
        targetType: 'finding',
        targetId: id,
        regionId: camera.placement.regionId,
        details: { baselineId: baseline.id },
      },
      now,
    );
    return { id };
  });
  return views(deps, [(await repo.findFinding(deps.db, id)) as repo.FindingRecord]).then((v) => v[0] as FindingView);
}

/** The change is what the case says: the finding shows the confirmation and the case goes on. */
export async function confirmFinding(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { note?: string },
  idempotencyKey?: string,
): Promise<FindingView> {
  const { camera } = await decidable(deps, principal, actor, id, 'confirm');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `monitoring.finding.confirm:${id}`, payload: input };
  await runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const note = input.note?.trim() || null;
    if (!(await repo.decide(trx, id, { state: 'confirmed', userId: principal.userId, note, now }))) {
      throw new AppError('finding_state');
    }
    const current = await repo.findFinding(trx, id);
    if (current?.caseId) await recordFindingConfirmed(trx, principal, actor, current.caseId, note, now);
    await recordAudit(
      trx,
      actor,
      { action: 'monitoring.finding.confirm', targetType: 'finding', targetId: id, regionId: camera.placement.regionId },
      now,
    );
    return { id };
  });
  return views(deps, [(await repo.findFinding(deps.db, id)) as repo.FindingRecord]).then((v) => v[0] as FindingView);
}
