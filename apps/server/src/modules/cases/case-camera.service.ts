// Cases that cameras raise: a lasting change in a camera's watch area (monitoring's change
// detection) becomes a case of category 乱搭乱建 (unauthorisedBuilding), source `camera`, placed
// in the camera's region and routed as the county's category says (the place's grid worker, or a
// department such as the law-enforcement bureau), channel `camera`, with the before and after
// pictures as its report photos. Its text says who is to check on site, as routed. The case's id is
// the finding's, so making it twice makes it once. A cadre's confirmation goes into the case's
// history with their note; when a cadre accepts the new scene as the camera's baseline, the case is
// closed with the reason they gave.
import { FINDING_CASE_CATEGORY_CODE } from '@cunzhi/contracts/case-category-codes';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import { type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import { departmentNames } from '../org/departments.service.ts';
import { gridWorkerOf } from '../org/duty-holders.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as categories from './case-categories.repository.ts';
import * as events from './case-events.repository.ts';
import * as photos from './case-photos.repository.ts';
import { applyToRollups } from './case-rollups.repository.ts';
import { insertRoutedCase } from './case-routing.service.ts';
import { type CaseState, OPEN_STATES } from './case-workflow.ts';
import * as repo from './cases.repository.ts';
import { relationTo } from './cases.service.ts';

/** What a county gets when its first camera finding arrives and it has no such category yet. */
const CAMERA_CATEGORY = {
  code: FINDING_CASE_CATEGORY_CODE,
  // The glossary's word, marked as the cameras' so that the desk tells it from villagers' reports.
  name: '乱搭乱建（摄像头发现）',
  nameEn: 'Unauthorised building (cameras)',
  routeTo: 'grid' as const,
  deadlineHours: 24,
};

export type FindingCaseInput = {
  /** The finding's id, which the case takes as its own. */
  findingId: string;
  regionId: string;
  title: string;
  /** What the camera saw, in Chinese; the sentence saying who checks on site is added here, as the case is routed. */
  description: string;
  latitude: number | null;
  longitude: number | null;
  /** Before (the baseline) and after (with the change outlined), in that order. */
  pictures: Buffer[];
};

export type FindingCase = { id: string; number: string; state: string };

const summary = (c: repo.CaseRecord): FindingCase => ({ id: c.id, number: c.number, state: c.state });

/** The county's camera 乱搭乱建 category, made (routed to the grid) the first time a camera needs it. */
async function cameraCategory(db: Kysely<DB>, countyId: string, now: number): Promise<categories.Category> {
  const existing = (await categories.listCategories(db, countyId)).find((c) => c.code === CAMERA_CATEGORY.code);
  if (existing) return existing;
  const category = { id: uuidv7(now), countyId, ...CAMERA_CATEGORY, departmentId: null, active: true, sortOrder: 100 };
  await categories.insertCategory(db, category, now);
  await recordAudit(db, SYSTEM_ACTOR, { action: 'case.category.save', targetType: 'category', targetId: category.id }, now);
  return category;
}

/** Who is asked to check on site, in the words of the case's routing. */
export function whoChecks(routing: { grid: boolean; gridWorker: boolean; departmentName: string | undefined }): string {
  if (routing.grid) return routing.gridWorker ? '请网格员到现场核实。' : '本地暂无网格员，请乡镇（村）指派人员到现场核实。';
  if (routing.departmentName) return `已交${routing.departmentName}，请到现场核实。`;
  return '请受理人员指派到现场核实。';
}

/** Makes the case of a camera finding once; a second call returns the case made the first time. */
export async function createCaseFromFinding(deps: Deps, input: FindingCaseInput): Promise<FindingCase> {
  const made = await repo.findCase(deps.db, input.findingId);
  if (made) return summary(made);
  const region = await requireRegion(deps, input.regionId);
  const countyId = region.placement.countyId ?? region.id;
  // Read before the transaction: the department's name for the case's text.
  const departments = await departmentNames(deps);
  // Pictures are prepared and written before the transaction (no file I/O inside it).
  const now = deps.now();
  const stored: { id: string; photo: Awaited<ReturnType<typeof acceptPhoto>>; fileKey: string; thumbKey: string }[] = [];
  for (const picture of input.pictures.slice(0, 4)) {
    const photo = await acceptPhoto(picture);
    const id = uuidv7(now);
    const fileKey = `cases/${input.findingId}/${id}.jpg`;
    const thumbKey = `cases/${input.findingId}/${id}.thumb.jpg`;
    await deps.files.put(fileKey, photo.full);
    await deps.files.put(thumbKey, photo.thumb);
    stored.push({ id, photo, fileKey, thumbKey });
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const again = await repo.findCase(trx, input.findingId);
      if (again) return summary(again);
      const category = await cameraCategory(trx, countyId, now);
      const checks = whoChecks({
        grid: category.routeTo === 'grid',
        gridWorker: category.routeTo === 'grid' && (await gridWorkerOf(trx, region.id)) !== undefined,
        departmentName: (category.departmentId && departments.get(category.departmentId)) || undefined,
      });
      const created = await insertRoutedCase(
        trx,
        SYSTEM_ACTOR,
        {
          id: input.findingId,
          source: 'camera',
          channel: 'camera',
          category,
          region,
          title: input.title,
          description: `${input.description}${checks}`.slice(0, 4000),
          latitude: input.latitude,
          longitude: input.longitude,
          reporter: { userId: null, householdId: null, name: null, phone: null, anonymous: false },
          publicState: null,
          createDetails: { source: 'camera', findingId: input.findingId },
        },
        now,
      );
      for (const [i, s] of stored.entries()) {
        await photos.insertPhoto(trx, {
          id: s.id,
          case_id: created.id,
          stage: 'report',
          // No person took these: the camera did (the column holds a user id otherwise).
          uploaded_by: 'system',
          width: s.photo.width,
          height: s.photo.height,
          bytes: s.photo.full.length,
          sha256: s.photo.sha256,
          file_key: s.fileKey,
          thumb_key: s.thumbKey,
          public_key: null,
          public_thumb_key: null,
          created_at: now + i,
        });
      }
      return summary(created);
    });
  } catch (error) {
    // Two runners at once: the other one made it.
    if (!isUniqueViolation(error)) throw error;
    const other = await repo.findCase(deps.db, input.findingId);
    if (!other) throw error;
    return summary(other);
  }
}

/** The number and state of camera cases, for the findings list (no access check: the caller has one). */
export async function findingCases(deps: Deps, caseIds: readonly string[]): Promise<Map<string, FindingCase>> {
  const out = new Map<string, FindingCase>();
  for (const id of new Set(caseIds)) {
    const c = await repo.findCase(deps.reader, id);
    if (c) out.set(id, summary(c));
  }
  return out;
}

/**
 * A cadre accepted the camera's new scene: the change is lawful or already dealt with, so the case
 * is closed with that reason (in the cadre's transaction, `db`). A case already closed stays as it is.
 */
export async function closeCaseForAcceptedScene(
  db: Kysely<DB>,
  principal: Principal,
  actor: Actor,
  caseId: string,
  note: string,
  now: number,
): Promise<FindingCase | undefined> {
  const caseItem = await repo.findCase(db, caseId);
  if (!caseItem) return undefined;
  const { visible } = await relationTo(db, principal, caseItem);
  if (!visible) throw notFound('case');
  const closable: CaseState[] = [...OPEN_STATES, 'replied', 'answeredOnSpot'];
  if (!closable.includes(caseItem.state)) return summary(caseItem);
  if (caseItem.source !== 'camera') throw forbidden();
  const updated = await repo.updateCaseAtVersion(db, caseId, caseItem.version, {
    state: 'closed',
    answered_at: caseItem.answeredAt ?? now,
    closed_at: now,
    updated_at: now,
  });
  if (!updated) return closeCaseForAcceptedScene(db, principal, actor, caseId, note, now);
  await events.insertEvent(db, {
    id: uuidv7(now),
    caseId,
    action: 'close',
    fromState: caseItem.state,
    toState: 'closed',
    actorUserId: actor.userId,
    actorRole: rolesOf(principal).join(','),
    note,
    details: { reason: 'sceneAccepted' },
    at: now,
  });
  await recordAudit(db, actor, { action: 'case.close', targetType: 'case', targetId: caseId, regionId: caseItem.placement.regionId }, now);
  await applyToRollups(db, caseItem, updated);
  return summary(updated);
}

/**
 * A cadre confirmed the camera's finding (in the cadre's transaction, `db`): the case's history
 * says who confirmed it and their note, so whoever handles the case reads it there.
 */
export async function recordFindingConfirmed(
  db: Kysely<DB>,
  principal: Principal,
  actor: Actor,
  caseId: string,
  note: string | null,
  now: number,
): Promise<void> {
  const caseItem = await repo.findCase(db, caseId);
  if (!caseItem) return;
  const { visible } = await relationTo(db, principal, caseItem);
  if (!visible) throw notFound('case');
  if (caseItem.source !== 'camera') throw forbidden();
  await events.insertEvent(db, {
    id: uuidv7(now),
    caseId,
    action: 'confirmFinding',
    fromState: caseItem.state,
    toState: caseItem.state,
    actorUserId: actor.userId,
    actorRole: rolesOf(principal).join(','),
    note,
    details: { findingId: caseId },
    at: now,
  });
}
