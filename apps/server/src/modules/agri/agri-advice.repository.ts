// The advice library (agri_advice_rules), its validity periods and deliveries (one row per rule,
// household and period), and the weather by place and day (agri_weather).
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { AgriAdviceRuleTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type RuleRecord = {
  id: string;
  title: string;
  body: string;
  subjects: string[];
  growthStages: string[];
  months: number[];
  solarTerms: string[];
  weather: string[];
  pictureIds: string[];
  validDays: number;
  active: boolean;
  placement: Placement;
  authorId: string;
  authorName: string;
  createdAt: number;
  updatedAt: number;
};

const toRule = (r: AgriAdviceRuleTable): RuleRecord => ({
  id: r.id,
  title: r.title,
  body: r.body,
  subjects: JSON.parse(r.subjects),
  growthStages: JSON.parse(r.growth_stages),
  months: JSON.parse(r.months),
  solarTerms: JSON.parse(r.solar_terms),
  weather: JSON.parse(r.weather),
  pictureIds: JSON.parse(r.picture_ids),
  validDays: Number(r.valid_days),
  active: Number(r.active) === 1,
  placement: placementOf(r),
  authorId: r.author_id,
  authorName: r.author_name,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const ruleColumns = (r: RuleRecord) => ({
  title: r.title,
  body: r.body,
  subjects: JSON.stringify(r.subjects),
  growth_stages: JSON.stringify(r.growthStages),
  months: JSON.stringify(r.months),
  solar_terms: JSON.stringify(r.solarTerms),
  weather: JSON.stringify(r.weather),
  picture_ids: JSON.stringify(r.pictureIds),
  valid_days: r.validDays,
  active: r.active ? 1 : 0,
  updated_at: r.updatedAt,
});

export async function insertRule(db: Kysely<DB>, r: RuleRecord): Promise<RuleRecord> {
  await db
    .insertInto('agri_advice_rules')
    .values({
      id: r.id,
      ...ruleColumns(r),
      ...placedColumns(r.placement),
      author_id: r.authorId,
      author_name: r.authorName,
      created_at: r.createdAt,
    })
    .execute();
  return r;
}

export async function saveRule(db: Kysely<DB>, r: RuleRecord): Promise<void> {
  await db.updateTable('agri_advice_rules').set(ruleColumns(r)).where('id', '=', r.id).execute();
}

export async function findRule(db: Kysely<DB>, id: string): Promise<RuleRecord | undefined> {
  const row = await db.selectFrom('agri_advice_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRule(row);
}

export async function findRules(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, RuleRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('agri_advice_rules').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toRule(r)]));
}

/** Rules placed in the scope, or above it (a county rule reaches a township's worker), newest first. */
export async function listRules(
  db: Kysely<DB>,
  scope: Scope,
  aboveIds: readonly string[],
  filter: { activeOnly?: boolean; subject?: string },
  before: string | undefined,
  limit: number,
): Promise<RuleRecord[]> {
  let query = db
    .selectFrom('agri_advice_rules as r')
    .selectAll('r')
    .where((eb) =>
      aboveIds.length > 0 ? eb.or([inScope(scope, { table: 'r' }), eb('r.region_id', 'in', aboveIds)]) : inScope(scope, { table: 'r' }),
    );
  if (filter.activeOnly) query = query.where('r.active', '=', 1);
  if (filter.subject) query = query.where('r.subjects', 'like', `%"${filter.subject}"%`);
  if (before) query = query.where('r.id', '<', before);
  const rows = await query.orderBy('r.id', 'desc').limit(limit).execute();
  return rows.map(toRule);
}

export type PeriodRecord = { id: string; ruleId: string; startsOn: string; endsOn: string };

/** The rule's period that covers `day` (YYYY-MM-DD), if one was opened. */
export async function findOpenPeriod(db: Kysely<DB>, ruleId: string, day: string): Promise<PeriodRecord | undefined> {
  const row = await db
    .selectFrom('agri_advice_periods')
    .selectAll()
    .where('rule_id', '=', ruleId)
    .where('starts_on', '<=', day)
    .where('ends_on', '>', day)
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
  return row && { id: row.id, ruleId: row.rule_id, startsOn: row.starts_on, endsOn: row.ends_on };
}

/** Opens a period; a twin opened it first when (rule, start) exists, and that one is returned. */
export async function openPeriod(db: Kysely<DB>, p: PeriodRecord, now: number): Promise<PeriodRecord> {
  await db
    .insertInto('agri_advice_periods')
    .values({ id: p.id, rule_id: p.ruleId, starts_on: p.startsOn, ends_on: p.endsOn, created_at: now })
    .onConflict((oc) => oc.columns(['rule_id', 'starts_on']).doNothing())
    .execute();
  return (await findOpenPeriod(db, p.ruleId, p.startsOn)) as PeriodRecord;
}

export type DeliveryRecord = {
  ruleId: string;
  householdId: string;
  periodId: string;
  noticeId: string | null;
  placement: Placement;
  deliveredAt: number;
};

/** Records deliveries not yet made; returns the households newly recorded (the primary key decides). */
export async function insertDeliveries(db: Kysely<DB>, rows: readonly DeliveryRecord[]): Promise<string[]> {
  const made: string[] = [];
  for (const d of rows) {
    const result = await db
      .insertInto('agri_advice_deliveries')
      .values({
        rule_id: d.ruleId,
        household_id: d.householdId,
        period_id: d.periodId,
        notice_id: d.noticeId,
        ...placedColumns(d.placement),
        delivered_at: d.deliveredAt,
      })
      .onConflict((oc) => oc.columns(['rule_id', 'household_id', 'period_id']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) made.push(d.householdId);
  }
  return made;
}

export async function deliveriesOfPeriod(
  db: Kysely<DB>,
  periodId: string,
): Promise<{ householdId: string; noticeId: string | null; placement: Placement }[]> {
  const rows = await db.selectFrom('agri_advice_deliveries').selectAll().where('period_id', '=', periodId).execute();
  return rows.map((r) => ({ householdId: r.household_id, noticeId: r.notice_id, placement: placementOf(r) }));
}

export type HouseholdAdvice = { ruleId: string; noticeId: string | null; startsOn: string; endsOn: string; deliveredAt: number };

export async function adviceOfHousehold(db: Kysely<DB>, householdId: string, limit: number): Promise<HouseholdAdvice[]> {
  const rows = await db
    .selectFrom('agri_advice_deliveries as d')
    .innerJoin('agri_advice_periods as p', 'p.id', 'd.period_id')
    .select(['d.rule_id', 'd.notice_id', 'p.starts_on', 'p.ends_on', 'd.delivered_at'])
    .where('d.household_id', '=', householdId)
    .orderBy('d.delivered_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ruleId: r.rule_id,
    noticeId: r.notice_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    deliveredAt: Number(r.delivered_at),
  }));
}

export type PeriodCount = { periodId: string; ruleId: string; startsOn: string; endsOn: string; households: number; noticeIds: string[] };

/** Households advised per rule and period, for deliveries placed in the scope; newest periods first. */
export async function countByPeriod(
  db: Kysely<DB>,
  scope: Scope,
  ruleId: string | undefined,
  before: string | undefined,
  limit: number,
): Promise<PeriodCount[]> {
  let query = db
    .selectFrom('agri_advice_deliveries as d')
    .innerJoin('agri_advice_periods as p', 'p.id', 'd.period_id')
    .select((eb) => ['p.id', 'p.rule_id', 'p.starts_on', 'p.ends_on', eb.fn.count<number>('d.household_id').as('households')])
    .where(inScope(scope, { table: 'd' }));
  if (ruleId) query = query.where('p.rule_id', '=', ruleId);
  if (before) query = query.where('p.id', '<', before);
  const rows = await query.groupBy(['p.id', 'p.rule_id', 'p.starts_on', 'p.ends_on']).orderBy('p.id', 'desc').limit(limit).execute();
  const out: PeriodCount[] = [];
  for (const r of rows) {
    const notices = await db
      .selectFrom('agri_advice_deliveries as d')
      .select('d.notice_id')
      .distinct()
      .where('d.period_id', '=', r.id)
      .where(inScope(scope, { table: 'd' }))
      .execute();
    out.push({
      periodId: r.id,
      ruleId: r.rule_id,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      households: Number(r.households),
      noticeIds: notices.map((n) => n.notice_id).filter((n): n is string => n !== null),
    });
  }
  return out;
}

export type WeatherRecord = {
  id: string;
  regionId: string;
  date: string;
  minTempC: number;
  maxTempC: number;
  rainMm: number;
  named: string[];
  source: string;
  updatedBy: string | null;
  updatedAt: number;
};

/** Inserts or replaces a place's day. */
export async function saveWeather(db: Kysely<DB>, w: WeatherRecord): Promise<void> {
  const values = {
    min_temp_c: w.minTempC,
    max_temp_c: w.maxTempC,
    rain_mm: w.rainMm,
    named_conditions: JSON.stringify(w.named),
    source: w.source,
    updated_by: w.updatedBy,
    updated_at: w.updatedAt,
  };
  await db
    .insertInto('agri_weather')
    .values({ id: w.id, region_id: w.regionId, date: w.date, ...values })
    .onConflict((oc) => oc.columns(['region_id', 'date']).doUpdateSet(values))
    .execute();
}

export async function listWeather(db: Kysely<DB>, regionIds: readonly string[], from: string, to: string): Promise<WeatherRecord[]> {
  if (regionIds.length === 0) return [];
  const rows = await db
    .selectFrom('agri_weather')
    .selectAll()
    .where('region_id', 'in', regionIds)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('region_id')
    .orderBy('date')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    regionId: r.region_id,
    date: r.date,
    minTempC: Number(r.min_temp_c),
    maxTempC: Number(r.max_temp_c),
    rainMm: Number(r.rain_mm),
    named: JSON.parse(r.named_conditions) as string[],
    source: r.source,
    updatedBy: r.updated_by,
    updatedAt: Number(r.updated_at),
  }));
}

/** Every active rule (the daily run, system use). */
export async function listActiveRules(db: Kysely<DB>): Promise<RuleRecord[]> {
  const rows = await db.selectFrom('agri_advice_rules').selectAll().where('active', '=', 1).orderBy('id').limit(5000).execute();
  return rows.map(toRule);
}
