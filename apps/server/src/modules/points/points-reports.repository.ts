// Figures read across the points tables: rankings, the village report and dashboard summary, and
// the verification that every balance and stock counter agrees with the ledger and redemptions.
import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';

export type Earned = { points: number; publicName: boolean };

/** Households are asked about in slices, so that a large village stays under the parameter limits. */
const SLICE = 5000;

/**
 * Net points earned by conduct in [from, to) by each of these households (a village's, listed by
 * org), and whether it agreed to be named; households with neither are left out.
 */
export async function earnedByHousehold(
  db: Kysely<DB>,
  filter: { householdIds: readonly string[]; fromMonth: number; toMonth: number },
): Promise<Map<string, Earned>> {
  const earned = new Map<string, Earned>();
  const of = (id: string): Earned => {
    const known = earned.get(id);
    if (known) return known;
    const entry = { points: 0, publicName: false };
    earned.set(id, entry);
    return entry;
  };
  for (let start = 0; start < filter.householdIds.length; start += SLICE) {
    const ids = filter.householdIds.slice(start, start + SLICE);
    const [sums, accounts] = await Promise.all([
      db
        .selectFrom('points_ledger')
        .select('household_id')
        .select((eb) => eb.fn.sum<number | string>('amount').as('points'))
        .where('household_id', 'in', ids)
        .where('month', '>=', filter.fromMonth)
        .where('month', '<', filter.toMonth)
        .where('kind', 'in', ['grant', 'deduction', 'reversal'])
        .groupBy('household_id')
        .execute(),
      db.selectFrom('points_accounts').select(['household_id', 'public_name']).where('household_id', 'in', ids).execute(),
    ]);
    for (const row of sums) of(row.household_id).points = Number(row.points);
    for (const row of accounts) of(row.household_id).publicName = row.public_name === 1;
  }
  return earned;
}

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

/** The ledger is walked household by household in booking order, a batch at a time. */
const CHAIN_KEYS = [
  ['household_id', 'asc'],
  ['seq', 'asc'],
] as const;
const BATCH = 5000;

export type Mismatch = { kind: 'balance' | 'chain' | 'negative' | 'stock'; id: string; expected: number; actual: number };

/**
 * Recomputes every balance from its ledger, checks each entry's balance-after against the running
 * sum and that none is below zero (a balance never goes negative), and each item's stock counters
 * against its redemptions.
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
    const query = db.selectFrom('points_ledger').select(['id', 'household_id', 'seq', 'amount', 'balance_after']);
    const fetched = await keysetPage(query, CHAIN_KEYS, after, BATCH).execute();
    const batch = fetched.slice(0, BATCH);
    for (const entry of batch) {
      const start = previous?.household === entry.household_id ? previous.balance : 0;
      if (start + entry.amount !== entry.balance_after) {
        mismatches.push({ kind: 'chain', id: entry.id, expected: start + entry.amount, actual: entry.balance_after });
      }
      if (entry.balance_after < 0) mismatches.push({ kind: 'negative', id: entry.id, expected: 0, actual: entry.balance_after });
      previous = { household: entry.household_id, balance: entry.balance_after };
    }
    entries += batch.length;
    const last = batch.at(-1);
    if (fetched.length <= BATCH || !last) break;
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

/** What the ledger tells of a village; the dashboard's count of households is org's (points-reports.service.ts asks it). */
export type VillageFigures = {
  earningHouseholds: number;
  granted: number;
  deducted: number;
  redeemed: number;
  byCategory: { category: string; points: number }[];
};

/** Rural civilization (乡风文明) figures of a village for [fromMonth, toMonth): what the dashboard shows. */
export async function villageSummary(db: Kysely<DB>, villageId: string, fromMonth: number, toMonth: number): Promise<VillageFigures> {
  const [kinds, categories, earning] = await Promise.all([
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
    earningHouseholds: Number(earning.n),
    granted: of('grant'),
    deducted: -of('deduction'),
    redeemed: -(of('redemption') + of('cancellation')),
    byCategory: categories.map((c) => ({ category: c.category ?? '', points: Number(c.points) })).sort((a, b) => b.points - a.points),
  };
}
