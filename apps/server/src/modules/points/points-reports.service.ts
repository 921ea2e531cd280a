// What the points bank adds up: households ranked by what they earned, the dashboard's figures,
// the keeper's report with its reorder list, and the county's check of the books.
import { allows, type Principal, rolesOf } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { countHouseholdsUnder, householdHeadsUnder } from '../org/households.service.ts';
import { regionNames, requireRegion } from '../org/regions.service.ts';
import { village } from './points.service.ts';
import { localMonth } from './points-calendar.ts';
import { reportTable } from './points-report-table.ts';
import * as repo from './points-reports.repository.ts';
import * as shop from './points-shop.repository.ts';

/** A month (yyyymm) or a year (yyyy), this month unless asked otherwise; a villager group narrows a ranking. */
export type PeriodQuery = { period?: 'month' | 'year'; value?: number; regionId?: string };
type Period = { villageId: string; period: 'month' | 'year'; value: number; regionId?: string };
export type RankingRow = { householdId: string; number: string; headName: string; regionId: string; points: number; publicName: boolean };
export type Ranked = RankingRow & { rank: number };

function periodOf(villageId: string, query: PeriodQuery, now: number): Period {
  const period = query.period ?? 'month';
  const value = query.value ?? (period === 'month' ? localMonth(now) : Math.floor(localMonth(now) / 100));
  return { villageId, period, value, regionId: query.regionId };
}

/** The months [from, to) a period covers. */
function periodMonths(query: Period): [number, number] {
  if (query.period === 'year') return [query.value * 100 + 1, (query.value + 1) * 100 + 1];
  const next = query.value % 100 === 12 ? (Math.floor(query.value / 100) + 1) * 100 + 1 : query.value + 1;
  return [query.value, next];
}

/** Competition ranking: equal points share a rank, and the next rank skips (1, 1, 3). */
export function rank(rows: RankingRow[]): Ranked[] {
  const sorted = [...rows].sort((a, b) => b.points - a.points || (a.number < b.number ? -1 : 1));
  let previous: Ranked | undefined;
  return sorted.map((row, index) => {
    const ranked = { ...row, rank: previous && previous.points === row.points ? previous.rank : index + 1 };
    previous = ranked;
    return ranked;
  });
}

/** Every household of the village (or of one villager group), org's list, with what each earned in the period. */
async function rankingOf(deps: Deps, period: Period): Promise<Ranked[]> {
  const [fromMonth, toMonth] = periodMonths(period);
  const households = (await householdHeadsUnder(deps, period.villageId)).filter(
    (h) => !period.regionId || h.placement.regionId === period.regionId,
  );
  const earned = await repo.earnedByHousehold(deps.reader, { householdIds: households.map((h) => h.id), fromMonth, toMonth });
  return rank(
    households.map((h) => ({
      householdId: h.id,
      number: h.number,
      headName: h.headName,
      regionId: h.placement.regionId,
      points: earned.get(h.id)?.points ?? 0,
      publicName: earned.get(h.id)?.publicName ?? false,
    })),
  );
}

/**
 * The village's ranking as those who may read its points see it, and whether the reader keeps the
 * village's books (a keeper or cadre sees every household by name; a villager, as the public page
 * does, only those that agreed to be named, and their own).
 */
export async function rankings(
  deps: Deps,
  principal: Principal,
  villageId: string,
  query: PeriodQuery,
): Promise<{ ranked: Ranked[]; keeper: boolean }> {
  const region = await village(deps, principal, villageId, 'points.read');
  const ranked = await rankingOf(deps, periodOf(villageId, query, deps.now()));
  return { ranked, keeper: allows(principal, 'points.keep', region.placement) };
}

/** The ranking on the village's public page: anyone may read it; names are the presenter's to mask. */
export async function publicRanking(deps: Deps, villageId: string, query: PeriodQuery): Promise<Ranked[]> {
  const region = await requireRegion(deps, villageId);
  if (region.level !== 'village') throw notFound('region');
  return rankingOf(deps, periodOf(villageId, query, deps.now()));
}

/** The figures the dashboard's rural civilization section shows, for a village and a year or a month. */
export async function summary(deps: Deps, principal: Principal, villageId: string, query: PeriodQuery) {
  await village(deps, principal, villageId, 'points.read');
  const [fromMonth, toMonth] = periodMonths(periodOf(villageId, query, deps.now()));
  const [households, figures] = await Promise.all([
    countHouseholdsUnder(deps, villageId),
    repo.villageSummary(deps.reader, villageId, fromMonth, toMonth),
  ]);
  return { fromMonth, toMonth, households, ...figures };
}

/** Points granted and spent by month, group, category and rule, with the goods to reorder. */
export async function report(deps: Deps, principal: Principal, villageId: string, fromMonth: number, toMonth: number) {
  await village(deps, principal, villageId, 'points.keep');
  const [rows, goods] = await Promise.all([
    repo.report(deps.reader, villageId, fromMonth, toMonth),
    shop.listGoods(deps.reader, villageId),
  ]);
  return { rows, reorder: goods.filter((g) => g.active && g.available <= g.reorderLevel) };
}

/** The report as a spreadsheet's rows in the reader's language, villager groups by name. */
export async function reportSheet(rows: repo.ReportRow[], deps: Deps, language: 'zh' | 'en'): Promise<(string | number)[][]> {
  const names = await regionNames(deps, [...new Set(rows.map((r) => r.regionId))]);
  return reportTable(rows, names, language);
}

export async function verifyAll(deps: Deps, principal: Principal) {
  if (!rolesOf(principal).includes('countyAdmin')) throw forbidden();
  return repo.verify(deps.reader);
}
