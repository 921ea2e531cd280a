import { type Kysely, sql } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, PointsGoodsTable, PointsLedgerTable, PointsRuleTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import { uuidv7 } from '../../platform/ids.ts';

const OFFSET_MS = 8 * 3_600_000;

/** The local (Asia/Shanghai) month of a moment as year * 100 + month, e.g. 202611. */
export function localMonth(ms: number): number {
  const date = new Date(ms + OFFSET_MS);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
}

/** The first moment of a local month (yyyymm) and of the month after it. */
export function monthBounds(month: number): [number, number] {
  const year = Math.floor(month / 100);
  const index = (month % 100) - 1;
  return [Date.UTC(year, index, 1) - OFFSET_MS, Date.UTC(year, index + 1, 1) - OFFSET_MS];
}

export function previousMonth(month: number): number {
  return month % 100 === 1 ? (Math.floor(month / 100) - 1) * 100 + 12 : month - 1;
}

/** The start of the local day of a moment. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / 86_400_000) * 86_400_000 - OFFSET_MS;
}

export type HouseholdPlace = { id: string; placement: Placement };

/** A household's place columns, in the points tables whose village is never empty. */
const placeColumns = (household: HouseholdPlace) => ({
  ...placedColumns(household.placement),
  village_id: household.placement.villageId as string,
});

// ---- Rules ----------------------------------------------------------------------------------

export type Rule = {
  id: string;
  villageId: string;
  code: string;
  item: string;
  itemEn: string | null;
  category: string;
  points: number;
  evidenceRequired: boolean;
  limitPerDay: number | null;
  limitPerMonth: number | null;
  limitPerHousehold: number | null;
  validFrom: number | null;
  validTo: number | null;
  active: boolean;
  placement: Placement;
};

const toRule = (r: PointsRuleTable): Rule => ({
  id: r.id,
  villageId: r.village_id,
  code: r.code,
  item: r.item,
  itemEn: r.item_en,
  category: r.category,
  points: r.points,
  evidenceRequired: r.evidence_required === 1,
  limitPerDay: r.limit_per_day,
  limitPerMonth: r.limit_per_month,
  limitPerHousehold: r.limit_per_household,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  active: r.active === 1,
  placement: { regionId: r.village_id, villageId: r.village_id, townshipId: r.township_id, countyId: r.county_id },
});

export type RuleWrite = Omit<Rule, 'id' | 'placement' | 'villageId'>;

export async function listRules(db: Kysely<DB>, villageId: string): Promise<Rule[]> {
  const rows = await db
    .selectFrom('points_rules')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('category')
    .orderBy('code')
    .execute();
  return rows.map(toRule);
}

const ruleQuery = compiledOnce<PointsRuleTable>((db, slot) =>
  db.selectFrom('points_rules').selectAll().where('id', '=', slot<string>('id')),
);

export async function findRule(db: Kysely<DB>, id: string): Promise<Rule | undefined> {
  const {
    rows: [row],
  } = await ruleQuery(db, { id });
  return row && toRule(row);
}

const ruleColumns = (rule: RuleWrite) => ({
  code: rule.code,
  item: rule.item,
  item_en: rule.itemEn,
  category: rule.category,
  points: rule.points,
  evidence_required: rule.evidenceRequired ? 1 : 0,
  limit_per_day: rule.limitPerDay,
  limit_per_month: rule.limitPerMonth,
  limit_per_household: rule.limitPerHousehold,
  valid_from: rule.validFrom,
  valid_to: rule.validTo,
  active: rule.active ? 1 : 0,
});

export async function insertRule(db: Kysely<DB>, id: string, village: Placement, rule: RuleWrite, now: number): Promise<void> {
  await db
    .insertInto('points_rules')
    .values({
      id,
      village_id: village.villageId as string,
      township_id: village.townshipId,
      county_id: village.countyId,
      ...ruleColumns(rule),
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateRule(db: Kysely<DB>, id: string, rule: RuleWrite, now: number): Promise<void> {
  await db
    .updateTable('points_rules')
    .set({ ...ruleColumns(rule), updated_at: now })
    .where('id', '=', id)
    .execute();
}

// ---- Accounts and the ledger ----------------------------------------------------------------

export type LedgerEntry = {
  id: string;
  householdId: string;
  amount: number;
  balanceAfter: number;
  kind: string;
  ruleId: string | null;
  ruleItem: string | null;
  category: string | null;
  claimId: string | null;
  redemptionId: string | null;
  reversesId: string | null;
  note: string | null;
  actorUserId: string | null;
  month: number;
  at: number;
  placement: Placement;
};

const toEntry = (r: PointsLedgerTable): LedgerEntry => ({
  id: r.id,
  householdId: r.household_id,
  amount: r.amount,
  balanceAfter: r.balance_after,
  kind: r.kind,
  ruleId: r.rule_id,
  ruleItem: r.rule_item,
  category: r.category,
  claimId: r.claim_id,
  redemptionId: r.redemption_id,
  reversesId: r.reverses_id,
  note: r.note,
  actorUserId: r.actor_user_id,
  month: r.month,
  at: r.at,
  placement: placementOf(r, r.household_id),
});

const holdAccountQuery = compiledOnce<{ version: number }>((db, slot) =>
  db
    .insertInto('points_accounts')
    .values({
      household_id: slot('household_id'),
      region_id: slot('region_id'),
      village_id: slot('village_id'),
      township_id: slot('township_id'),
      county_id: slot('county_id'),
      balance: 0,
      public_name: 0,
      version: 1,
      updated_at: slot('now'),
    })
    .onConflict((oc) => oc.column('household_id').doUpdateSet((eb) => ({ version: eb('points_accounts.version', '+', 1) })))
    .returning('version'),
);

/**
 * Opens the household's account if it has none, and takes its row for this transaction (a write
 * lock on PostgreSQL, the one writer on SQLite): checks of limits and balances made after this
 * see no concurrent booking for the same household.
 */
export async function holdAccount(db: Kysely<DB>, household: HouseholdPlace, now: number): Promise<number> {
  const { rows } = await holdAccountQuery(db, { household_id: household.id, ...placeColumns(household), now });
  return Number((rows[0] as { version: number }).version);
}

export type Booking = {
  household: HouseholdPlace;
  amount: number;
  kind: 'grant' | 'deduction' | 'redemption' | 'cancellation' | 'reversal';
  rule?: Rule;
  claimId?: string;
  redemptionId?: string;
  reversesId?: string;
  note?: string | null;
  actorUserId: string;
  at: number;
  /** Refuse (return undefined) rather than take the balance below zero: redemptions. */
  floorAtZero?: boolean;
  /** The sequence holdAccount returned, when the caller already holds the account in this transaction. */
  seq?: number;
};

/**
 * Books one entry: the balance moves and the entry records the balance after, in one transaction.
 * The entry's id and sequence are taken once the account is held, so they follow booking order.
 */
export async function book(db: Kysely<DB>, booking: Booking): Promise<LedgerEntry | undefined> {
  const seq = booking.seq ?? (await holdAccount(db, booking.household, booking.at));
  const move = booking.floorAtZero ? moveBalanceAboveZero : moveBalance;
  const { rows } = await move(db, { householdId: booking.household.id, amount: booking.amount, at: booking.at });
  const updated = rows[0];
  if (!updated) return undefined;
  const row: PointsLedgerTable = {
    id: uuidv7(booking.at),
    household_id: booking.household.id,
    ...placeColumns(booking.household),
    amount: booking.amount,
    balance_after: Number(updated.balance),
    seq,
    kind: booking.kind,
    rule_id: booking.rule?.id ?? null,
    rule_item: booking.rule?.item ?? null,
    category: booking.rule?.category ?? null,
    claim_id: booking.claimId ?? null,
    redemption_id: booking.redemptionId ?? null,
    reverses_id: booking.reversesId ?? null,
    note: booking.note ?? null,
    actor_user_id: booking.actorUserId,
    month: localMonth(booking.at),
    at: booking.at,
  };
  await insertEntry(db, row);
  return toEntry(row);
}

const moveBalanceQuery = (floorAtZero: boolean) =>
  compiledOnce<{ balance: number }>((db, slot) => {
    const update = db
      .updateTable('points_accounts')
      .set((eb) => ({ balance: eb('balance', '+', slot<number>('amount')), updated_at: slot('at') }))
      .where('household_id', '=', slot<string>('householdId'));
    return (floorAtZero ? update.where(sql<boolean>`balance + ${slot('amount')} >= 0`) : update).returning('balance');
  });
const moveBalance = moveBalanceQuery(false);
/** Redemptions: the balance moves only if it stays at or above zero. */
const moveBalanceAboveZero = moveBalanceQuery(true);

const LEDGER_COLUMNS = [
  'id',
  'household_id',
  'region_id',
  'village_id',
  'township_id',
  'county_id',
  'amount',
  'balance_after',
  'seq',
  'kind',
  'rule_id',
  'rule_item',
  'category',
  'claim_id',
  'redemption_id',
  'reverses_id',
  'note',
  'actor_user_id',
  'month',
  'at',
] as const satisfies readonly (keyof PointsLedgerTable)[];
// A column added to the ledger and not to this list fails to compile rather than go unwritten.
const ledgerColumnsComplete: Exclude<keyof PointsLedgerTable, (typeof LEDGER_COLUMNS)[number]> extends never ? true : never = true;
void ledgerColumnsComplete;

const insertEntry = compiledOnce((db, slot) =>
  db.insertInto('points_ledger').values(Object.fromEntries(LEDGER_COLUMNS.map((column) => [column, slot(column)])) as PointsLedgerTable),
);

export async function findEntry(db: Kysely<DB>, id: string): Promise<LedgerEntry | undefined> {
  const row = await db.selectFrom('points_ledger').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEntry(row);
}

export async function isReversed(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('points_ledger').select('id').where('reverses_id', '=', id).executeTakeFirst()) !== undefined;
}

/** Grants of a rule to a household since a moment that have not been undone. */
export async function countGrants(db: Kysely<DB>, householdId: string, ruleId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('points_ledger as l')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.household_id', '=', householdId)
    .where('l.rule_id', '=', ruleId)
    .where('l.kind', '=', 'grant')
    .where('l.at', '>=', since)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('points_ledger as r').select('r.id').whereRef('r.reverses_id', '=', 'l.id'))),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type Account = { householdId: string; balance: number; publicName: boolean; placement: Placement };

export async function findAccount(db: Kysely<DB>, householdId: string): Promise<Account | undefined> {
  const row = await db.selectFrom('points_accounts').selectAll().where('household_id', '=', householdId).executeTakeFirst();
  return (
    row && {
      householdId: row.household_id,
      balance: row.balance,
      publicName: row.public_name === 1,
      placement: placementOf(row),
    }
  );
}

export async function setPublicName(db: Kysely<DB>, householdId: string, publicName: boolean): Promise<void> {
  await db
    .updateTable('points_accounts')
    .set({ public_name: publicName ? 1 : 0 })
    .where('household_id', '=', householdId)
    .execute();
}

/** A household's entries between two moments, oldest first. */
export async function listEntries(db: Kysely<DB>, householdId: string, from: number, to: number): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('points_ledger')
    .selectAll()
    .where('household_id', '=', householdId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('seq')
    .execute();
  return rows.map(toEntry);
}

/** The balance just before a moment: the last entry's balance after, or nothing yet. */
export async function balanceBefore(db: Kysely<DB>, householdId: string, moment: number): Promise<number> {
  const row = await db
    .selectFrom('points_ledger')
    .select('balance_after')
    .where('household_id', '=', householdId)
    .where('at', '<', moment)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.balance_after ?? 0;
}

/** Kinds that count as what a household earned (or lost) by its conduct: not what it spent. */
export const CONDUCT_KINDS = ['grant', 'deduction', 'reversal'] as const;

export type RankingRow = { householdId: string; number: string; headName: string; regionId: string; points: number; publicName: boolean };

/** Net points earned by conduct per household of a village (or one villager group) in [from, to). */
export async function earnedByHousehold(
  db: Kysely<DB>,
  filter: { villageId: string; regionId?: string; fromMonth: number; toMonth: number },
): Promise<RankingRow[]> {
  const { rows } = await sql<{
    household_id: string;
    number: string;
    head_name: string;
    region_id: string;
    points: number | string;
    public_name: number | null;
  }>`
    select h.id as household_id, h.number, h.head_name, h.region_id, coalesce(sum(l.amount), 0) as points, a.public_name
    from households h
    left join points_ledger l on l.household_id = h.id and l.month >= ${filter.fromMonth} and l.month < ${filter.toMonth}
      and l.kind in ('grant', 'deduction', 'reversal')
    left join points_accounts a on a.household_id = h.id
    where h.village_id = ${filter.villageId} ${filter.regionId ? sql`and h.region_id = ${filter.regionId}` : sql``}
    group by h.id, h.number, h.head_name, h.region_id, a.public_name`.execute(db);
  return rows.map((r) => ({
    householdId: r.household_id,
    number: r.number,
    headName: r.head_name,
    regionId: r.region_id,
    points: Number(r.points),
    publicName: r.public_name === 1,
  }));
}

// ---- Claims ---------------------------------------------------------------------------------

export type Claim = {
  id: string;
  householdId: string;
  ruleId: string;
  filedBy: string;
  note: string | null;
  state: 'submitted' | 'moreInfo' | 'approved' | 'rejected';
  reason: string | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
  ledgerId: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  placement: Placement;
  ruleItem: string;
  points: number;
  headName: string;
  photoCount: number;
};

function selectClaims(db: Kysely<DB>) {
  return db
    .selectFrom('points_claims as c')
    .innerJoin('points_rules as r', 'r.id', 'c.rule_id')
    .innerJoin('households as h', 'h.id', 'c.household_id')
    .selectAll('c')
    .select(['r.item as rule_item', 'r.points', 'h.head_name'])
    .select((eb) =>
      eb
        .selectFrom('points_claim_photos as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.claim_id', '=', 'c.id')
        .as('photo_count'),
    );
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof selectClaims>['executeTakeFirstOrThrow']>>;

const toClaim = (r: ClaimRow): Claim => ({
  id: r.id,
  householdId: r.household_id,
  ruleId: r.rule_id,
  filedBy: r.filed_by,
  note: r.note,
  state: r.state as Claim['state'],
  reason: r.reason,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  ledgerId: r.ledger_id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  placement: placementOf(r, r.household_id),
  ruleItem: r.rule_item,
  points: r.points,
  headName: r.head_name,
  photoCount: Number(r.photo_count ?? 0),
});

export async function findClaim(db: Kysely<DB>, id: string): Promise<Claim | undefined> {
  const row = await selectClaims(db).where('c.id', '=', id).executeTakeFirst();
  return row && toClaim(row);
}

export async function insertClaim(
  db: Kysely<DB>,
  claim: { id: string; household: HouseholdPlace; ruleId: string; filedBy: string; note: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('points_claims')
    .values({
      id: claim.id,
      household_id: claim.household.id,
      ...placeColumns(claim.household),
      rule_id: claim.ruleId,
      filed_by: claim.filedBy,
      note: claim.note,
      state: 'submitted',
      reason: null,
      reviewed_by: null,
      reviewed_at: null,
      ledger_id: null,
      version: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Moves a claim only if nobody moved it since it was read. */
export async function updateClaimAtVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  changes: { state: string; reason?: string | null; reviewed_by?: string; reviewed_at?: number; ledger_id?: string; note?: string | null },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('points_claims')
    .set({ ...changes, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listClaims(
  db: Kysely<DB>,
  filter: { scope: Scope; states?: string[]; householdId?: string; before?: string; limit: number },
): Promise<Claim[]> {
  let query = selectClaims(db).where(inScope(filter.scope, { table: 'c', householdColumn: 'household_id' }));
  if (filter.states) query = query.where('c.state', 'in', filter.states);
  if (filter.householdId) query = query.where('c.household_id', '=', filter.householdId);
  if (filter.before) query = query.where('c.id', '<', filter.before);
  const rows = await query
    .orderBy('c.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map(toClaim);
}

export async function insertClaimPhoto(
  db: Kysely<DB>,
  photo: {
    id: string;
    claimId: string;
    stage: string;
    fileKey: string;
    thumbKey: string;
    width: number;
    height: number;
    uploadedBy: string;
  },
  now: number,
): Promise<void> {
  await db
    .insertInto('points_claim_photos')
    .values({
      id: photo.id,
      claim_id: photo.claimId,
      stage: photo.stage,
      file_key: photo.fileKey,
      thumb_key: photo.thumbKey,
      width: photo.width,
      height: photo.height,
      uploaded_by: photo.uploadedBy,
      created_at: now,
    })
    .execute();
}

export async function listClaimPhotos(db: Kysely<DB>, claimId: string) {
  return db.selectFrom('points_claim_photos').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();
}

// ---- Deduction appeals ----------------------------------------------------------------------

export async function insertAppeal(
  db: Kysely<DB>,
  appeal: { ledgerId: string; householdId: string; villageId: string; reason: string },
  now: number,
): Promise<boolean> {
  const result = await db
    .insertInto('points_appeals')
    .values({
      ledger_id: appeal.ledgerId,
      household_id: appeal.householdId,
      village_id: appeal.villageId,
      reason: appeal.reason,
      state: 'open',
      decided_by: null,
      decision_note: null,
      created_at: now,
      decided_at: null,
    })
    .onConflict((oc) => oc.column('ledger_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findAppeal(db: Kysely<DB>, ledgerId: string) {
  return db.selectFrom('points_appeals').selectAll().where('ledger_id', '=', ledgerId).executeTakeFirst();
}

export async function decideAppeal(db: Kysely<DB>, ledgerId: string, state: string, decidedBy: string, note: string | null, now: number) {
  const result = await db
    .updateTable('points_appeals')
    .set({ state, decided_by: decidedBy, decision_note: note, decided_at: now })
    .where('ledger_id', '=', ledgerId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---- Goods and redemptions ------------------------------------------------------------------

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
  placement: { regionId: g.village_id, villageId: g.village_id, townshipId: g.township_id, countyId: g.county_id },
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

export async function insertGoods(
  db: Kysely<DB>,
  id: string,
  village: Placement,
  goods: GoodsWrite & { received: number; sortOrder?: number },
  now: number,
) {
  await db
    .insertInto('points_goods')
    .values({
      id,
      village_id: village.villageId as string,
      township_id: village.townshipId,
      county_id: village.countyId,
      name: goods.name,
      name_en: goods.nameEn,
      unit: goods.unit,
      price: goods.price,
      received: goods.received,
      collected: 0,
      pending: 0,
      reorder_level: goods.reorderLevel,
      photo_key: null,
      active: goods.active ? 1 : 0,
      sort_order: goods.sortOrder ?? 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateGoods(db: Kysely<DB>, id: string, goods: GoodsWrite, now: number) {
  await db
    .updateTable('points_goods')
    .set({
      name: goods.name,
      name_en: goods.nameEn,
      unit: goods.unit,
      price: goods.price,
      reorder_level: goods.reorderLevel,
      active: goods.active ? 1 : 0,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function setGoodsPhoto(db: Kysely<DB>, id: string, photoKey: string, now: number) {
  await db.updateTable('points_goods').set({ photo_key: photoKey, updated_at: now }).where('id', '=', id).execute();
}

export async function goodsPhotoKey(db: Kysely<DB>, id: string): Promise<string | null | undefined> {
  return (await db.selectFrom('points_goods').select('photo_key').where('id', '=', id).executeTakeFirst())?.photo_key;
}

export async function restock(db: Kysely<DB>, id: string, quantity: number, now: number) {
  await db
    .updateTable('points_goods')
    .set((eb) => ({ received: eb('received', '+', quantity), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

/** Reserves stock for a redemption if enough is left: one conditional update, so two people never get the last one. */
export async function reserveStock(db: Kysely<DB>, goodsId: string, quantity: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('points_goods')
    .set((eb) => ({ pending: eb('pending', '+', quantity), updated_at: now }))
    .where('id', '=', goodsId)
    .where('active', '=', 1)
    .where(sql<boolean>`received - collected - pending >= ${quantity}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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

export type Redemption = {
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
  headName: string;
  placement: Placement;
};

function selectRedemptions(db: Kysely<DB>) {
  return db
    .selectFrom('points_redemptions as r')
    .innerJoin('points_goods as g', 'g.id', 'r.goods_id')
    .innerJoin('households as h', 'h.id', 'r.household_id')
    .selectAll('r')
    .select(['g.name as goods_name', 'h.head_name', 'h.region_id']);
}

type RedemptionRow = Awaited<ReturnType<ReturnType<typeof selectRedemptions>['executeTakeFirstOrThrow']>>;

const toRedemption = (r: RedemptionRow): Redemption => ({
  id: r.id,
  householdId: r.household_id,
  goodsId: r.goods_id,
  goodsName: r.goods_name,
  quantity: r.quantity,
  points: r.points,
  state: r.state as Redemption['state'],
  ledgerId: r.ledger_id,
  cancelLedgerId: r.cancel_ledger_id,
  createdBy: r.created_by,
  version: r.version,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  headName: r.head_name,
  placement: placementOf(r, r.household_id),
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
      village_id: redemption.household.placement.villageId as string,
      township_id: redemption.household.placement.townshipId,
      county_id: redemption.household.placement.countyId,
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

export async function findRedemption(db: Kysely<DB>, id: string): Promise<Redemption | undefined> {
  const row = await selectRedemptions(db).where('r.id', '=', id).executeTakeFirst();
  return row && toRedemption(row);
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

export async function listRedemptions(
  db: Kysely<DB>,
  filter: { scope: Scope; states?: string[]; householdId?: string; before?: string; limit: number },
): Promise<Redemption[]> {
  // A redemption is placed down to its village only; its villager group is its household's.
  let query = selectRedemptions(db).where(inScope(filter.scope, { table: 'r', householdColumn: 'household_id', regionRef: 'h.region_id' }));
  if (filter.states) query = query.where('r.state', 'in', filter.states);
  if (filter.householdId) query = query.where('r.household_id', '=', filter.householdId);
  if (filter.before) query = query.where('r.id', '<', filter.before);
  const rows = await query
    .orderBy('r.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map(toRedemption);
}

// ---- Reports and verification ---------------------------------------------------------------

export type ReportRow = {
  month: number;
  regionId: string;
  category: string | null;
  ruleItem: string | null;
  kind: string;
  points: number;
  entries: number;
};

/** Points booked in a village by month, villager group, category, rule and kind. */
export async function report(db: Kysely<DB>, villageId: string, fromMonth: number, toMonth: number): Promise<ReportRow[]> {
  const rows = await db
    .selectFrom('points_ledger')
    .select(['month', 'region_id', 'category', 'rule_item', 'kind'])
    .select((eb) => [eb.fn.sum<number>('amount').as('points'), eb.fn.countAll<number>().as('entries')])
    .where('village_id', '=', villageId)
    .where('month', '>=', fromMonth)
    .where('month', '<', toMonth)
    .groupBy(['month', 'region_id', 'category', 'rule_item', 'kind'])
    .orderBy('month')
    .execute();
  return rows.map((r) => ({
    month: r.month,
    regionId: r.region_id,
    category: r.category,
    ruleItem: r.rule_item,
    kind: r.kind,
    points: Number(r.points),
    entries: Number(r.entries),
  }));
}

export type Mismatch = { kind: 'balance' | 'chain' | 'stock'; id: string; expected: number; actual: number };

/**
 * Recomputes every balance from its ledger, checks each entry's balance-after against the running
 * sum, and each item's stock counters against its redemptions.
 */
export async function verify(db: Kysely<DB>): Promise<{ accounts: number; entries: number; goods: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  const accounts = await db.selectFrom('points_accounts').select(['household_id', 'balance']).execute();
  const sums = new Map(
    (
      await db
        .selectFrom('points_ledger')
        .select('household_id')
        .select((eb) => eb.fn.sum<number>('amount').as('total'))
        .groupBy('household_id')
        .execute()
    ).map((r) => [r.household_id, Number(r.total)]),
  );
  for (const account of accounts) {
    const total = sums.get(account.household_id) ?? 0;
    if (total !== account.balance) mismatches.push({ kind: 'balance', id: account.household_id, expected: total, actual: account.balance });
  }
  let entries = 0;
  let previous: { household: string; balance: number } | undefined;
  let after: [string, number] | undefined;
  for (;;) {
    let query = db
      .selectFrom('points_ledger')
      .select(['id', 'household_id', 'seq', 'amount', 'balance_after'])
      .orderBy('household_id')
      .orderBy('seq')
      .limit(5000);
    if (after) {
      const [household, seq] = after;
      query = query.where((eb) =>
        eb.or([eb('household_id', '>', household), eb.and([eb('household_id', '=', household), eb('seq', '>', seq)])]),
      );
    }
    const batch = await query.execute();
    for (const entry of batch) {
      const start = previous?.household === entry.household_id ? previous.balance : 0;
      if (start + entry.amount !== entry.balance_after) {
        mismatches.push({ kind: 'chain', id: entry.id, expected: start + entry.amount, actual: entry.balance_after });
      }
      previous = { household: entry.household_id, balance: entry.balance_after };
    }
    entries += batch.length;
    if (batch.length < 5000) break;
    const last = batch[batch.length - 1] as { household_id: string; seq: number };
    after = [last.household_id, last.seq];
  }
  const goods = await db.selectFrom('points_goods').selectAll().execute();
  const held = await db
    .selectFrom('points_redemptions')
    .select(['goods_id', 'state'])
    .select((eb) => eb.fn.sum<number>('quantity').as('quantity'))
    .where('state', 'in', ['pending', 'collected'])
    .groupBy(['goods_id', 'state'])
    .execute();
  for (const item of goods) {
    const of = (state: string) => Number(held.find((h) => h.goods_id === item.id && h.state === state)?.quantity ?? 0);
    if (of('pending') !== item.pending) mismatches.push({ kind: 'stock', id: item.id, expected: of('pending'), actual: item.pending });
    if (of('collected') !== item.collected)
      mismatches.push({ kind: 'stock', id: item.id, expected: of('collected'), actual: item.collected });
    if (item.received - item.collected - item.pending < 0) {
      mismatches.push({ kind: 'stock', id: item.id, expected: 0, actual: item.received - item.collected - item.pending });
    }
  }
  return { accounts: accounts.length, entries, goods: goods.length, mismatches };
}

export type VillageSummary = {
  households: number;
  earningHouseholds: number;
  granted: number;
  deducted: number;
  redeemed: number;
  byCategory: { category: string; points: number }[];
};

/** Rural civilization (乡风文明) figures of a village for [fromMonth, toMonth): what the dashboard shows. */
export async function villageSummary(db: Kysely<DB>, villageId: string, fromMonth: number, toMonth: number): Promise<VillageSummary> {
  const [households, kinds, categories, earning] = await Promise.all([
    db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('village_id', '=', villageId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('points_ledger')
      .select(['kind'])
      .select((eb) => eb.fn.sum<number>('amount').as('points'))
      .where('village_id', '=', villageId)
      .where('month', '>=', fromMonth)
      .where('month', '<', toMonth)
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('points_ledger')
      .select(['category'])
      .select((eb) => eb.fn.sum<number>('amount').as('points'))
      .where('village_id', '=', villageId)
      .where('month', '>=', fromMonth)
      .where('month', '<', toMonth)
      .where('kind', '=', 'grant')
      .groupBy('category')
      .execute(),
    db
      .selectFrom('points_ledger')
      .select((eb) => eb.fn.count<number>('household_id').distinct().as('n'))
      .where('village_id', '=', villageId)
      .where('month', '>=', fromMonth)
      .where('month', '<', toMonth)
      .where('kind', '=', 'grant')
      .executeTakeFirstOrThrow(),
  ]);
  const of = (kind: string) => Number(kinds.find((k) => k.kind === kind)?.points ?? 0);
  return {
    households: Number(households.n),
    earningHouseholds: Number(earning.n),
    granted: of('grant'),
    deducted: -of('deduction'),
    redeemed: -(of('redemption') + of('cancellation')),
    byCategory: categories.map((c) => ({ category: c.category ?? '', points: Number(c.points) })).sort((a, b) => b.points - a.points),
  };
}
