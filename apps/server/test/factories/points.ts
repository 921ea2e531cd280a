// The points bank: a village's rule, goods in its shop, and points booked on a household's account,
// each made by a keeper (or cadre) through the points services, audited as in use.

import type { LedgerEntry } from '../../src/modules/points/points-ledger.repository.ts';
import { bulkGrant } from '../../src/modules/points/points-ledger.service.ts';
import type { Rule, RuleWrite } from '../../src/modules/points/points-rules.repository.ts';
import { saveRule } from '../../src/modules/points/points-rules.service.ts';
import type { Goods, GoodsWrite } from '../../src/modules/points/points-shop.repository.ts';
import { saveGoods } from '../../src/modules/points/points-shop.service.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { actingAs, nextNumber } from './acting.ts';

/** A rule of `villageId`, by `by` (a points keeper, cadre or official over the village). */
export async function buildPointsRule(deps: Deps, overrides: Partial<RuleWrite> & { by: string; villageId: string }): Promise<Rule> {
  const { by, villageId, ...rule } = overrides;
  const n = nextNumber();
  const { principal, actor } = await actingAs(deps, by);
  return saveRule(
    deps,
    principal,
    actor,
    { villageId },
    {
      code: `rule${n}`,
      item: `测试积分项${n}`,
      itemEn: null,
      category: 'labour',
      points: 5,
      evidenceRequired: false,
      limitPerDay: null,
      limitPerMonth: null,
      limitPerHousehold: null,
      validFrom: null,
      validTo: null,
      active: true,
      ...rule,
    },
  );
}

/** Goods in the shop of `villageId`, by `by` (a points keeper or cadre of the village), with `restock` in stock. */
export async function buildGoods(
  deps: Deps,
  overrides: Partial<GoodsWrite> & { by: string; villageId: string; restock?: number },
): Promise<Goods> {
  const { by, villageId, ...goods } = overrides;
  const { principal, actor } = await actingAs(deps, by);
  return saveGoods(
    deps,
    principal,
    actor,
    { villageId },
    { name: `测试商品${nextNumber()}`, nameEn: null, unit: '袋', price: 20, reorderLevel: 0, active: true, restock: 10, ...goods },
  );
}

/**
 * Points booked on `householdId`'s account by `by` (a keeper or cadre of its village): under
 * `ruleId`, or under a new rule of the household's village worth `points`.
 */
export async function grantPoints(
  deps: Deps,
  overrides: { by: string; householdId: string; villageId: string; ruleId?: string; points?: number; note?: string },
): Promise<LedgerEntry> {
  const ruleId =
    overrides.ruleId ??
    (await buildPointsRule(deps, { by: overrides.by, villageId: overrides.villageId, points: overrides.points ?? 5 })).id;
  const { principal, actor } = await actingAs(deps, overrides.by);
  const { booked, skipped } = await bulkGrant(deps, principal, actor, {
    ruleId,
    householdIds: [overrides.householdId],
    note: overrides.note,
  });
  const entry = booked[0];
  if (!entry) throw new Error(`grant skipped: ${JSON.stringify(skipped)}`);
  return entry;
}
