// Figures read across the points tables: rankings, the village report and dashboard summary, and
// the verification that every balance and stock counter agrees with the ledger and redemptions.
import { type Kysely, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';

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
    const query = db.selectFrom('points_ledger').select(['id', 'household_id', 'seq', 'amount', 'balance_after']);
    const fetched = await keysetPage(query, CHAIN_KEYS, after, BATCH).execute();
    const batch = fetched.slice(0, BATCH);
    for (const entry of batch) {
      const start = previous?.household === entry.household_id ? previous.balance : 0;
      if (start + entry.amount !== entry.balance_after) {
        mismatches.push({ kind: 'chain', id: entry.id, expected: start + entry.amount, actual: entry.balance_after });
      }
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
