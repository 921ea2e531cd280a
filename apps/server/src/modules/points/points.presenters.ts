// What the points routes send: each presenter whitelists the fields a reader gets.
import type { Goods, LedgerEntry, PointsClaim, PointsRule, RankingItem, Redemption } from '@cunzhi/contracts/points';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type * as claims from './points-claims.repository.ts';
import type { Claim } from './points-claims.service.ts';
import type * as ledger from './points-ledger.repository.ts';
import type { Ranked } from './points-reports.service.ts';
import type * as rules from './points-rules.repository.ts';
import type * as shop from './points-shop.repository.ts';
import type * as shopService from './points-shop.service.ts';

export const presentRule = (r: rules.Rule): PointsRule => ({
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

export const presentEntry = (e: ledger.LedgerEntry): LedgerEntry => ({
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

export const presentClaim = (c: Claim): PointsClaim => ({
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

export const presentGoods = (g: shop.Goods): Goods => ({
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

export const presentRedemption = (r: shopService.Redemption): Redemption => ({
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
  entries: ledger.LedgerEntry[];
}) => ({
  ...s,
  entries: s.entries.map(presentEntry),
});

export const presentClaimPhotos = (claim: Claim, photos: claims.ClaimPhoto[]) => ({
  claim: presentClaim(claim),
  photos: photos.map((p) => ({
    id: p.id,
    stage: p.stage,
    url: `/api/points/claims/${claim.id}/photos/${p.id}`,
    thumbUrl: `/api/points/claims/${claim.id}/photos/${p.id}?variant=thumb`,
  })),
});

/** The answer to an upload: the photo's place in the claim and its size, not where it is stored. */
export const presentUploadedPhoto = (p: claims.ClaimPhoto) => ({
  id: p.id,
  claimId: p.claimId,
  stage: p.stage,
  width: p.width,
  height: p.height,
  createdAt: p.createdAt,
});

/** Those who keep the village's books see every household by name. */
export const presentRanked = (r: Ranked): RankingItem => ({
  rank: r.rank,
  householdId: r.householdId,
  name: `${r.headName}户`,
  regionId: r.regionId,
  points: r.points,
});

/** A household in a public ranking: named only if it agreed, otherwise "张**户"-style anonymous. */
const publicName = (row: { headName: string; publicName: boolean }) =>
  row.publicName ? `${row.headName}户` : `${row.headName.slice(0, 1)}${'*'.repeat(Math.max(1, row.headName.length - 1))}户`;

/**
 * A villager reading their village's ranking: households named only if they agreed (as in public),
 * their own household always; the own line keeps its id, so the page can mark it.
 */
export const presentVillagerRanked =
  (ownHouseholdId: string | null) =>
  (r: Ranked): RankingItem => ({
    rank: r.rank,
    // The id only where the name is shown: a masked line's id would tell which household it is.
    householdId: r.householdId === ownHouseholdId || r.publicName ? r.householdId : null,
    name: r.householdId === ownHouseholdId ? `${r.headName}户` : publicName(r),
    regionId: r.regionId,
    points: r.points,
  });

/** The public sees no household ids, and names only of households that agreed. */
export const presentPublicRanked = (r: Ranked): RankingItem => ({
  rank: r.rank,
  householdId: null,
  name: publicName(r),
  regionId: r.regionId,
  points: r.points,
});
