// Photos of a case: the reporter's, and the handler's before and after. Each upload is checked by
// its content, stripped of metadata, bounded in size and given a thumbnail before it is stored.
import { createHash } from 'node:crypto';
import { allows, type Principal, rolesOf } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import * as events from './case-events.repository.ts';
import * as photos from './case-photos.repository.ts';
import * as repo from './cases.repository.ts';
import { getCase, relationTo } from './cases.service.ts';

export const MAX_PHOTOS_PER_CASE = 20;

export async function addPhoto(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  caseId: string,
  stage: photos.PhotoStage,
  upload: Buffer,
  idempotencyKey?: string,
): Promise<photos.CasePhoto> {
  const caseItem = await getCase(deps, principal, caseId);
  const { kinds } = await relationTo(deps.reader, principal, caseItem);
  // The reporter adds to the report; those handling the case add before and after.
  const mayAdd = stage === 'report' ? kinds.length > 0 : kinds.includes('handler') || kinds.includes('supervisor');
  if (!mayAdd) throw forbidden();
  const photo = await acceptPhoto(upload);
  const uploadHash = createHash('sha256').update(upload).digest('hex');
  const request = {
    principalId: principal.userId,
    key: idempotencyKey,
    operation: `cases.photo:${caseId}`,
    payload: { stage, uploadHash },
  };
  return runIdempotent(deps.db, request, async (trx) => {
    if ((await photos.countPhotos(trx, caseId)) >= MAX_PHOTOS_PER_CASE) throw new AppError('too_many_photos', { max: MAX_PHOTOS_PER_CASE });
    const now = deps.now();
    const id = uuidv7(now);
    const fileKey = `cases/${caseId}/${id}.jpg`;
    const thumbKey = `cases/${caseId}/${id}.thumb.jpg`;
    // Files first: if the transaction then fails, an unreferenced file is left, never a row without its file.
    await deps.files.put(fileKey, photo.full);
    await deps.files.put(thumbKey, photo.thumb);
    const row = {
      id,
      case_id: caseId,
      stage,
      uploaded_by: principal.userId,
      width: photo.width,
      height: photo.height,
      bytes: photo.full.length,
      sha256: photo.sha256,
      file_key: fileKey,
      thumb_key: thumbKey,
      public_key: null,
      public_thumb_key: null,
      created_at: now,
    };
    await photos.insertPhoto(trx, row);
    await events.insertEvent(trx, {
      id: uuidv7(now),
      caseId,
      action: 'addPhoto',
      fromState: caseItem.state,
      toState: caseItem.state,
      actorUserId: principal.userId,
      actorRole: rolesOf(principal).join(','),
      note: null,
      details: { photoId: id, stage },
      at: now,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'case.add_photo', targetType: 'case', targetId: caseId, regionId: caseItem.placement.regionId },
      now,
    );
    return (await photos.findPhoto(trx, caseId, id)) as photos.CasePhoto;
  });
}

export async function listPhotos(deps: Deps, principal: Principal, caseId: string): Promise<photos.CasePhoto[]> {
  await getCase(deps, principal, caseId);
  return photos.listPhotos(deps.reader, caseId);
}

export type Variant = 'full' | 'thumb';

/** The stored picture, to whoever may see the case. */
export async function photoFile(deps: Deps, principal: Principal, caseId: string, photoId: string, variant: Variant): Promise<Buffer> {
  await getCase(deps, principal, caseId);
  const photo = await photos.findPhoto(deps.reader, caseId, photoId);
  if (!photo) throw notFound('photo');
  const file = await deps.files.get(variant === 'thumb' ? photo.thumbKey : photo.fileKey);
  if (!file) throw notFound('photo');
  return file;
}

/** The moderated copy of a published exposure-board photo, to anyone. */
export async function publicPhotoFile(deps: Deps, caseId: string, photoId: string, variant: Variant): Promise<Buffer> {
  const caseItem = await repo.findCase(deps.reader, caseId);
  const photo = caseItem?.publicState === 'published' ? await photos.findPhoto(deps.reader, caseId, photoId) : undefined;
  const key = variant === 'thumb' ? photo?.publicThumbKey : photo?.publicKey;
  const file = key ? await deps.files.get(key) : undefined;
  if (!file) throw notFound('photo');
  return file;
}

export function mayModerate(principal: Principal, caseItem: repo.CaseRecord): boolean {
  return allows(principal, 'cases.supervise', caseItem.placement);
}
