// The ledger: one account per household and an append-only list of entries, each recording the
// balance after it. Bookings are the hot write of the points bank, compiled once.
import { type Kysely, sql } from 'kysely';
import { compiledOnce, type Slot } from '../../db/compiled-once.ts';
import { placementOf } from '../../db/placement.ts';
import type { DB, PointsAccountTable, PointsLedgerTable } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type HouseholdPlace, placeColumns } from './points.repository.ts';
import { localMonth } from './points-calendar.ts';
import type { Rule } from './points-rules.repository.ts';

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

/** A new account's row, its balance given by the statement: 0 when only held, the amount when held and moved at once. */
const accountRow = (slot: Slot, balance: number): PointsAccountTable => ({
  household_id: slot('household_id'),
  region_id: slot('region_id'),
  village_id: slot('village_id'),
  township_id: slot('township_id'),
  county_id: slot('county_id'),
  balance,
  public_name: 0,
  version: 1,
  updated_at: slot('now'),
});

const holdAccountQuery = compiledOnce<{ version: number }>((db, slot) =>
  db
    .insertInto('points_accounts')
    .values(accountRow(slot, 0))
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

// Opening or holding the account and moving its balance in one statement, for a booking that
// checks nothing between the two (no limit to count, no floor): one write of the account row
// instead of two, a statement fewer on the hottest booking path (a grant without limits).
const holdAndMoveQuery = compiledOnce<{ version: number; balance: number }>((db, slot) =>
  db
    .insertInto('points_accounts')
    .values(accountRow(slot, slot<number>('amount')))
    .onConflict((oc) =>
      oc.column('household_id').doUpdateSet((eb) => ({
        version: eb('points_accounts.version', '+', 1),
        balance: eb('points_accounts.balance', '+', slot<number>('amount')),
        updated_at: slot<number>('now'),
      })),
    )
    .returning(['version', 'balance']),
);

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
  /** Refuse (return undefined) rather than take the balance below zero: redemptions, deductions, reversals. */
  floorAtZero?: boolean;
  /** The sequence holdAccount returned, when the caller already holds the account in this transaction. */
  seq?: number;
};

/**
 * Books one entry: the balance moves and the entry records the balance after, in one transaction.
 * The entry's id and sequence are taken once the account is held, so they follow booking order.
 * Only a booking floored at zero can be refused.
 */
export async function book(db: Kysely<DB>, booking: Booking & { floorAtZero: true }): Promise<LedgerEntry | undefined>;
export async function book(db: Kysely<DB>, booking: Booking & { floorAtZero?: false }): Promise<LedgerEntry>;
export async function book(db: Kysely<DB>, booking: Booking): Promise<LedgerEntry | undefined> {
  let seq: number;
  let updated: { balance: number } | undefined;
  if (booking.seq === undefined && !booking.floorAtZero) {
    const values = { household_id: booking.household.id, ...placeColumns(booking.household), amount: booking.amount, now: booking.at };
    const held = (await holdAndMoveQuery(db, values)).rows[0] as { version: number; balance: number };
    seq = Number(held.version);
    updated = held;
  } else {
    seq = booking.seq ?? (await holdAccount(db, booking.household, booking.at));
    const move = booking.floorAtZero ? moveBalanceAboveZero : moveBalance;
    updated = (await move(db, { householdId: booking.household.id, amount: booking.amount, at: booking.at })).rows[0];
  }
  if (!updated) {
    if (booking.floorAtZero) return undefined;
    throw new Error(`no points account for household ${booking.household.id} after holding it`);
  }
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
/** Bookings that take points away: the balance moves only if it stays at or above zero. */
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

export async function decideAppeal(db: Kysely<DB>, ledgerId: string, state: string, decidedBy: string, note: string | null, now: number) {
  const result = await db
    .updateTable('points_appeals')
    .set({ state, decided_by: decidedBy, decision_note: note, decided_at: now })
    .where('ledger_id', '=', ledgerId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
