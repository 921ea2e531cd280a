// The points bank (积分银行). Every change of a balance is one ledger entry booked in the same
// transaction as its cause (an approved claim, a deduction, a redemption, a cancellation or a
// reversal); entries are never edited, and a mistake is undone by a reversing entry.
import { allows, authorize, type Principal, rolesOf, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import { notify } from '../../platform/notify.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import { householdPlacement } from '../org/households.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { householdWithdrew } from '../privacy/privacy.service.ts';
import * as repo from './points.repository.ts';

type Idempotent = { idempotencyKey?: string };

async function household(deps: Deps, principal: Principal, id: string): Promise<repo.HouseholdPlace> {
  const placement = await householdPlacement(deps, principal, id);
  if (!placement.villageId) throw new AppError('region_level_mismatch');
  return { id, placement };
}

async function village(deps: Deps, principal: Principal, villageId: string, permission: 'points.read' | 'points.keep' | 'points.rules') {
  const region = await requireRegion(deps, villageId);
  if (region.level !== 'village') throw new AppError('region_level_mismatch');
  // Villagers read their own village's shop and rules; asked to change them, they are refused, not misled.
  const ownVillage =
    principal.householdId !== null && (await householdPlacement(deps, principal, principal.householdId)).villageId === region.id;
  if (permission === 'points.read' && (ownVillage || (await readsGroupsOf(deps, principal, region.id)))) return region;
  if (ownVillage && !allows(principal, permission, region.placement)) throw forbidden();
  authorize(principal, permission, region.placement, 'region');
  return region;
}

/**
 * A role held for a grid or a villager group reaches groups, not the village node: its holder
 * still reads the rules, shop, rankings and figures of the village those groups lie in.
 */
async function readsGroupsOf(deps: Deps, principal: Principal, villageId: string): Promise<boolean> {
  for (const id of scopeFor(principal, 'points.read').regionIds) {
    if ((await requireRegion(deps, id)).placement.villageId === villageId) return true;
  }
  return false;
}

const audit = (
  trx: Parameters<typeof recordAudit>[0],
  actor: Actor,
  action: string,
  targetType: string,
  targetId: string,
  regionId: string,
  now: number,
) => recordAudit(trx, actor, { action, targetType, targetId, regionId }, now);

// ---- Rules ----------------------------------------------------------------------------------

export async function listRules(deps: Deps, principal: Principal, villageId: string): Promise<repo.Rule[]> {
  await village(deps, principal, villageId, 'points.read');
  return repo.listRules(deps.reader, villageId);
}

export async function saveRule(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  target: { villageId: string; id?: string },
  rule: repo.RuleWrite,
): Promise<repo.Rule> {
  const region = await village(deps, principal, target.villageId, 'points.rules');
  const id = target.id ?? uuidv7(deps.now());
  // Two rules of a village with one code would make claims ambiguous: a taken code is the caller's to change (409).
  await explainUniqueViolation('rule_code_taken', () =>
    deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      if (target.id) {
        const existing = await repo.findRule(trx, target.id);
        if (!existing || existing.villageId !== region.id) throw notFound('rule');
        // Entries already booked keep their own amount and item: a changed rule changes only what comes after.
        await repo.updateRule(trx, id, rule, now);
      } else {
        await repo.insertRule(trx, id, region.placement, rule, now);
      }
      await audit(trx, actor, target.id ? 'points.rule.update' : 'points.rule.create', 'pointsRule', id, region.id, now);
    }),
  );
  return (await repo.findRule(deps.db, id)) as repo.Rule;
}

/** A rule a claim or a deduction may use now, in the household's village. */
function usableRule(rule: repo.Rule | undefined, villageId: string, now: number): repo.Rule {
  if (!rule || rule.villageId !== villageId) throw notFound('rule');
  if (!rule.active || (rule.validFrom !== null && now < rule.validFrom) || (rule.validTo !== null && now >= rule.validTo)) {
    throw new AppError('rule_not_usable');
  }
  return rule;
}

/** Per day, per month and per household limits of a rule, counted over grants not undone. */
async function checkLimits(db: Parameters<typeof repo.countGrants>[0], rule: repo.Rule, householdId: string, now: number, adding = 1) {
  const limits: [number | null, number, string, string][] = [
    [rule.limitPerDay, repo.localDayStart(now), '每日', 'daily'],
    [rule.limitPerMonth, repo.monthBounds(repo.localMonth(now))[0], '每月', 'monthly'],
    [rule.limitPerHousehold, 0, '每户累计', 'per-household'],
  ];
  for (const [limit, since, zh, en] of limits) {
    if (limit === null) continue;
    if ((await repo.countGrants(db, householdId, rule.id, since)) + adding > limit) {
      throw new AppError('limit_reached', { limit, periodZh: zh, periodEn: en }, { period: en, limit });
    }
  }
}

// ---- Claims ---------------------------------------------------------------------------------

export type ClaimInput = { id?: string; householdId: string; ruleId: string; note?: string };

/** A household asks for points under a rule: filed by a member, or by a cadre or grid worker who saw it. */
export async function fileClaim(deps: Deps, principal: Principal, actor: Actor, input: ClaimInput & Idempotent): Promise<repo.Claim> {
  const { idempotencyKey, ...payload } = input;
  const target = await household(deps, principal, input.householdId);
  authorize(principal, 'points.file', target.placement, 'household');
  const rule = usableRule(await repo.findRule(deps.reader, input.ruleId), target.placement.villageId as string, deps.now());
  if (rule.points <= 0) throw new AppError('wrong_sign');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.claim', payload };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = input.id ?? uuidv7(now);
    if (input.id && (await repo.findClaim(trx, input.id))) throw new AppError('id_taken');
    await repo.insertClaim(trx, { id, household: target, ruleId: rule.id, filedBy: principal.userId, note: input.note ?? null }, now);
    await audit(trx, actor, 'points.claim.file', 'pointsClaim', id, target.placement.regionId, now);
    return (await repo.findClaim(trx, id)) as repo.Claim;
  });
}

async function visibleClaim(deps: Deps, principal: Principal, id: string): Promise<repo.Claim> {
  const claim = await repo.findClaim(deps.reader, id);
  if (!claim) throw notFound('claim');
  authorize(principal, 'points.read', claim.placement, 'claim');
  return claim;
}

export async function getClaim(deps: Deps, principal: Principal, id: string) {
  const claim = await visibleClaim(deps, principal, id);
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
    await repo.insertClaimPhoto(
      trx,
      { id, claimId, stage, fileKey, thumbKey, width: photo.width, height: photo.height, uploadedBy: principal.userId },
      now,
    );
    await audit(trx, actor, 'points.claim.photo', 'pointsClaim', claimId, claim.placement.regionId, now);
    return { id, claimId, stage, width: photo.width, height: photo.height, createdAt: now };
  });
}

export async function claimPhotoFile(deps: Deps, principal: Principal, claimId: string, photoId: string, thumb: boolean): Promise<Buffer> {
  await visibleClaim(deps, principal, claimId);
  const photo = (await repo.listClaimPhotos(deps.reader, claimId)).find((p) => p.id === photoId);
  const file = photo && (await deps.files.get(thumb ? photo.thumb_key : photo.file_key));
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
): Promise<repo.Claim> {
  const { idempotencyKey, ...payload } = review;
  const claim = await visibleClaim(deps, principal, claimId);
  if (review.decision === 'resubmit') authorize(principal, 'points.file', claim.placement, 'claim');
  else authorize(principal, 'points.keep', claim.placement, 'claim');
  if ((review.decision === 'reject' || review.decision === 'askMore') && !review.reason?.trim()) throw new AppError('reason_required');
  const from = review.decision === 'resubmit' ? ['moreInfo'] : ['submitted', 'moreInfo'];
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `points.review:${claimId}`, payload };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const current = (await repo.findClaim(trx, claimId)) as repo.Claim;
    if (!from.includes(current.state)) throw new AppError('invalid_transition', {}, { state: current.state, action: review.decision });
    const target: repo.HouseholdPlace = { id: current.householdId, placement: current.placement };
    let changes: Parameters<typeof repo.updateClaimAtVersion>[3];
    if (review.decision === 'approve') {
      const rule = (await repo.findRule(trx, current.ruleId)) as repo.Rule;
      if (rule.evidenceRequired && current.photoCount === 0) throw new AppError('evidence_required');
      const seq = await repo.holdAccount(trx, target, now);
      await checkLimits(trx, rule, current.householdId, now);
      const entry = (await repo.book(trx, {
        seq,
        household: target,
        amount: rule.points,
        kind: 'grant',
        rule,
        claimId,
        note: review.note ?? current.note,
        actorUserId: principal.userId,
        at: now,
      })) as repo.LedgerEntry;
      changes = { state: 'approved', reviewed_by: principal.userId, reviewed_at: now, ledger_id: entry.id };
    } else if (review.decision === 'resubmit') {
      changes = { state: 'submitted', note: review.note ?? current.note };
    } else {
      changes = {
        state: review.decision === 'reject' ? 'rejected' : 'moreInfo',
        reason: review.reason,
        reviewed_by: principal.userId,
        reviewed_at: now,
      };
    }
    if (!(await repo.updateClaimAtVersion(trx, claimId, current.version, changes, now))) throw new AppError('case_busy');
    await audit(trx, actor, `points.claim.${review.decision}`, 'pointsClaim', claimId, current.placement.regionId, now);
    if (review.decision !== 'resubmit') await tellFiler(trx, current, review, now);
    return (await repo.findClaim(trx, claimId)) as repo.Claim;
  });
}

async function tellFiler(db: Parameters<typeof notify>[0], claim: repo.Claim, review: Review, now: number) {
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
  query: { state?: string; householdId?: string; limit?: number; cursor?: string },
): Promise<Page<repo.Claim>> {
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.listClaims(deps.reader, {
    scope: scopeFor(principal, 'points.read'),
    states: query.state ? [query.state] : undefined,
    householdId: query.householdId,
    before,
    limit,
  });
  return toPage(rows, limit, (c) => [c.id]);
}

// ---- Direct grants, deductions, reversals ---------------------------------------------------

export type BulkGrant = { ruleId: string; householdIds: string[]; note?: string };

/**
 * Points for many households at once (everyone at the village clean-up): one transaction; a
 * household over the rule's limit is left out and reported, the others are booked.
 */
export async function bulkGrant(deps: Deps, principal: Principal, actor: Actor, input: BulkGrant & Idempotent) {
  const { idempotencyKey, ...payload } = input;
  const targets = await Promise.all([...new Set(input.householdIds)].map((id) => household(deps, principal, id)));
  for (const target of targets) authorize(principal, 'points.keep', target.placement, 'household');
  // Read once: a rule changed meanwhile changes nothing already booked, and the amount booked is the one read here.
  const found = await repo.findRule(deps.reader, input.ruleId);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.bulk', payload };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const booked: repo.LedgerEntry[] = [];
    const skipped: { householdId: string; reason: string }[] = [];
    for (const target of targets) {
      const rule = usableRule(found, target.placement.villageId as string, now);
      if (rule.points <= 0) throw new AppError('wrong_sign');
      const seq = await repo.holdAccount(trx, target, now);
      try {
        await checkLimits(trx, rule, target.id, now);
      } catch (error) {
        if (error instanceof AppError && error.code === 'limit_reached') {
          skipped.push({ householdId: target.id, reason: 'limit_reached' });
          continue;
        }
        throw error;
      }
      const entry = (await repo.book(trx, {
        seq,
        household: target,
        amount: rule.points,
        kind: 'grant',
        rule,
        note: input.note ?? null,
        actorUserId: principal.userId,
        at: now,
      })) as repo.LedgerEntry;
      booked.push(entry);
      await audit(trx, actor, 'points.grant', 'pointsLedger', entry.id, target.placement.regionId, now);
    }
    return { booked, skipped };
  });
}

/** A cadre records a deduction under a negative rule, with a reason; the household may appeal it once. */
export async function deduct(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { householdId: string; ruleId: string; reason: string } & Idempotent,
): Promise<repo.LedgerEntry> {
  const { idempotencyKey, ...payload } = input;
  if (!input.reason.trim()) throw new AppError('reason_required');
  const target = await household(deps, principal, input.householdId);
  authorize(principal, 'points.keep', target.placement, 'household');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.deduct', payload };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const rule = usableRule(await repo.findRule(trx, input.ruleId), target.placement.villageId as string, now);
    if (rule.points >= 0) throw new AppError('wrong_sign');
    const entry = (await repo.book(trx, {
      household: target,
      amount: rule.points,
      kind: 'deduction',
      rule,
      note: input.reason,
      actorUserId: principal.userId,
      at: now,
    })) as repo.LedgerEntry;
    await audit(trx, actor, 'points.deduct', 'pointsLedger', entry.id, target.placement.regionId, now);
    return entry;
  });
}

/** Undoes an entry booked by mistake with a reversing entry of the opposite amount, once. */
export async function reverse(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  entryId: string,
  input: { note: string } & Idempotent,
): Promise<repo.LedgerEntry> {
  const entry = await repo.findEntry(deps.reader, entryId);
  if (!entry) throw notFound('entry');
  authorize(principal, 'points.keep', entry.placement, 'entry');
  if (entry.kind !== 'grant' && entry.kind !== 'deduction') throw new AppError('invalid_transition', {}, { kind: entry.kind });
  const request = {
    principalId: principal.userId,
    key: input.idempotencyKey,
    operation: `points.reverse:${entryId}`,
    payload: { note: input.note },
  };
  return runIdempotent(deps.db, request, async (trx) => reverseIn(trx, principal, actor, entry, input.note, deps.now()));
}

async function reverseIn(
  trx: Parameters<typeof repo.book>[0],
  principal: Principal,
  actor: Actor,
  entry: repo.LedgerEntry,
  note: string,
  now: number,
) {
  if (await repo.isReversed(trx, entry.id)) throw new AppError('already_reversed');
  const reversal = (await repo.book(trx, {
    household: { id: entry.householdId, placement: entry.placement },
    amount: -entry.amount,
    kind: 'reversal',
    reversesId: entry.id,
    note,
    actorUserId: principal.userId,
    at: now,
  })) as repo.LedgerEntry;
  await audit(trx, actor, 'points.reverse', 'pointsLedger', reversal.id, entry.placement.regionId, now);
  return reversal;
}

export async function appealDeduction(deps: Deps, principal: Principal, actor: Actor, entryId: string, reason: string): Promise<void> {
  const entry = await repo.findEntry(deps.reader, entryId);
  if (entry?.kind !== 'deduction') throw notFound('entry');
  authorize(principal, 'points.file', entry.placement, 'entry');
  if (!reason.trim()) throw new AppError('reason_required');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (
      !(await repo.insertAppeal(
        trx,
        { ledgerId: entryId, householdId: entry.householdId, villageId: entry.placement.villageId as string, reason },
        now,
      ))
    ) {
      throw new AppError('already_appealed');
    }
    await audit(trx, actor, 'points.appeal', 'pointsLedger', entryId, entry.placement.regionId, now);
  });
}

/** Upheld, the deduction stands; overturned, it is reversed. */
export async function decideAppeal(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  entryId: string,
  input: { decision: 'uphold' | 'overturn'; note?: string },
): Promise<{ state: string; reversal: repo.LedgerEntry | null }> {
  const entry = await repo.findEntry(deps.reader, entryId);
  if (!entry) throw notFound('entry');
  authorize(principal, 'points.keep', entry.placement, 'entry');
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const state = input.decision === 'overturn' ? 'overturned' : 'upheld';
    if (!(await repo.decideAppeal(trx, entryId, state, principal.userId, input.note ?? null, now))) throw notFound('appeal');
    const reversal = input.decision === 'overturn' ? await reverseIn(trx, principal, actor, entry, input.note ?? '申诉成立', now) : null;
    await audit(trx, actor, `points.appeal.${state}`, 'pointsLedger', entryId, entry.placement.regionId, now);
    return { state, reversal };
  });
}

// ---- Accounts, statements, rankings ---------------------------------------------------------

export async function account(deps: Deps, principal: Principal, householdId: string) {
  const target = await household(deps, principal, householdId);
  authorize(principal, 'points.read', target.placement, 'household');
  const found = await repo.findAccount(deps.reader, householdId);
  const month = repo.localMonth(deps.now());
  const [thisMonth, lastMonth] = await Promise.all([
    statementOf(deps, householdId, month),
    statementOf(deps, householdId, repo.previousMonth(month)),
  ]);
  return { householdId, balance: found?.balance ?? 0, publicName: found?.publicName ?? false, thisMonth, lastMonth };
}

async function statementOf(deps: Deps, householdId: string, month: number) {
  const [from, to] = repo.monthBounds(month);
  const [opening, entries] = await Promise.all([
    repo.balanceBefore(deps.reader, householdId, from),
    repo.listEntries(deps.reader, householdId, from, to),
  ]);
  const sum = (keep: (e: repo.LedgerEntry) => boolean) => entries.filter(keep).reduce((total, e) => total + e.amount, 0);
  return {
    month,
    opening,
    closing: entries.length > 0 ? (entries[entries.length - 1] as repo.LedgerEntry).balanceAfter : opening,
    earned: sum((e) => repo.CONDUCT_KINDS.includes(e.kind as (typeof repo.CONDUCT_KINDS)[number])),
    spent: -sum((e) => e.kind === 'redemption' || e.kind === 'cancellation'),
    entries,
  };
}

/** The monthly statement of a household ("103 points last month"). */
export async function statement(deps: Deps, principal: Principal, householdId: string, month: number) {
  const target = await household(deps, principal, householdId);
  authorize(principal, 'points.read', target.placement, 'household');
  return statementOf(deps, householdId, month);
}

export async function setPublicName(deps: Deps, principal: Principal, actor: Actor, householdId: string, publicName: boolean) {
  const target = await household(deps, principal, householdId);
  authorize(principal, 'points.file', target.placement, 'household');
  // PIPL art. 15: a member's withdrawn public-display consent is given again through /api/privacy.
  if (publicName && (await householdWithdrew(deps, householdId, 'publicDisplay'))) throw new AppError('consent_withdrawn');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.holdAccount(trx, target, now);
    await repo.setPublicName(trx, householdId, publicName);
    await audit(trx, actor, 'points.public_name', 'household', householdId, target.placement.regionId, now);
  });
}

export type RankingQuery = { villageId: string; period: 'month' | 'year'; value: number; regionId?: string };
export type Ranked = repo.RankingRow & { rank: number };

/** Competition ranking: equal points share a rank, and the next rank skips (1, 1, 3). */
export function rank(rows: repo.RankingRow[]): Ranked[] {
  const sorted = [...rows].sort((a, b) => b.points - a.points || (a.number < b.number ? -1 : 1));
  let previous: Ranked | undefined;
  return sorted.map((row, index) => {
    const ranked = { ...row, rank: previous && previous.points === row.points ? previous.rank : index + 1 };
    previous = ranked;
    return ranked;
  });
}

function periodMonths(query: RankingQuery): [number, number] {
  if (query.period === 'year') return [query.value * 100 + 1, (query.value + 1) * 100 + 1];
  const next = query.value % 100 === 12 ? (Math.floor(query.value / 100) + 1) * 100 + 1 : query.value + 1;
  return [query.value, next];
}

export async function rankings(deps: Deps, principal: Principal | undefined, query: RankingQuery): Promise<Ranked[]> {
  if (principal) await village(deps, principal, query.villageId, 'points.read');
  const [fromMonth, toMonth] = periodMonths(query);
  return rank(await repo.earnedByHousehold(deps.reader, { villageId: query.villageId, regionId: query.regionId, fromMonth, toMonth }));
}

/** The village's keepers and cadres see every name; villagers see their own and those who agreed. */
export async function showsAllNames(deps: Deps, principal: Principal, villageId: string): Promise<boolean> {
  return allows(principal, 'points.keep', (await requireRegion(deps, villageId)).placement);
}

// ---- Shop -----------------------------------------------------------------------------------

export async function listGoods(deps: Deps, principal: Principal, villageId: string) {
  await village(deps, principal, villageId, 'points.read');
  return repo.listGoods(deps.reader, villageId);
}

export async function saveGoods(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  target: { villageId: string; id?: string },
  goods: repo.GoodsWrite & { restock?: number },
): Promise<repo.Goods> {
  const region = await village(deps, principal, target.villageId, 'points.keep');
  const id = target.id ?? uuidv7(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (target.id) {
      const existing = await repo.findGoods(trx, target.id);
      if (!existing || existing.villageId !== region.id) throw notFound('goods');
      await repo.updateGoods(trx, id, goods, now);
      if (goods.restock) await repo.restock(trx, id, goods.restock, now);
    } else {
      await repo.insertGoods(trx, id, region.placement, { ...goods, received: goods.restock ?? 0 }, now);
    }
    await audit(trx, actor, target.id ? 'points.goods.update' : 'points.goods.create', 'pointsGoods', id, region.id, now);
  });
  return (await repo.findGoods(deps.db, id)) as repo.Goods;
}

/** A picture of the goods for the shop; checked and re-encoded like every photo (thumbnail size is enough). */
export async function setGoodsPhoto(deps: Deps, principal: Principal, actor: Actor, villageId: string, goodsId: string, upload: Buffer) {
  const region = await village(deps, principal, villageId, 'points.keep');
  const goods = await repo.findGoods(deps.reader, goodsId);
  if (!goods || goods.villageId !== region.id) throw notFound('goods');
  const photo = await acceptPhoto(upload);
  const now = deps.now();
  const key = `goods/${goodsId}/${uuidv7(now)}.jpg`;
  await deps.files.put(key, photo.thumb);
  await deps.db.transaction().execute(async (trx) => {
    await repo.setGoodsPhoto(trx, goodsId, key, now);
    await audit(trx, actor, 'points.goods.photo', 'pointsGoods', goodsId, region.id, now);
  });
}

export async function goodsPhoto(deps: Deps, principal: Principal, villageId: string, goodsId: string): Promise<Buffer> {
  await village(deps, principal, villageId, 'points.read');
  const key = await repo.goodsPhotoKey(deps.reader, goodsId);
  const file = key ? await deps.files.get(key) : undefined;
  if (!file) throw notFound('photo');
  return file;
}

/**
 * Goods for points: the stock and the points are taken in one transaction, each by a conditional
 * update, so that two villagers racing for the last item cannot both get it and no balance goes
 * below zero.
 */
export async function redeem(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { householdId: string; goodsId: string; quantity: number } & Idempotent,
): Promise<repo.Redemption> {
  const { idempotencyKey, ...payload } = input;
  const target = await household(deps, principal, input.householdId);
  authorize(principal, 'points.file', target.placement, 'household');
  const goods = await repo.findGoods(deps.reader, input.goodsId);
  if (!goods || goods.villageId !== target.placement.villageId) throw notFound('goods');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.redeem', payload };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    if (!(await repo.reserveStock(trx, goods.id, input.quantity, now))) throw new AppError('out_of_stock');
    const price = ((await repo.findGoods(trx, goods.id)) as repo.Goods).price * input.quantity;
    const entry = await repo.book(trx, {
      household: target,
      amount: -price,
      kind: 'redemption',
      redemptionId: id,
      note: `${goods.name} × ${input.quantity}`,
      actorUserId: principal.userId,
      at: now,
      floorAtZero: true,
    });
    // Throwing rolls back the stock taken above.
    if (!entry) throw new AppError('insufficient_points');
    await repo.insertRedemption(
      trx,
      {
        id,
        household: target,
        goodsId: goods.id,
        quantity: input.quantity,
        points: price,
        ledgerId: entry.id,
        createdBy: principal.userId,
      },
      now,
    );
    await audit(trx, actor, 'points.redeem', 'pointsRedemption', id, target.placement.regionId, now);
    return (await repo.findRedemption(trx, id)) as repo.Redemption;
  });
}

/** Cancelled before collection, a redemption gives back both the points and the stock. */
export function cancelRedemption(deps: Deps, principal: Principal, actor: Actor, id: string, idempotencyKey?: string) {
  return closePendingRedemption(deps, principal, actor, id, 'cancelled', idempotencyKey);
}

/** The keeper hands the goods over. */
export function collectRedemption(deps: Deps, principal: Principal, actor: Actor, id: string, idempotencyKey?: string) {
  return closePendingRedemption(deps, principal, actor, id, 'collected', idempotencyKey);
}

/** Closes a pending redemption once: collected (by the keeper), or cancelled (the points come back). */
async function closePendingRedemption(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  state: 'cancelled' | 'collected',
  idempotencyKey?: string,
): Promise<repo.Redemption> {
  const redemption = await repo.findRedemption(deps.reader, id);
  if (!redemption) throw notFound('redemption');
  authorize(principal, state === 'cancelled' ? 'points.file' : 'points.keep', redemption.placement, 'redemption');
  const operation = `points.${state === 'cancelled' ? 'cancel' : 'collect'}:${id}`;
  return runIdempotent(deps.db, { principalId: principal.userId, key: idempotencyKey, operation, payload: {} }, async (trx) => {
    const now = deps.now();
    if (!(await repo.closeRedemption(trx, id, state, principal.userId, now))) {
      throw new AppError('invalid_transition', {}, { state: (await repo.findRedemption(trx, id))?.state });
    }
    await repo.releaseStock(trx, redemption.goodsId, redemption.quantity, state === 'collected', now);
    if (state === 'cancelled') {
      const entry = (await repo.book(trx, {
        household: { id: redemption.householdId, placement: redemption.placement },
        amount: redemption.points,
        kind: 'cancellation',
        redemptionId: id,
        note: null,
        actorUserId: principal.userId,
        at: now,
      })) as repo.LedgerEntry;
      await repo.setCancelEntry(trx, id, entry.id);
    }
    const action = state === 'cancelled' ? 'points.redemption.cancel' : 'points.redemption.collect';
    await audit(trx, actor, action, 'pointsRedemption', id, redemption.placement.regionId, now);
    return (await repo.findRedemption(trx, id)) as repo.Redemption;
  });
}

export async function listRedemptions(
  deps: Deps,
  principal: Principal,
  query: { state?: string; householdId?: string; limit?: number; cursor?: string },
): Promise<Page<repo.Redemption>> {
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.listRedemptions(deps.reader, {
    scope: scopeFor(principal, 'points.read'),
    states: query.state ? [query.state] : undefined,
    householdId: query.householdId,
    before,
    limit,
  });
  return toPage(rows, limit, (r) => [r.id]);
}

// ---- Reports and verification ---------------------------------------------------------------

export async function report(deps: Deps, principal: Principal, villageId: string, fromMonth: number, toMonth: number) {
  await village(deps, principal, villageId, 'points.keep');
  const [rows, goods] = await Promise.all([
    repo.report(deps.reader, villageId, fromMonth, toMonth),
    repo.listGoods(deps.reader, villageId),
  ]);
  return { rows, reorder: goods.filter((g) => g.active && g.available <= g.reorderLevel) };
}

/** The figures the dashboard's rural civilization section shows, for a village and a year or a month. */
export async function summary(deps: Deps, principal: Principal, query: RankingQuery) {
  await village(deps, principal, query.villageId, 'points.read');
  const [fromMonth, toMonth] = periodMonths(query);
  return { fromMonth, toMonth, ...(await repo.villageSummary(deps.reader, query.villageId, fromMonth, toMonth)) };
}

export async function verifyAll(deps: Deps, principal: Principal) {
  if (!rolesOf(principal).includes('countyAdmin')) throw forbidden();
  return repo.verify(deps.reader);
}
