// The shop's most redeemed goods of a region in a period, for the wall screen.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type RegionColumn = 'county_id' | 'township_id' | 'village_id';

/** Redemptions not cancelled, made in [fromMs, toMs), summed per goods' name, most first. */
export async function topGoods(db: Kysely<DB>, column: RegionColumn, regionId: string, fromMs: number, toMs: number, limit: number) {
  const rows = await db
    .selectFrom('points_redemptions as r')
    .innerJoin('points_goods as g', 'g.id', 'r.goods_id')
    .select(['g.name'])
    .select((eb) => [eb.fn.sum<number>('r.quantity').as('quantity'), eb.fn.sum<number>('r.points').as('points')])
    .where(`r.${column}`, '=', regionId)
    .where('r.state', '!=', 'cancelled')
    .where('r.created_at', '>=', fromMs)
    .where('r.created_at', '<', toMs)
    .groupBy('g.name')
    .orderBy('quantity', 'desc')
    .orderBy('g.name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ name: r.name, quantity: Number(r.quantity), points: Math.abs(Number(r.points)) }));
}
