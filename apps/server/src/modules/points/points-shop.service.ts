// The points shop (积分超市): goods with prices and stock, and redemptions that take stock and
// points together.
import { authorize, type Placement, type Principal, type Scope, scopeFor } from '../../platform/access.ts';
import { type Actor, auditListUnlessOwn } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { acceptPhoto } from '../../platform/images.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { type HouseholdHead, householdHeadsOf, householdIdsInGroups } from '../org/households.service.ts';
import { audit, household, type Idempotent, runBooking, village } from './points.service.ts';
import * as ledger from './points-ledger.repository.ts';
import * as repo from './points-shop.repository.ts';

/** A redemption with what org keeps of its household: the head's name, and the villager group that places it. */
export type Redemption = Omit<repo.RedemptionRecord, 'village'> & { headName: string; placement: Placement };

function withHousehold(record: repo.RedemptionRecord, head: HouseholdHead | undefined): Redemption {
  const { village, ...rest } = record;
  return {
    ...rest,
    headName: head?.headName ?? '',
    placement: { ...village, regionId: head?.placement.regionId ?? village.regionId, householdId: record.householdId },
  };
}

/** The households of these redemptions, asked of org in one call. */
const headsOf = (deps: Deps, records: readonly repo.RedemptionRecord[]) =>
  householdHeadsOf(
    deps,
    records.map((r) => r.householdId),
  );

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
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (!target.id) {
      const created = await repo.insertGoods(trx, uuidv7(now), region.placement, { ...goods, received: goods.restock ?? 0 }, now);
      await audit(trx, actor, 'points.goods.create', 'pointsGoods', created.id, region.id, now);
      return created;
    }
    const existing = await repo.findGoods(trx, target.id);
    if (!existing || existing.villageId !== region.id) throw notFound('goods');
    const updated = await repo.updateGoods(trx, target.id, goods, now);
    if (!updated) throw notFound('goods');
    await audit(trx, actor, 'points.goods.update', 'pointsGoods', updated.id, region.id, now);
    return updated;
  });
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
): Promise<Redemption> {
  const { idempotencyKey, ...payload } = input;
  const target = await household(deps, principal, input.householdId);
  authorize(principal, 'points.file', target.placement, 'household');
  const goods = await repo.findGoods(deps.reader, input.goodsId);
  if (!goods || goods.villageId !== target.placement.villageId) throw notFound('goods');
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'points.redeem', payload };
  // Asked before the transaction, so that a replayed request answers with the household it first gave.
  const head = (await householdHeadsOf(deps, [target.id])).get(target.id);
  return runBooking(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    const taken = await repo.reserveStock(trx, goods.id, input.quantity, now);
    if (!taken) throw new AppError('out_of_stock');
    const price = taken.price * input.quantity;
    const entry = await ledger.book(trx, {
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
    return withHousehold(await repo.requireRedemption(trx, id), head);
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
): Promise<Redemption> {
  const record = await repo.findRedemption(deps.reader, id);
  if (!record) throw notFound('redemption');
  const head = (await headsOf(deps, [record])).get(record.householdId);
  const redemption = withHousehold(record, head);
  authorize(principal, state === 'cancelled' ? 'points.file' : 'points.keep', redemption.placement, 'redemption');
  const operation = `points.${state === 'cancelled' ? 'cancel' : 'collect'}:${id}`;
  return runBooking(deps.db, { principalId: principal.userId, key: idempotencyKey, operation, payload: {} }, async (trx) => {
    const now = deps.now();
    if (!(await repo.closeRedemption(trx, id, state, principal.userId, now))) {
      throw new AppError('invalid_transition', {}, { state: (await repo.findRedemption(trx, id))?.state });
    }
    await repo.releaseStock(trx, redemption.goodsId, redemption.quantity, state === 'collected', now);
    if (state === 'cancelled') {
      const entry = await ledger.book(trx, {
        household: { id: redemption.householdId, placement: redemption.placement },
        amount: redemption.points,
        kind: 'cancellation',
        redemptionId: id,
        note: null,
        actorUserId: principal.userId,
        at: now,
      });
      await repo.setCancelEntry(trx, id, entry.id);
    }
    const action = state === 'cancelled' ? 'points.redemption.cancel' : 'points.redemption.collect';
    await audit(trx, actor, action, 'pointsRedemption', id, redemption.placement.regionId, now);
    return withHousehold(await repo.requireRedemption(trx, id), head);
  });
}

export async function listRedemptions(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { state?: string; householdId?: string; limit?: number; cursor?: string },
): Promise<Page<Redemption>> {
  const limit = query.limit ?? 20;
  const rows = await repo.listRedemptions(deps.reader, {
    scope: await householdsForGroups(deps, scopeFor(principal, 'points.read')),
    states: query.state ? [query.state] : undefined,
    householdId: query.householdId,
    after: decodeCursor(query.cursor, ['text']),
    limit,
  });
  const heads = await headsOf(deps, rows);
  const page = toPage(
    rows.map((r) => withHousehold(r, heads.get(r.householdId))),
    limit,
    (r) => [r.id],
  );
  await auditListUnlessOwn(deps, principal, actor, 'points.redemption.list', page.items);
  return page;
}

/**
 * Redemptions are placed down to their village only; a grid worker's scope is villager groups.
 * Org names the households in those groups (one call, tens to a few hundred ids) and the scope
 * reaches them instead, as it reached the households' groups when this was a join.
 */
async function householdsForGroups(deps: Deps, scope: Scope): Promise<Scope> {
  if (scope.regionIds.length === 0) return scope;
  return { ...scope, regionIds: [], householdIds: [...scope.householdIds, ...(await householdIdsInGroups(deps, scope.regionIds))] };
}
