import { type Static, Type } from 'typebox';
import { Id, Nullable, pageOf, Timestamp } from './common.ts';

const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const RULE_CATEGORIES = ['labour', 'honesty', 'bravery', 'investment', 'civility', 'environment', 'family', 'violation'] as const;

export const PointsRuleInput = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    item: Type.String({ minLength: 1, maxLength: 100 }),
    itemEn: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    category: oneOf(RULE_CATEGORIES),
    points: Type.Integer({ minimum: -1000, maximum: 1000, not: { const: 0 } }),
    evidenceRequired: Type.Optional(Type.Boolean()),
    limitPerDay: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000 }))),
    limitPerMonth: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))),
    limitPerHousehold: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
    validFrom: Type.Optional(Nullable(Type.String({ format: 'date-time', maxLength: 40 }))),
    validTo: Type.Optional(Nullable(Type.String({ format: 'date-time', maxLength: 40 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PointsRuleInput = Static<typeof PointsRuleInput>;

export const PointsRule = Type.Object({
  id: Id,
  villageId: Id,
  code: Type.String(),
  item: Type.String(),
  itemEn: Nullable(Type.String()),
  category: Type.String(),
  points: Type.Integer(),
  evidenceRequired: Type.Boolean(),
  limitPerDay: Nullable(Type.Integer()),
  limitPerMonth: Nullable(Type.Integer()),
  limitPerHousehold: Nullable(Type.Integer()),
  validFrom: Nullable(Type.String()),
  validTo: Nullable(Type.String()),
  active: Type.Boolean(),
});
export type PointsRule = Static<typeof PointsRule>;

export const LedgerEntry = Type.Object({
  id: Id,
  householdId: Id,
  amount: Type.Integer(),
  balanceAfter: Type.Integer(),
  kind: Type.String(),
  ruleId: Nullable(Type.String()),
  ruleItem: Nullable(Type.String()),
  category: Nullable(Type.String()),
  claimId: Nullable(Type.String()),
  redemptionId: Nullable(Type.String()),
  reversesId: Nullable(Type.String()),
  note: Nullable(Type.String()),
  month: Type.Integer(),
  at: Timestamp,
});
export type LedgerEntry = Static<typeof LedgerEntry>;

export const Statement = Type.Object({
  month: Type.Integer({ description: 'year * 100 + month, e.g. 202611' }),
  opening: Type.Integer(),
  closing: Type.Integer(),
  earned: Type.Integer(),
  spent: Type.Integer(),
  entries: Type.Array(LedgerEntry),
});
export type Statement = Static<typeof Statement>;

export const PointsAccount = Type.Object({
  householdId: Id,
  balance: Type.Integer(),
  publicName: Type.Boolean(),
  thisMonth: Statement,
  lastMonth: Statement,
});
export type PointsAccount = Static<typeof PointsAccount>;

export const ClaimInput = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' })),
    householdId: Id,
    ruleId: Id,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const PointsClaim = Type.Object({
  id: Id,
  householdId: Id,
  headName: Type.String(),
  ruleId: Id,
  ruleItem: Type.String(),
  points: Type.Integer(),
  note: Nullable(Type.String()),
  state: oneOf(['submitted', 'moreInfo', 'approved', 'rejected'] as const),
  reason: Nullable(Type.String()),
  photoCount: Type.Integer(),
  ledgerId: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PointsClaim = Static<typeof PointsClaim>;

export const ReviewInput = Type.Object(
  {
    decision: oneOf(['approve', 'reject', 'askMore', 'resubmit'] as const),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const Goods = Type.Object({
  id: Id,
  villageId: Id,
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  unit: Nullable(Type.String()),
  price: Type.Integer(),
  received: Type.Integer(),
  collected: Type.Integer(),
  pending: Type.Integer(),
  available: Type.Integer(),
  reorderLevel: Type.Integer(),
  active: Type.Boolean(),
  photoUrl: Nullable(Type.String()),
});
export type Goods = Static<typeof Goods>;

export const GoodsInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    nameEn: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    unit: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
    price: Type.Integer({ minimum: 1, maximum: 100_000 }),
    reorderLevel: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    active: Type.Optional(Type.Boolean()),
    restock: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Items received into stock now' })),
  },
  { additionalProperties: false },
);
export type GoodsInput = Static<typeof GoodsInput>;

export const Redemption = Type.Object({
  id: Id,
  householdId: Id,
  headName: Type.String(),
  goodsId: Id,
  goodsName: Type.String(),
  quantity: Type.Integer(),
  points: Type.Integer(),
  state: oneOf(['pending', 'collected', 'cancelled'] as const),
  createdAt: Timestamp,
  closedAt: Nullable(Type.String()),
});
export type Redemption = Static<typeof Redemption>;

export const RankingItem = Type.Object({
  rank: Type.Integer(),
  householdId: Nullable(Type.String({ description: 'Only for signed-in readers' })),
  name: Type.String({ description: "The head of household's name where shown, otherwise anonymised" }),
  regionId: Type.String(),
  points: Type.Integer(),
});
export type RankingItem = Static<typeof RankingItem>;

export const RankingQuery = Type.Object({
  period: Type.Optional(oneOf(['month', 'year'] as const)),
  value: Type.Optional(Type.Integer({ minimum: 2000, maximum: 299912, description: 'yyyymm for a month, yyyy for a year' })),
  regionId: Type.Optional(Id),
});
export type RankingQuery = Static<typeof RankingQuery>;

// ---- Requests and responses of the points routes (/api/points) --------------------------------

export const VillageParams = Type.Object({ villageId: Id });
export const VillageItemParams = Type.Object({ villageId: Id, id: Id });
export const Month = Type.Integer({ minimum: 200001, maximum: 299912, description: 'yyyymm' });

/** Claims and redemptions in the reader's scope, newest first. */
export const PointsListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 20 })),
  householdId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});
export type PointsListQuery = Static<typeof PointsListQuery>;

export const RuleList = Type.Object({ items: Type.Array(PointsRule) });
export const GoodsList = Type.Object({ items: Type.Array(Goods) });
export const RankingList = Type.Object({ items: Type.Array(RankingItem) });

export const PointsSummary = Type.Object({
  fromMonth: Type.Integer(),
  toMonth: Type.Integer(),
  households: Type.Integer(),
  earningHouseholds: Type.Integer(),
  granted: Type.Integer(),
  deducted: Type.Integer(),
  redeemed: Type.Integer(),
  byCategory: Type.Array(Type.Object({ category: Type.String(), points: Type.Integer() })),
});
export type PointsSummary = Static<typeof PointsSummary>;

export const ReportQuery = Type.Object({ from: Month, to: Month, format: Type.Optional(Type.Literal('xlsx')) });

export const StatementParams = Type.Object({ id: Id, month: Month });

export const PublicNameInput = Type.Object({ publicName: Type.Boolean() }, { additionalProperties: false });

export const ClaimPhotoParams = Type.Object({ id: Id, photoId: Id });
export const ClaimPhotoQuery = Type.Object({ stage: Type.Optional(Type.Union([Type.Literal('before'), Type.Literal('after')])) });
export const PhotoVariantQuery = Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) });

export const ClaimWithPhotos = Type.Object({
  claim: PointsClaim,
  photos: Type.Array(Type.Object({ id: Id, stage: Type.String(), url: Type.String(), thumbUrl: Type.String() })),
});

export const BulkGrantInput = Type.Object(
  {
    ruleId: Id,
    householdIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export const BulkGrantResult = Type.Object({
  booked: Type.Array(LedgerEntry),
  skipped: Type.Array(Type.Object({ householdId: Id, reason: Type.String() })),
});

export const DeductionInput = Type.Object(
  { householdId: Id, ruleId: Id, reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
export const ReversalInput = Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const AppealInput = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const AppealDecisionInput = Type.Object(
  {
    decision: Type.Union([Type.Literal('uphold'), Type.Literal('overturn')]),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export const AppealDecision = Type.Object({ state: Type.String(), reversal: Type.Union([LedgerEntry, Type.Null()]) });

export const RedemptionInput = Type.Object(
  { householdId: Id, goodsId: Id, quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
  { additionalProperties: false },
);

export const ClaimPage = pageOf(PointsClaim);
export const RedemptionPage = pageOf(Redemption);

export const VerifyResult = Type.Object({
  accounts: Type.Integer(),
  entries: Type.Integer(),
  goods: Type.Integer(),
  mismatches: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), expected: Type.Integer(), actual: Type.Integer() })),
});

/** The public village page's ranking (/api/public/villages/:id/points-ranking). */
export const PublicRankingParams = Type.Object({ id: Id });
