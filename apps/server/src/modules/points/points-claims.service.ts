// Claims (积分申请): a household asks for points under a rule, with before and after photos; the
// keeper approves (the points are booked), rejects, or asks for more.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { authorize, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditListUnlessOwn } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { notify } from '../notifications/notifications.service.ts';
import { headNamesOf } from '../org/households.service.ts';
import type { HouseholdPlace } from './points.repository.ts';
import { audit, household, type Idempotent, runBooking } from './points.service.ts';
import * as repo from './points-claims.repository.ts';
import * as ledger from './points-ledger.repository.ts';
import { checkLimits } from './points-ledger.service.ts';
import * as rules from './points-rules.repository.ts';
import { usableRule } from './points-rules.service.ts';

/** A claim with its household head's name, which org keeps. */
export type Claim = repo.ClaimRecord & { headName: string };

/** The head's name beside each claim: one call to org for the whole list. */
async function withHeadNames(deps: Deps, records: repo.ClaimRecord[]): Promise<Claim[]> {
  const names = await headNamesOf(deps, [...new Set(records.map((c) => c.householdId))]);
  return records.map((c) => ({ ...c, headName: names.get(c.householdId) ?? '' }));
}

const headNameOf = async (deps: Deps, householdId: string): Promise<string> =>
  (await headNamesOf(deps, [householdId])).get(householdId) ?? '';

export type ClaimInput = { id?: string; householdId: string; ruleId: string; note?: string };

/** A household asks for points under a rule: filed by a member, or by a cadre or grid worker who saw it. */
export async function fileClaim(deps: Deps, principal: Principal, actor: Actor, input: ClaimInput & Idempotent): Promise<Claim> {
  const { idempotencyKey, ...payload } = input;
  const target = await household(deps, principal, input.householdId);
  authorize(principal, 'points.file', target.placement, 'household');
  const rule = usableRule(await rules.findRule(deps.reader, input.ruleId), target.placement.villageId as string, deps.now());
  if (rule.points <= 0) throw new AppError('wrong_sign');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.claim', payload };
  // Asked before the transaction, so that a replayed request answers with the name it first gave.
  const headName = await headNameOf(deps, target.id);
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = input.id ?? uuidv7(now);
    if (input.id && (await repo.findClaim(trx, input.id))) throw new AppError('id_taken');
    await repo.insertClaim(trx, { id, household: target, ruleId: rule.id, filedBy: principal.userId, note: input.note ?? null }, now);
    await audit(trx, actor, 'points.claim.file', 'pointsClaim', id, target.placement.regionId, now);
    // Read back for what the claim shows beside its own row: the rule's item and points.
    return { ...(await repo.requireClaim(trx, id)), headName };
  });
}

async function visibleClaim(deps: Deps, principal: Principal, id: string): Promise<repo.ClaimRecord> {
  const claim = await repo.findClaim(deps.reader, id);
  if (!claim) throw notFound('claim');
  authorize(principal, 'points.read', claim.placement, 'claim');
  return claim;
}

export async function getClaim(deps: Deps, principal: Principal, id: string) {
  const record = await visibleClaim(deps, principal, id);
  const claim: Claim = { ...record, headName: await headNameOf(deps, record.householdId) };
  return { claim, photos: await repo.listClaimPhotos(deps.reader, id) };
}

/** Before and after photos of what was done; checked, stripped of metadata and thumbnailed like every photo. */
export async function addClaimPhoto(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  claimId: string,
  stage: 'before' | 'after',
  upload: Buffer,
  idempotencyKey?: string,
) {
  const claim = await visibleClaim(deps, principal, claimId);
  authorize(principal, 'points.file', claim.placement, 'claim');
  if (claim.state !== 'submitted' && claim.state !== 'moreInfo') throw new AppError('invalid_transition', {}, { state: claim.state });
  const photo = await acceptPhoto(upload);
  const request = {
    principalId: principal.userId,
    key: idempotencyKey,
    operation: `points.claim.photo:${claimId}`,
    payload: { stage, sha256: photo.sha256 },
  };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    const fileKey = `points/${claimId}/${id}.jpg`;
    const thumbKey = `points/${claimId}/${id}.thumb.jpg`;
    await deps.files.put(fileKey, photo.full);
    await deps.files.put(thumbKey, photo.thumb);
    const stored = await repo.insertClaimPhoto(
      trx,
      { id, claimId, stage, fileKey, thumbKey, width: photo.width, height: photo.height, uploadedBy: principal.userId },
      now,
    );
    await audit(trx, actor, 'points.claim.photo', 'pointsClaim', claimId, claim.placement.regionId, now);
    return stored;
  });
}

export async function claimPhotoFile(deps: Deps, principal: Principal, claimId: string, photoId: string, thumb: boolean): Promise<Buffer> {
  await visibleClaim(deps, principal, claimId);
  const photo = (await repo.listClaimPhotos(deps.reader, claimId)).find((p) => p.id === photoId);
  const file = photo && (await deps.files.get(thumb ? photo.thumbKey : photo.fileKey));
  if (!file) throw notFound('photo');
  return file;
}

export type Review = { decision: 'approve' | 'reject' | 'askMore' | 'resubmit'; reason?: string; note?: string };

/**
 * The keeper approves (the points are booked), rejects with a reason, or asks for more; the filer
 * answers a request for more by resubmitting. Two reviews of one claim at once: one lands.
 */
export async function reviewClaim(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  claimId: string,
  review: Review & Idempotent,
): Promise<Claim> {
  const { idempotencyKey, ...payload } = review;
  const claim = await visibleClaim(deps, principal, claimId);
  if (review.decision === 'resubmit') authorize(principal, 'points.file', claim.placement, 'claim');
  else authorize(principal, 'points.keep', claim.placement, 'claim');
  if ((review.decision === 'reject' || review.decision === 'askMore') && !review.reason?.trim()) throw new AppError('reason_required');
  const from = review.decision === 'resubmit' ? ['moreInfo'] : ['submitted', 'moreInfo'];
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `points.review:${claimId}`, payload };
  const headName = await headNameOf(deps, claim.householdId);
  return runBooking(deps.db, request, async (trx) => {
    const now = deps.now();
    const current = await repo.requireClaim(trx, claimId);
    if (!from.includes(current.state)) throw new AppError('invalid_transition', {}, { state: current.state, action: review.decision });
    const target: HouseholdPlace = { id: current.householdId, placement: current.placement };
    let changes: repo.ClaimChanges;
    if (review.decision === 'approve') {
      // The rule as it is now: one made inactive, out of its dates or turned into a deduction since the
      // claim was filed grants nothing (security recheck: a rule flipped to -1000 took a balance to -995).
      const rule = usableRule(await rules.findRule(trx, current.ruleId), current.placement.villageId as string, now);
      if (rule.points <= 0) throw new AppError('wrong_sign');
      if (rule.evidenceRequired && current.photoCount === 0) throw new AppError('evidence_required');
      const seq = await ledger.holdAccount(trx, target, now);
      await checkLimits(trx, rule, current.householdId, now);
      const entry = await ledger.book(trx, {
        seq,
        household: target,
        amount: rule.points,
        kind: 'grant',
        rule,
        claimId,
        note: review.note ?? current.note,
        actorUserId: principal.userId,
        at: now,
      });
      changes = { state: 'approved', reviewedBy: principal.userId, reviewedAt: now, ledgerId: entry.id };
    } else if (review.decision === 'resubmit') {
      changes = { state: 'submitted', note: review.note ?? current.note };
    } else {
      changes = {
        state: review.decision === 'reject' ? 'rejected' : 'moreInfo',
        reason: review.reason,
        reviewedBy: principal.userId,
        reviewedAt: now,
      };
    }
    if (!(await repo.updateClaimAtVersion(trx, claimId, current.version, changes, now))) throw new AppError('case_busy');
    await audit(trx, actor, `points.claim.${review.decision}`, 'pointsClaim', claimId, current.placement.regionId, now);
    if (review.decision !== 'resubmit') await tellFiler(trx, current, review, now);
    return { ...(await repo.requireClaim(trx, claimId)), headName };
  });
}

async function tellFiler(db: Kysely<DB>, claim: repo.ClaimRecord, review: Review, now: number) {
  const messages = {
    approve: [
      `您的积分申请“${claim.ruleItem}”已通过，获得${claim.points}分。`,
      `Your claim "${claim.ruleItem}" was approved: ${claim.points} points.`,
    ],
    reject: [`您的积分申请“${claim.ruleItem}”未通过：${review.reason}`, `Your claim "${claim.ruleItem}" was rejected: ${review.reason}`],
    askMore: [
      `您的积分申请“${claim.ruleItem}”需要补充材料：${review.reason}`,
      `Your claim "${claim.ruleItem}" needs more: ${review.reason}`,
    ],
  } as const;
  const [zh, en] = messages[review.decision as keyof typeof messages];
  await notify(db, { userId: claim.filedBy }, { topic: 'points.claim', subjectType: 'pointsClaim', subjectId: claim.id, zh, en }, now);
}

export async function listClaims(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { state?: string; householdId?: string; limit?: number; cursor?: string },
): Promise<Page<Claim>> {
  const limit = query.limit ?? 20;
  const rows = await repo.listClaims(deps.reader, {
    scope: scopeFor(principal, 'points.read'),
    states: query.state ? [query.state] : undefined,
    householdId: query.householdId,
    after: decodeCursor(query.cursor, ['text']),
    limit,
  });
  const page = toPage(await withHeadNames(deps, rows), limit, (c) => [c.id]);
  await auditListUnlessOwn(deps, principal, actor, 'points.claim.list', page.items);
  return page;
}
