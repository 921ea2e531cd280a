// The county's monitoring settings per year and every record of a household's economics.
import type { Kysely } from 'kysely';
import { placedColumns } from '../../db/placement.ts';
import type { DB, PovertyEconomicsTable } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';

export type StoredSettings = {
  countyId: string;
  year: number;
  incomeLine: number;
  expenseRatio: number;
  expenseMinimum: number;
  stableMonths: number;
  visitIntervalDays: number;
  noticeDays: number;
};

export async function findSettings(db: Kysely<DB>, countyId: string, year: number): Promise<StoredSettings | undefined> {
  // The newest year set at or before the one asked for: a county that set 2025's line keeps it in 2026 until it changes it.
  const row = await db
    .selectFrom('poverty_settings')
    .selectAll()
    .where('county_id', '=', countyId)
    .where('year', '<=', year)
    .orderBy('year', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (
    row && {
      countyId: row.county_id,
      year: row.year,
      incomeLine: row.income_line,
      expenseRatio: row.expense_ratio,
      expenseMinimum: row.expense_minimum,
      stableMonths: row.stable_months,
      visitIntervalDays: row.visit_interval_days,
      noticeDays: row.notice_days,
    }
  );
}

export async function upsertSettings(db: Kysely<DB>, settings: StoredSettings, by: string, now: number): Promise<void> {
  const values = {
    income_line: settings.incomeLine,
    expense_ratio: settings.expenseRatio,
    expense_minimum: settings.expenseMinimum,
    stable_months: settings.stableMonths,
    visit_interval_days: settings.visitIntervalDays,
    notice_days: settings.noticeDays,
    updated_by: by,
    updated_at: now,
  };
  await db
    .insertInto('poverty_settings')
    .values({ county_id: settings.countyId, year: settings.year, ...values })
    .onConflict((oc) => oc.columns(['county_id', 'year']).doUpdateSet(values))
    .execute();
}

export type EconomicsRow = {
  id: string;
  householdId: string;
  placement: Placement;
  year: number;
  members: number;
  labour: number;
  formerlyPoor: boolean;
  income: Record<string, number>;
  incomeYear: number;
  incomeLast12: number;
  perCapitaYear: number;
  perCapitaLast12: number;
  expenses: { kind: string; amount: number; note?: string }[];
  assurances: Record<string, boolean>;
  seriousIllness: boolean;
  disaster: boolean;
  causesResolved: boolean;
  note: string | null;
  source: 'entry' | 'import';
  recordedBy: string | null;
  recordedAt: number;
};

const fromRow = (r: PovertyEconomicsTable): EconomicsRow => ({
  id: r.id,
  householdId: r.household_id,
  placement: {
    regionId: r.region_id,
    villageId: r.village_id,
    townshipId: r.township_id,
    countyId: r.county_id,
    householdId: r.household_id,
  },
  year: r.year,
  members: r.members,
  labour: r.labour,
  formerlyPoor: r.formerly_poor === 1,
  income: JSON.parse(r.income) as Record<string, number>,
  incomeYear: r.income_year,
  incomeLast12: r.income_last12,
  perCapitaYear: r.per_capita_year,
  perCapitaLast12: r.per_capita_last12,
  expenses: JSON.parse(r.expenses) as EconomicsRow['expenses'],
  assurances: JSON.parse(r.assurances) as Record<string, boolean>,
  seriousIllness: r.serious_illness === 1,
  disaster: r.disaster === 1,
  causesResolved: r.causes_resolved === 1,
  note: r.note,
  source: r.source as EconomicsRow['source'],
  recordedBy: r.recorded_by,
  recordedAt: Number(r.recorded_at),
});

export async function insertEconomics(db: Kysely<DB>, row: EconomicsRow): Promise<EconomicsRow> {
  await db
    .insertInto('poverty_economics')
    .values({
      id: row.id,
      household_id: row.householdId,
      ...placedColumns(row.placement),
      year: row.year,
      members: row.members,
      labour: row.labour,
      formerly_poor: row.formerlyPoor ? 1 : 0,
      income: JSON.stringify(row.income),
      income_year: row.incomeYear,
      income_last12: row.incomeLast12,
      per_capita_year: row.perCapitaYear,
      per_capita_last12: row.perCapitaLast12,
      expenses: JSON.stringify(row.expenses),
      assurances: JSON.stringify(row.assurances),
      serious_illness: row.seriousIllness ? 1 : 0,
      disaster: row.disaster ? 1 : 0,
      causes_resolved: row.causesResolved ? 1 : 0,
      note: row.note,
      source: row.source,
      recorded_by: row.recordedBy,
      recorded_at: row.recordedAt,
    })
    .execute();
  return row;
}

/** A household's records, newest first. */
export async function economicsOf(db: Kysely<DB>, householdId: string, limit = 60): Promise<EconomicsRow[]> {
  const rows = await db
    .selectFrom('poverty_economics')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}
