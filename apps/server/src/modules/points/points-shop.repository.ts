// The points shop (积分超市): goods with their stock counters, and redemptions of goods for points.
import { type Kysely, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB, PointsGoodsTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import { type HouseholdPlace, villageColumns, villagePlacement } from './points.repository.ts';

export type Goods = {
  id: string;
  villageId: string;
  name: string;
  nameEn: string | null;
  unit: string | null;
  price: number;
  received: number;
  collected: number;
  pending: number;
  available: number;
  reorderLevel: number;
  active: boolean;
  hasPhoto: boolean;
  placement: Placement;
};

const toGoods = (g: PointsGoodsTable): Goods => ({
  id: g.id,
  villageId: g.village_id,
  name: g.name,
  nameEn: g.name_en,
  unit: g.unit,
  price: g.price,
  received: g.received,
  collected: g.collected,
  pending: g.pending,
  available: g.received - g.collected - g.pending,
  reorderLevel: g.reorder_level,
  active: g.active === 1,
  hasPhoto: g.photo_key !== null,
  placement: villagePlacement(g),
});

export async function listGoods(db: Kysely<DB>, villageId: string): Promise<Goods[]> {
  const rows = await db
    .selectFrom('points_goods')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(toGoods);
}

export async function findGoods(db: Kysely<DB>, id: string): Promise<Goods | undefined> {
  const row = await db.selectFrom('points_goods').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toGoods(row);
}

export type GoodsWrite = { name: string; nameEn: string | null; unit: string | null; price: number; reorderLevel: number; active: boolean };

const goodsColumns = (goods: GoodsWrite) => ({
  name: goods.name,
  name_en: goods.nameEn,
  unit: goods.unit,
  price: goods.price,
  reorder_level: goods.reorderLevel,
  active: goods.active ? 1 : 0,
});

export async function insertGoods(
  db: Kysely<DB>,
  id: string,
  village: Placement,
  goods: GoodsWrite & { received: number; sortOrder?: number },
  now: number,
): Promise<Goods> {
  const row: PointsGoodsTable = {
    id,
    ...villageColumns(village),
    ...goodsColumns(goods),
    received: goods.received,
    collected: 0,
    pending: 0,
    photo_key: null,
    sort_order: goods.sortOrder ?? 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('points_goods').values(row).execute();
  return toGoods(row);
}

/** Changes the goods and receives `restock` more items; the goods as changed, or nothing if there are none. */
export async function updateGoods(
  db: Kysely<DB>,
  id: string,
  goods: GoodsWrite & { restock?: number },
  now: number,
): Promise<Goods | undefined> {
  const restock = goods.restock ?? 0;
  const row = await db
    .updateTable('points_goods')
    .set((eb) => ({ ...goodsColumns(goods), received: eb('received', '+', restock), updated_at: now }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toGoods(row);
}

export async function setGoodsPhoto(db: Kysely<DB>, id: string, photoKey: string, now: number) {
  await db.updateTable('points_goods').set({ photo_key: photoKey, updated_at: now }).where('id', '=', id).execute();
}

export async function goodsPhotoKey(db: Kysely<DB>, id: string): Promise<string | null | undefined> {
  return (await db.selectFrom('points_goods').select('photo_key').where('id', '=', id).executeTakeFirst())?.photo_key;
}

/**
 * Reserves stock for a redemption if enough is left: one conditional update, so two people never
 * get the last one. The price is the one standing when the stock was taken; nothing if none was.
 */
export async function reserveStock(db: Kysely<DB>, goodsId: string, quantity: number, now: number): Promise<{ price: number } | undefined> {
  return db
    .updateTable('points_goods')
    .set((eb) => ({ pending: eb('pending', '+', quantity), updated_at: now }))
    .where('id', '=', goodsId)
    .where('active', '=', 1)
    .where(sql<boolean>`received - collected - pending >= ${quantity}`)
    .returning('price')
    .executeTakeFirst();
}

export async function releaseStock(db: Kysely<DB>, goodsId: string, quantity: number, collected: boolean, now: number): Promise<void> {
  await db
    .updateTable('points_goods')
    .set((eb) => ({
      pending: eb('pending', '-', quantity),
      ...(collected && { collected: eb('collected', '+', quantity) }),
      updated_at: now,
    }))
    .where('id', '=', goodsId)
    .execute();
}

/**
 * A redemption as its own tables hold it, placed down to its village: its villager group and the
 * head's name are its household's, which org keeps (points-shop.service.ts adds them).
 */
export type RedemptionRecord = {
  id: string;
  householdId: string;
  goodsId: string;
  goodsName: string;
  quantity: number;
  points: number;
  state: 'pending' | 'collected' | 'cancelled';
  ledgerId: string;
  cancelLedgerId: string | null;
  createdBy: string;
  version: number;
  createdAt: number;
  closedAt: number | null;
  village: Placement;
};

function selectRedemptions(db: Kysely<DB>) {
  return db
    .selectFrom('points_redemptions as r')
    .innerJoin('points_goods as g', 'g.id', 'r.goods_id')
    .selectAll('r')
    .select(['g.name as goods_name']);
}

type RedemptionRow = Awaited<ReturnType<ReturnType<typeof selectRedemptions>['executeTakeFirstOrThrow']>>;

const toRedemption = (r: RedemptionRow): RedemptionRecord => ({
  id: r.id,
  householdId: r.household_id,
  goodsId: r.goods_id,
  goodsName: r.goods_name,
  quantity: r.quantity,
  points: r.points,
  state: r.state as RedemptionRecord['state'],
  ledgerId: r.ledger_id,
  cancelLedgerId: r.cancel_ledger_id,
  createdBy: r.created_by,
  version: r.version,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  village: villagePlacement(r),
});

export async function insertRedemption(
  db: Kysely<DB>,
  redemption: {
    id: string;
    household: HouseholdPlace;
    goodsId: string;
    quantity: number;
    points: number;
    ledgerId: string;
    createdBy: string;
  },
  now: number,
) {
  await db
    .insertInto('points_redemptions')
    .values({
      id: redemption.id,
      household_id: redemption.household.id,
      ...villageColumns(redemption.household.placement),
      goods_id: redemption.goodsId,
      quantity: redemption.quantity,
      points: redemption.points,
      state: 'pending',
      ledger_id: redemption.ledgerId,
      cancel_ledger_id: null,
      created_by: redemption.createdBy,
      handled_by: null,
      version: 0,
      created_at: now,
      closed_at: null,
    })
    .execute();
}

export async function findRedemption(db: Kysely<DB>, id: string): Promise<RedemptionRecord | undefined> {
  const row = await selectRedemptions(db).where('r.id', '=', id).executeTakeFirst();
  return row && toRedemption(row);
}

/** A redemption known to exist (read again in the transaction that wrote it, for its goods' name). */
export async function requireRedemption(db: Kysely<DB>, id: string): Promise<RedemptionRecord> {
  return toRedemption(await selectRedemptions(db).where('r.id', '=', id).executeTakeFirstOrThrow());
}

/** Closes a pending redemption (collected or cancelled) once; false if it is no longer pending. */
export async function closeRedemption(
  db: Kysely<DB>,
  id: string,
  state: 'collected' | 'cancelled',
  handledBy: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('points_redemptions')
    .set((eb) => ({ state, handled_by: handledBy, closed_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setCancelEntry(db: Kysely<DB>, id: string, ledgerId: string): Promise<void> {
  await db.updateTable('points_redemptions').set({ cancel_ledger_id: ledgerId }).where('id', '=', id).execute();
}

/** Newest first: ids are UUIDv7, so the id orders by time. */
const REDEMPTION_KEYS = [['r.id', 'desc']] as const;

export async function listRedemptions(
  db: Kysely<DB>,
  filter: { scope: Scope; states?: string[]; householdId?: string; after?: readonly [string]; limit: number },
): Promise<RedemptionRecord[]> {
  // A redemption is placed down to its village only: the caller turns villager groups into their households.
  if (filter.scope.regionIds.length > 0) throw new Error('listRedemptions takes households, not villager groups');
  let query = selectRedemptions(db).where(inScope(filter.scope, { table: 'r', householdColumn: 'household_id' }));
  if (filter.states) query = query.where('r.state', 'in', filter.states);
  if (filter.householdId) query = query.where('r.household_id', '=', filter.householdId);
  const rows = await keysetPage(query, REDEMPTION_KEYS, filter.after, filter.limit).execute();
  return rows.map(toRedemption);
}
