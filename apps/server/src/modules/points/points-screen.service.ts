// The wall screen's rural civilization figures (dashboard) for a village, a township or the
// county: this month's points granted, redeemed and deducted (the village summary the points
// pages show, added up over the villages), the top households of the public ranking who agreed to
// be named, their names masked (张*), and the shop's most redeemed goods. Not access-checked: the
// dashboard checks the screen's region first.
import type { Deps } from '../../platform/deps.ts';
import { listRegionChildren, regionNames, requireRegion } from '../org/regions.service.ts';
import { localMonth, monthBounds } from './points-calendar.ts';
import * as repo from './points-reports.repository.ts';
import { publicRanking } from './points-reports.service.ts';
import * as screen from './points-screen.repository.ts';

const maskHead = (name: string) => `${[...name.trim()][0] ?? ''}*`;

async function villagesUnder(deps: Deps, regionId: string): Promise<string[]> {
  const region = await requireRegion(deps, regionId);
  if (region.level === 'village') return [region.id];
  if (region.level === 'villagerGroup') return region.placement.villageId ? [region.placement.villageId] : [];
  const children = await listRegionChildren(deps, region.id);
  if (region.level === 'township') return children.filter((c) => c.level === 'village').map((c) => c.id);
  const nested = await Promise.all(children.map((c) => villagesUnder(deps, c.id)));
  return nested.flat();
}

export async function civilityFigures(deps: Deps, regionId: string, rankingSize = 10, goodsSize = 5) {
  const region = await requireRegion(deps, regionId);
  const month = localMonth(deps.now());
  const next = month % 100 === 12 ? (Math.floor(month / 100) + 1) * 100 + 1 : month + 1;
  const villages = await villagesUnder(deps, region.id);
  const summaries = await Promise.all(villages.map((v) => repo.villageSummary(deps.reader, v, month, next)));
  const byCategory = new Map<string, number>();
  for (const s of summaries) for (const c of s.byCategory) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + c.points);
  const rankings = await Promise.all(villages.map(async (v) => (await publicRanking(deps, v, {})).map((r) => ({ ...r, villageId: v }))));
  const named = rankings
    .flat()
    .filter((r) => r.publicName && r.points > 0)
    .sort((a, b) => b.points - a.points || (a.number < b.number ? -1 : 1))
    .slice(0, rankingSize);
  const names = await regionNames(deps, [...new Set(named.map((r) => r.villageId))]);
  const [fromMs, toMs] = monthBounds(month);
  const column = region.level === 'county' ? 'county_id' : region.level === 'township' ? 'township_id' : 'village_id';
  const columnId = region.level === 'villagerGroup' ? (region.placement.villageId ?? region.id) : region.id;
  let previous: { points: number; rank: number } | undefined;
  return {
    month,
    granted: summaries.reduce((sum, s) => sum + s.granted, 0),
    redeemed: summaries.reduce((sum, s) => sum + s.redeemed, 0),
    deducted: summaries.reduce((sum, s) => sum + s.deducted, 0),
    earningHouseholds: summaries.reduce((sum, s) => sum + s.earningHouseholds, 0),
    byCategory: [...byCategory].map(([category, points]) => ({ category, points })).sort((a, b) => b.points - a.points),
    ranking: named.map((r, index) => {
      const rank = previous && previous.points === r.points ? previous.rank : index + 1;
      previous = { points: r.points, rank };
      return { rank, name: maskHead(r.headName), villageName: names.get(r.villageId) ?? '', points: r.points };
    }),
    topGoods: await screen.topGoods(deps.reader, column, columnId, fromMs, toMs, goodsSize),
  };
}
