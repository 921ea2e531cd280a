// The exposure board (曝光台): reports are public only after a moderator has read them, taken out
// names and phone numbers, and blurred faces and number plates in the photos chosen for the public.
import { type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { blurRegions, type Region, thumbnail } from '../../platform/images.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { redactPersonalData } from '../../platform/redaction.ts';
import { namesInVillage } from '../org/people.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { accountHolderWithdrew } from '../privacy/privacy.service.ts';
import * as events from './case-events.repository.ts';
import * as photos from './case-photos.repository.ts';
import { mayModerate } from './case-photos.service.ts';
import * as repo from './cases.repository.ts';
import { getCase } from './cases.service.ts';

async function knownNames(deps: Deps, caseItem: repo.CaseRecord): Promise<string[]> {
  const names = caseItem.placement.villageId ? await namesInVillage(deps, caseItem.placement.villageId) : [];
  return caseItem.reporterName ? [...names, caseItem.reporterName] : names;
}

async function requireModeratable(deps: Deps, principal: Principal, id: string): Promise<repo.CaseRecord> {
  const caseItem = await getCase(deps, principal, id);
  if (!mayModerate(principal, caseItem)) throw forbidden();
  if (caseItem.publicState === null) throw new AppError('not_on_exposure_board');
  return caseItem;
}

/** What the moderator starts from: the report with known names and all numbers already taken out. */
export async function suggestion(deps: Deps, principal: Principal, id: string): Promise<{ publicTitle: string; publicText: string }> {
  const caseItem = await requireModeratable(deps, principal, id);
  const names = await knownNames(deps, caseItem);
  return {
    publicTitle: caseItem.publicTitle ?? redactPersonalData(caseItem.title, names),
    publicText: caseItem.publicText ?? redactPersonalData(caseItem.description, names),
  };
}

export type ModerationInput = {
  decision: 'publish' | 'reject';
  publicTitle?: string;
  publicText?: string;
  /** The photos to show the public, each with the parts to blur; photos not listed stay private. */
  photos?: { photoId: string; blur: Region[] }[];
  note?: string;
};

export async function moderate(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: ModerationInput,
): Promise<repo.CaseRecord> {
  const caseItem = await requireModeratable(deps, principal, id);
  const names = await knownNames(deps, caseItem);
  const publish = input.decision === 'publish';
  // PIPL art. 15: a reporter who withdrew public-display consent is not shown on the exposure board.
  if (publish && caseItem.reporterUserId && (await accountHolderWithdrew(deps, caseItem.reporterUserId, 'publicDisplay'))) {
    throw new AppError('consent_withdrawn');
  }
  // Whatever the moderator wrote, numbers and known names never reach the public.
  const publicTitle = publish ? redactPersonalData(input.publicTitle ?? caseItem.title, names) : null;
  const publicText = publish ? redactPersonalData(input.publicText ?? caseItem.description, names) : null;
  const all = await photos.listPhotos(deps.reader, id);
  const chosen = publish ? (input.photos ?? []) : [];
  for (const choice of chosen) if (!all.some((p) => p.id === choice.photoId)) throw notFound('photo');
  // Blurred copies are made before the transaction; the originals are never shown to the public.
  const copies = new Map<string, { publicKey: string; publicThumbKey: string }>();
  for (const choice of chosen) {
    const photo = all.find((p) => p.id === choice.photoId) as photos.CasePhoto;
    const original = await deps.files.get(photo.fileKey);
    if (!original) throw notFound('photo');
    const blurred = await blurRegions(original, choice.blur);
    const version = uuidv7(deps.now());
    const keys = { publicKey: `public/${id}/${version}.jpg`, publicThumbKey: `public/${id}/${version}.thumb.jpg` };
    await deps.files.put(keys.publicKey, blurred);
    await deps.files.put(keys.publicThumbKey, await thumbnail(blurred));
    copies.set(photo.id, keys);
  }
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    for (const photo of all) await photos.setPublicCopy(trx, photo.id, copies.get(photo.id) ?? null);
    const moderated = await repo.setModeration(
      trx,
      id,
      { publicState: publish ? 'published' : 'rejected', publicTitle, publicText, moderatedBy: principal.userId },
      now,
    );
    await events.insertEvent(trx, {
      id: uuidv7(now),
      caseId: id,
      action: 'moderate',
      fromState: caseItem.state,
      toState: caseItem.state,
      actorUserId: principal.userId,
      actorRole: 'moderator',
      note: input.note ?? null,
      details: { decision: input.decision, photos: [...copies.keys()] },
      at: now,
    });
    await recordAudit(
      trx,
      actor,
      { action: `case.moderate.${input.decision}`, targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
      now,
    );
    return moderated;
  });
}

export type BoardItem = {
  id: string;
  number: string;
  title: string;
  text: string;
  categoryName: string;
  state: string;
  meTooCount: number;
  createdAt: number;
  closedAt: number | null;
  photoIds: string[];
};

/** The village's published exposure-board reports, newest first, for anyone. */
export async function exposureBoard(deps: Deps, villageId: string, query: { limit?: number; cursor?: string }): Promise<Page<BoardItem>> {
  const village = await requireRegion(deps, villageId).catch(() => undefined);
  if (village?.level !== 'village') throw notFound('region');
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['int', 'text'] as const);
  const rows = await repo.listPublished(deps.reader, village.id, after, limit);
  const published = await photos.listPublishedPhotos(
    deps.reader,
    rows.map((r) => r.id),
  );
  const items = rows.map((c) => ({
    id: c.id,
    number: c.number,
    title: c.publicTitle ?? '',
    text: c.publicText ?? '',
    categoryName: c.categoryName,
    state: c.state,
    meTooCount: c.meTooCount,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
    photoIds: published.filter((p) => p.caseId === c.id).map((p) => p.id),
  }));
  return toPage(items, limit, (item) => [item.createdAt, item.id]);
}

/** Exposure-board reports in the moderator's scope still waiting, oldest first. */
export async function pendingModeration(deps: Deps, principal: Principal, limit = 50): Promise<repo.CaseRecord[]> {
  return repo.listPendingModeration(deps.reader, scopeFor(principal, 'cases.supervise'), limit);
}
