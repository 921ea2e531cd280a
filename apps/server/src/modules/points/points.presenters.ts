import type { Goods, LedgerEntry, PointsClaim, PointsRule, Redemption } from '@cunzhi/contracts/points';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type * as repo from './points.repository.ts';

export const presentRule = (r: repo.Rule): PointsRule => ({
  id: r.id,
  villageId: r.villageId,
  code: r.code,
  item: r.item,
  itemEn: r.itemEn,
  category: r.category,
  points: r.points,
  evidenceRequired: r.evidenceRequired,
  limitPerDay: r.limitPerDay,
  limitPerMonth: r.limitPerMonth,
  limitPerHousehold: r.limitPerHousehold,
  validFrom: toIsoOrNull(r.validFrom),
  validTo: toIsoOrNull(r.validTo),
  active: r.active,
});

export const presentEntry = (e: repo.LedgerEntry): LedgerEntry => ({
  id: e.id,
  householdId: e.householdId,
  amount: e.amount,
  balanceAfter: e.balanceAfter,
  kind: e.kind,
  ruleId: e.ruleId,
  ruleItem: e.ruleItem,
  category: e.category,
  claimId: e.claimId,
  redemptionId: e.redemptionId,
  reversesId: e.reversesId,
  note: e.note,
  month: e.month,
  at: toIso(e.at),
});

export const presentClaim = (c: repo.Claim): PointsClaim => ({
  id: c.id,
  householdId: c.householdId,
  headName: c.headName,
  ruleId: c.ruleId,
  ruleItem: c.ruleItem,
  points: c.points,
  note: c.note,
  state: c.state,
  reason: c.reason,
  photoCount: c.photoCount,
  ledgerId: c.ledgerId,
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});

export const presentGoods = (g: repo.Goods): Goods => ({
  id: g.id,
  villageId: g.villageId,
  name: g.name,
  nameEn: g.nameEn,
  unit: g.unit,
  price: g.price,
  received: g.received,
  collected: g.collected,
  pending: g.pending,
  available: g.available,
  reorderLevel: g.reorderLevel,
  active: g.active,
  photoUrl: g.hasPhoto ? `/api/points/villages/${g.villageId}/goods/${g.id}/photo` : null,
});

export const presentRedemption = (r: repo.Redemption): Redemption => ({
  id: r.id,
  householdId: r.householdId,
  headName: r.headName,
  goodsId: r.goodsId,
  goodsName: r.goodsName,
  quantity: r.quantity,
  points: r.points,
  state: r.state,
  createdAt: toIso(r.createdAt),
  closedAt: toIsoOrNull(r.closedAt),
});

export const presentStatement = (s: {
  month: number;
  opening: number;
  closing: number;
  earned: number;
  spent: number;
  entries: repo.LedgerEntry[];
}) => ({
  ...s,
  entries: s.entries.map(presentEntry),
});

/** A household in a public ranking: named only if it agreed, otherwise "张**户"-style anonymous. */
export const publicName = (row: { headName: string; publicName: boolean }) =>
  row.publicName ? `${row.headName}户` : `${row.headName.slice(0, 1)}${'*'.repeat(Math.max(1, row.headName.length - 1))}户`;
