// Bookings on the ledger outside claims and the shop (grants to many households, deductions and
// their appeals, reversals of mistakes), and what a household reads of its account. Every change
// of a balance is one entry booked in the same transaction as its cause; entries are never edited.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, auditReadUnlessOwn } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { householdWithdrew } from '../privacy/privacy.service.ts';
import { audit, household, type Idempotent, runBooking } from './points.service.ts';
import { localDayStart, localMonth, monthBounds, previousMonth } from './points-calendar.ts';
import * as repo from './points-ledger.repository.ts';
import * as rules from './points-rules.repository.ts';
import { usableRule } from './points-rules.service.ts';

/** Per day, per month and per household limits of a rule, counted over grants not undone. */
export async function checkLimits(db: Kysely<DB>, rule: rules.Rule, householdId: string, now: number, adding = 1) {
  const limits: [number | null, number, string, string][] = [
    [rule.limitPerDay, localDayStart(now), '每日', 'daily'],
    [rule.limitPerMonth, monthBounds(localMonth(now))[0], '每月', 'monthly'],
    [rule.limitPerHousehold, 0, '每户累计', 'per-household'],
  ];
  for (const [limit, since, zh, en] of limits) {
    if (limit === null) continue;
    if ((await repo.countGrants(db, householdId, rule.id, since)) + adding > limit) {
      throw new AppError('limit_reached', { limit, periodZh: zh, periodEn: en }, { period: en, limit });
    }
  }
}

const hasLimits = (rule: rules.Rule) => rule.limitPerDay !== null || rule.limitPerMonth !== null || rule.limitPerHousehold !== null;

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
  const found = await rules.findRule(deps.reader, input.ruleId);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.bulk', payload };
  return runBooking(deps.db, request, async (trx) => {
    const now = deps.now();
    const booked: repo.LedgerEntry[] = [];
    const skipped: { householdId: string; reason: string }[] = [];
    for (const target of targets) {
      const rule = usableRule(found, target.placement.villageId as string, now);
      if (rule.points <= 0) throw new AppError('wrong_sign');
      // Counting needs the account held first; without limits, book() holds it and moves the balance at once.
      const seq = hasLimits(rule) ? await repo.holdAccount(trx, target, now) : undefined;
      try {
        await checkLimits(trx, rule, target.id, now);
      } catch (error) {
        if (error instanceof AppError && error.code === 'limit_reached') {
          skipped.push({ householdId: target.id, reason: 'limit_reached' });
          continue;
        }
        throw error;
      }
      const entry = await repo.book(trx, {
        seq,
        household: target,
        amount: rule.points,
        kind: 'grant',
        rule,
        note: input.note ?? null,
        actorUserId: principal.userId,
        at: now,
      });
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
  return runBooking(deps.db, request, async (trx) => {
    const now = deps.now();
    const rule = usableRule(await rules.findRule(trx, input.ruleId), target.placement.villageId as string, now);
    if (rule.points >= 0) throw new AppError('wrong_sign');
    // A balance never goes below zero (issue 21): a deduction larger than the balance is refused, not clamped,
    // so the cadre sees it and the ledger never shows a penalty other than the rule's.
    const entry = await repo.book(trx, {
      household: target,
      amount: rule.points,
      kind: 'deduction',
      rule,
      note: input.reason,
      actorUserId: principal.userId,
      at: now,
      floorAtZero: true,
    });
    if (!entry) throw new AppError('balance_would_go_negative');
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
  return runBooking(deps.db, request, async (trx) => reverseIn(trx, principal, actor, entry, input.note, deps.now()));
}

async function reverseIn(trx: Kysely<DB>, principal: Principal, actor: Actor, entry: repo.LedgerEntry, note: string, now: number) {
  if (await repo.isReversed(trx, entry.id)) throw new AppError('already_reversed');
  const reversal = await repo.book(trx, {
    household: { id: entry.householdId, placement: entry.placement },
    amount: -entry.amount,
    kind: 'reversal',
    reversesId: entry.id,
    note,
    actorUserId: principal.userId,
    at: now,
    // Taking back a grant whose points are already spent would leave the balance below zero.
    floorAtZero: true,
  });
  if (!reversal) throw new AppError('balance_would_go_negative');
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

// ---- Accounts and statements ----------------------------------------------------------------

export async function account(deps: Deps, principal: Principal, actor: Actor, householdId: string) {
  const target = await household(deps, principal, householdId);
  authorize(principal, 'points.read', target.placement, 'household');
  // A household's points and statements, read by anyone but the household itself, are traced.
  await auditReadUnlessOwn(deps, principal, actor, householdId, {
    action: 'points.account.read',
    targetType: 'household',
    targetId: householdId,
    regionId: target.placement.regionId,
  });
  const found = await repo.findAccount(deps.reader, householdId);
  const month = localMonth(deps.now());
  const [thisMonth, lastMonth] = await Promise.all([
    statementOf(deps, householdId, month),
    statementOf(deps, householdId, previousMonth(month)),
  ]);
  return { householdId, balance: found?.balance ?? 0, publicName: found?.publicName ?? false, thisMonth, lastMonth };
}

const CONDUCT = new Set<string>(repo.CONDUCT_KINDS);

async function statementOf(deps: Deps, householdId: string, month: number) {
  const [from, to] = monthBounds(month);
  const [opening, entries] = await Promise.all([
    repo.balanceBefore(deps.reader, householdId, from),
    repo.listEntries(deps.reader, householdId, from, to),
  ]);
  const sum = (keep: (e: repo.LedgerEntry) => boolean) => entries.filter(keep).reduce((total, e) => total + e.amount, 0);
  return {
    month,
    opening,
    closing: entries.at(-1)?.balanceAfter ?? opening,
    earned: sum((e) => CONDUCT.has(e.kind)),
    spent: -sum((e) => e.kind === 'redemption' || e.kind === 'cancellation'),
    entries,
  };
}

/** The monthly statement of a household ("103 points last month"). */
export async function statement(deps: Deps, principal: Principal, actor: Actor, householdId: string, month: number) {
  const target = await household(deps, principal, householdId);
  authorize(principal, 'points.read', target.placement, 'household');
  // A month's entries are the account's (its conduct, its penalties): traced as reading the account is.
  await auditReadUnlessOwn(deps, principal, actor, householdId, {
    action: 'points.account.read',
    targetType: 'household',
    targetId: householdId,
    regionId: target.placement.regionId,
    details: { month },
  });
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
