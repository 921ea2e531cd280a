// Advice reaches exactly the households it concerns: for each active rule that holds today (month,
// solar term), the households with a plot or flock of its subjects at its stages, in places whose
// weather meets it. Each household gets a rule at most once per validity period: the period opens
// the first day the rule reaches anyone and lasts its validDays; one delivery row per rule,
// household and period (the primary key) decides who is new. The advice goes out as a notice of
// the notices module, with its read receipts, to the new households only; a notice's id is written
// with its deliveries first, so a run cut short is finished by the next and nobody gets it twice.
import type { AdviceSubject, SolarTerm, WeatherCondition } from '@cunzhi/contracts/agri';
import { hasPermission, type Principal, type Scope, scopeIncludes } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { householdsThatRead, sendToHouseholds } from '../notices/notices.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { type FarmSubject, householdsConcerned, ruleHoldsToday } from './advice-match.ts';
import { farmHousehold, scopeWithin, todayIn } from './agri-access.ts';
import * as repo from './agri-advice.repository.ts';
import { agriToday, getRule, placesAbove, weatherOf } from './agri-advice.service.ts';
import * as farms from './agri-farms.repository.ts';

const dayShift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const scopeOfPlacement = (p: { regionId: string; countyId: string | null; townshipId: string | null; villageId: string | null }) => ({
  countyIds: p.countyId === p.regionId ? [p.regionId] : [],
  townshipIds: p.townshipId === p.regionId ? [p.regionId] : [],
  villageIds: p.villageId === p.regionId ? [p.regionId] : [],
  regionIds: [p.countyId, p.townshipId, p.villageId].includes(p.regionId) ? [] : [p.regionId],
  householdIds: [],
});

export type RunResult = { rules: number; households: number; notices: number };

/** The households a rule concerns today, with their places. */
async function concerned(
  deps: Deps,
  rule: repo.RuleRecord,
  now: number,
  within?: Scope,
): Promise<{ ids: string[]; places: Map<string, farms.SubjectRow['placement']> }> {
  const today = agriToday(now);
  const calendar = { month: today.month, solarTerm: today.solarTerm.term as SolarTerm };
  if (
    !ruleHoldsToday(
      {
        ...rule,
        subjects: rule.subjects as AdviceSubject[],
        solarTerms: rule.solarTerms as SolarTerm[],
        weather: rule.weather as WeatherCondition[],
      },
      calendar,
    )
  )
    return { ids: [], places: new Map() };
  let rows = await farms.subjectsInScope(deps.reader, scopeOfPlacement(rule.placement), rule.subjects);
  if (within) rows = rows.filter((r) => scopeIncludes(within, r.placement));
  const weatherRegions = [
    ...new Set(rows.flatMap((r) => [r.placement.townshipId, r.placement.countyId]).filter((id): id is string => id !== null)),
  ];
  const conditions = new Map<string, Set<WeatherCondition>>();
  if (rule.weather.length > 0) {
    for (const day of await weatherOf(deps, weatherRegions, today.date, dayShift(today.date, 2))) {
      const set = conditions.get(day.regionId) ?? new Set<WeatherCondition>();
      for (const c of day.conditions) set.add(c);
      conditions.set(day.regionId, set);
    }
  }
  const subjects: FarmSubject[] = rows.map((r) => ({
    householdId: r.householdId,
    subject: r.subject as AdviceSubject,
    growthStage: r.growthStage,
    weatherRegionIds: [r.placement.townshipId, r.placement.countyId].filter((id): id is string => id !== null),
  }));
  const ids = householdsConcerned(
    {
      ...rule,
      subjects: rule.subjects as AdviceSubject[],
      solarTerms: rule.solarTerms as SolarTerm[],
      weather: rule.weather as WeatherCondition[],
    },
    calendar,
    subjects,
    (regionId) => conditions.get(regionId) ?? new Set(),
  );
  return { ids, places: new Map(rows.map((r) => [r.householdId, r.placement])) };
}

/** Delivers one rule to the households it concerns and has not reached this period. */
async function deliverRule(
  deps: Deps,
  rule: repo.RuleRecord,
  now: number,
  within?: Scope,
): Promise<{ households: number; notices: number }> {
  const { ids, places } = await concerned(deps, rule, now, within);
  if (ids.length === 0) return { households: 0, notices: 0 };
  const today = todayIn(now);
  const period =
    (await repo.findOpenPeriod(deps.db, rule.id, today)) ??
    (await repo.openPeriod(deps.db, { id: uuidv7(now), ruleId: rule.id, startsOn: today, endsOn: dayShift(today, rule.validDays) }, now));
  // One notice per village, placed there: the village's cadres see it among their notices, and
  // each household's receipt lies in its own village.
  const villageOf = (p: farms.SubjectRow['placement']) => p.villageId ?? p.regionId;
  const noticeOfVillage = new Map<string, string>();
  for (const householdId of ids) {
    const village = villageOf(places.get(householdId) as farms.SubjectRow['placement']);
    if (!noticeOfVillage.has(village)) noticeOfVillage.set(village, uuidv7(now));
  }
  const made = await deps.db.transaction().execute((trx) =>
    repo.insertDeliveries(
      trx,
      ids.map((householdId) => {
        const placement = places.get(householdId) as farms.SubjectRow['placement'];
        return {
          ruleId: rule.id,
          householdId,
          periodId: period.id,
          noticeId: noticeOfVillage.get(villageOf(placement)) ?? null,
          placement,
          deliveredAt: now,
        };
      }),
    ),
  );
  // Every notice of the period is (re)sent: a new one reaches its households, one cut short the rest.
  const byNotice = new Map<string, { householdIds: string[]; placement: farms.SubjectRow['placement'] }>();
  for (const d of await repo.deliveriesOfPeriod(deps.db, period.id)) {
    if (!d.noticeId) continue;
    const entry = byNotice.get(d.noticeId) ?? { householdIds: [], placement: d.placement };
    entry.householdIds.push(d.householdId);
    byNotice.set(d.noticeId, entry);
  }
  const fresh = new Set(made.length > 0 ? noticeOfVillage.values() : []);
  let notices = 0;
  for (const [id, { householdIds, placement }] of byNotice) {
    const village = placement.villageId ?? placement.regionId;
    await sendToHouseholds(deps, {
      id,
      title: `【农技指导】${rule.title}`,
      body: rule.body,
      householdIds,
      subjects: rule.subjects,
      placement: { regionId: village, villageId: placement.villageId, townshipId: placement.townshipId, countyId: placement.countyId },
      createdBy: rule.authorId,
      expiresAt: Date.parse(`${period.endsOn}T00:00:00+08:00`),
    });
    if (fresh.has(id)) notices++;
  }
  return { households: made.length, notices };
}

/** The daily run (jobs) and the extension worker's "push now": every active rule, or one, in a place. */
export async function runAdvice(
  deps: Deps,
  caller: { principal: Principal; actor: Actor } | null,
  options: { regionId?: string; ruleId?: string } = {},
): Promise<RunResult> {
  const now = deps.now();
  let rules: repo.RuleRecord[] = options.ruleId ? [] : await repo.listActiveRules(deps.reader);
  let within: Scope | undefined;
  if (caller) {
    const { principal } = caller;
    if (!hasPermission(principal, 'agri.advise') && !hasPermission(principal, 'agri.figures')) throw forbidden();
    const region = options.regionId ? (await requireRegion(deps, options.regionId).catch(() => undefined))?.placement : undefined;
    if (options.regionId && !region) throw notFound('region');
    within = scopeWithin(principal, 'agri.figures', region);
    // Rules of the caller's places, and those of the township and county above them.
    const above = new Set(
      region ? [region.countyId, region.townshipId].filter((id): id is string => id !== null) : await placesAbove(deps, principal),
    );
    const scope = within;
    if (options.ruleId) rules = [await getRule(deps, principal, options.ruleId)];
    else rules = rules.filter((r) => above.has(r.placement.regionId) || scopeIncludes(scope, r.placement));
  } else if (options.ruleId) {
    const rule = await repo.findRule(deps.reader, options.ruleId);
    rules = rule ? [rule] : [];
  }
  const result: RunResult = { rules: 0, households: 0, notices: 0 };
  for (const rule of rules.filter((r) => r.active)) {
    const done = await deliverRule(deps, rule, now, within);
    if (done.households > 0) result.rules++;
    result.households += done.households;
    result.notices += done.notices;
  }
  if (caller)
    await recordAudit(
      deps.db,
      caller.actor,
      {
        action: 'agri.advice.run',
        targetType: 'region',
        targetId: options.regionId ?? null,
        details: { ...result, ruleId: options.ruleId ?? null },
      },
      now,
    );
  return result;
}

/** How many households a rule would reach now (already advised ones included). */
export async function previewRule(deps: Deps, principal: Principal, id: string): Promise<{ appliesToday: boolean; households: number }> {
  const rule = await getRule(deps, principal, id);
  const today = agriToday(deps.now());
  const applies = ruleHoldsToday(
    {
      ...rule,
      subjects: rule.subjects as AdviceSubject[],
      solarTerms: rule.solarTerms as SolarTerm[],
      weather: rule.weather as WeatherCondition[],
    },
    { month: today.month, solarTerm: today.solarTerm.term },
  );
  return { appliesToday: applies, households: (await concerned(deps, rule, deps.now())).ids.length };
}

export type ReportItem = { ruleId: string; title: string; periodStart: string; periodEnd: string; households: number; read: number };

/** Households advised per rule and validity period in the caller's places (the "400+ households"). */
export async function adviceReport(
  deps: Deps,
  principal: Principal,
  query: { regionId?: string; ruleId?: string; limit?: number; cursor?: string },
): Promise<Page<ReportItem>> {
  const region = query.regionId ? (await requireRegion(deps, query.regionId).catch(() => undefined))?.placement : undefined;
  if (query.regionId && !region) throw notFound('region');
  const scope = scopeWithin(principal, 'agri.figures', region);
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const rows = await repo.countByPeriod(deps.reader, scope, query.ruleId, before, limit + 1);
  const rules = await repo.findRules(deps.reader, [...new Set(rows.map((r) => r.ruleId))]);
  const read = await householdsThatRead(
    deps,
    rows.flatMap((r) => r.noticeIds),
  );
  const items = rows.map((r) => ({
    periodId: r.periodId,
    ruleId: r.ruleId,
    title: rules.get(r.ruleId)?.title ?? '',
    periodStart: r.startsOn,
    periodEnd: r.endsOn,
    households: r.households,
    read: new Set(r.noticeIds.flatMap((n) => [...(read.get(n) ?? [])])).size,
  }));
  const page = toPage(items, limit, (i) => [i.periodId]);
  return { items: page.items.map(({ periodId: _p, ...rest }) => rest), nextCursor: page.nextCursor };
}

export type FarmAdviceItem = {
  rule: repo.RuleRecord;
  noticeId: string | null;
  periodStart: string;
  periodEnd: string;
  deliveredAt: number;
  read: boolean;
};

/** The advice a household received, newest first, for its farm page; audited as a read. */
export async function farmAdvice(deps: Deps, principal: Principal, actor: Actor, householdId: string): Promise<FarmAdviceItem[]> {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.read', 'agri.advice.read');
  const rows = await repo.adviceOfHousehold(deps.reader, householdId, 100);
  const rules = await repo.findRules(deps.reader, [...new Set(rows.map((r) => r.ruleId))]);
  const read = await householdsThatRead(
    deps,
    rows.map((r) => r.noticeId).filter((n): n is string => n !== null),
  );
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.advice.read', targetType: 'household', targetId: householdId, regionId: household.placement.regionId },
    deps.now(),
  );
  return rows.flatMap((r) => {
    const rule = rules.get(r.ruleId);
    if (!rule) return [];
    return [
      {
        rule,
        noticeId: r.noticeId,
        periodStart: r.startsOn,
        periodEnd: r.endsOn,
        deliveredAt: r.deliveredAt,
        read: r.noticeId !== null && (read.get(r.noticeId)?.has(householdId) ?? false),
      },
    ];
  });
}
