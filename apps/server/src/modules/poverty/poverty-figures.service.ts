// The wall screen's "common prosperity" figures for a county, township or village and each place
// below it (households monitored by category, new this month, measures by kind, risks removed this
// year, the income trend), their XLSX export, and the public notice's list while it runs.
import { MEASURE_KIND_LABELS, POVERTY_CATEGORIES, POVERTY_CATEGORY_LABELS } from '@cunzhi/contracts/poverty';
import type { PovertyFigures } from '@cunzhi/contracts/poverty-monitored';
import { placementColumn } from '../../db/scope-filter.ts';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { toIso } from '../../platform/time.ts';
import { type Cell, toXlsx } from '../../platform/xlsx.ts';
import { defaultCountyId, regionNames, requireRegion } from '../org/regions.service.ts';
import * as repo from './poverty.repository.ts';
import { FOLLOWED_STATUSES } from './poverty.repository.ts';
import { guardPlace, monthStart, ownPovertyRegion, yearStart } from './poverty-access.ts';
import * as figures from './poverty-figures.repository.ts';
import { maskName } from './poverty-rules.ts';

type RegionFigures = PovertyFigures['region'];
const CHILD_COLUMN = { county: 'township_id', township: 'village_id', village: 'region_id', villagerGroup: 'region_id' } as const;
const MONTHS = 12;

function emptyFigures(regionId: string, name: string): RegionFigures {
  return {
    regionId,
    name,
    byCategory: Object.fromEntries(POVERTY_CATEGORIES.map((c) => [c, 0])),
    followed: 0,
    monitored: 0,
    identifying: 0,
    newThisMonth: 0,
    removed: 0,
    measuresByKind: Object.fromEntries(Object.keys(MEASURE_KIND_LABELS).map((k) => [k, 0])),
  };
}

/**
 * The category columns count every household still followed, as the desk's list shows them: a
 * household being identified already has its category from the rules (a newcomer found the columns
 * counting monitored households only while the list beside them showed those being identified too).
 */
function add(target: RegionFigures, row: figures.StatusCount): void {
  if ((FOLLOWED_STATUSES as string[]).includes(row.status)) {
    target.followed += row.n;
    if (row.category) target.byCategory[row.category] = (target.byCategory[row.category] ?? 0) + row.n;
  }
  if (row.status === 'monitored' || row.status === 'removing') target.monitored += row.n;
  if (row.status === 'identifying') target.identifying += row.n;
  target.newThisMonth += row.newSince;
  target.removed += row.removedSince;
}

/** The figures of a place, the read audited as the export is (refusals by guardPlace). */
export async function povertyFigures(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  regionId: string | undefined,
): Promise<PovertyFigures> {
  const result = await figuresOf(deps, principal, actor, regionId);
  await recordAudit(
    deps.db,
    actor,
    { action: 'poverty.figures.read', targetType: 'region', targetId: result.region.regionId, regionId: result.region.regionId },
    deps.now(),
  );
  return result;
}

async function figuresOf(deps: Deps, principal: Principal, actor: Actor, regionId: string | undefined): Promise<PovertyFigures> {
  // With no place named, the caller's own (a village cadre's village, not the county they cannot read).
  const id = regionId ?? ownPovertyRegion(principal) ?? (await defaultCountyId(deps));
  if (!id) throw notFound('region');
  const region = await requireRegion(deps, id);
  await guardPlace(deps, principal, actor, 'poverty.figures.read', region.placement, { type: 'region', id: region.id, notFound: 'region' });
  const column = placementColumn(region);
  const childColumn = CHILD_COLUMN[region.level];
  const now = deps.now();
  const [counts, measures, readings] = await Promise.all([
    figures.monitoredCounts(deps.reader, column, region.id, childColumn, monthStart(now), yearStart(now)),
    figures.measureCounts(deps.reader, column, region.id, childColumn),
    figures.incomeReadings(deps.reader, column, region.id, monthStart(now) - (MONTHS - 1) * 31 * 24 * 3_600_000),
  ]);
  const total = emptyFigures(region.id, region.name);
  const children = new Map<string, RegionFigures>();
  const childIds =
    region.level === 'villagerGroup'
      ? []
      : [...new Set([...counts, ...measures].map((r) => r.place).filter((p): p is string => !!p && p !== region.id))];
  const names = await regionNames(deps, childIds);
  const childOf = (place: string | null) => {
    if (!place || !names.has(place)) return undefined;
    const child = children.get(place) ?? emptyFigures(place, names.get(place) as string);
    children.set(place, child);
    return child;
  };
  for (const row of counts) {
    add(total, row);
    const child = childOf(row.place);
    if (child) add(child, row);
  }
  for (const row of measures) {
    total.measuresByKind[row.kind] = (total.measuresByKind[row.kind] ?? 0) + row.n;
    const child = childOf(row.place);
    if (child) child.measuresByKind[row.kind] = (child.measuresByKind[row.kind] ?? 0) + row.n;
  }
  return {
    region: total,
    children: [...children.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh')),
    incomeTrend: trend(readings),
  };
}

/** Per month (Beijing), the average per-capita income of the records entered, each household once a month. */
function trend(readings: { householdId: string; perCapitaLast12: number; recordedAt: number }[]) {
  const months = new Map<string, Map<string, number>>();
  for (const r of [...readings].sort((a, b) => a.recordedAt - b.recordedAt)) {
    const month = toIso(r.recordedAt).slice(0, 7);
    if (!months.has(month)) months.set(month, new Map());
    months.get(month)?.set(r.householdId, r.perCapitaLast12);
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, households]) => {
      const values = [...households.values()];
      return { month, perCapita: Math.round(values.reduce((s, v) => s + v, 0) / values.length), households: values.length };
    });
}

export async function figuresWorkbook(deps: Deps, principal: Principal, actor: Actor, regionId: string | undefined): Promise<Buffer> {
  const result = await figuresOf(deps, principal, actor, regionId);
  const kinds = Object.keys(MEASURE_KIND_LABELS) as (keyof typeof MEASURE_KIND_LABELS)[];
  const header: Cell[] = [
    '地区 Place',
    ...POVERTY_CATEGORIES.map((c) => `${POVERTY_CATEGORY_LABELS[c].zh}（跟踪中）${POVERTY_CATEGORY_LABELS[c].en} (followed)`),
    '跟踪中合计 Followed',
    '监测帮扶中 Monitored',
    '识别中 Being identified',
    '本月新增预警 Flagged this month',
    '本年风险消除 Removed this year',
    ...kinds.map((k) => `${MEASURE_KIND_LABELS[k].zh} ${MEASURE_KIND_LABELS[k].en}`),
  ];
  const line = (f: RegionFigures): Cell[] => [
    f.name,
    ...POVERTY_CATEGORIES.map((c) => f.byCategory[c] ?? 0),
    f.followed,
    f.monitored,
    f.identifying,
    f.newThisMonth,
    f.removed,
    ...kinds.map((k) => f.measuresByKind[k] ?? 0),
  ];
  const rows: Cell[][] = [
    header,
    line(result.region),
    ...result.children.map(line),
    [],
    ['月份 Month', '人均纯收入（近12个月）Per capita', '户数 Households'],
  ];
  for (const t of result.incomeTrend) rows.push([t.month, t.perCapita, t.households]);
  await recordAudit(
    deps.db,
    actor,
    { action: 'poverty.figures.export', targetType: 'region', targetId: result.region.regionId },
    deps.now(),
  );
  return toXlsx('共同富裕 Common prosperity', rows);
}

/**
 * The notice's sentence: the same for every household of a phase and category. The cadre's own
 * words (noticeText) stay on the desk: typed free text reached the public page word for word, and
 * with it figures, full names, ID numbers and illnesses (an attacker's check, 2026-12-02).
 */
function noticeSentence(phase: 'identification' | 'removal', category: string | null): string {
  if (phase === 'removal') return '拟消除返贫致贫风险，公示期内如有异议，请向村民委员会反映。';
  const label = category ? POVERTY_CATEGORY_LABELS[category as keyof typeof POVERTY_CATEGORY_LABELS]?.zh : undefined;
  return `拟纳入防止返贫监测${label ? `（${label}）` : ''}，公示期内如有异议，请向村民委员会反映。`;
}

/**
 * What the village's public notice shows while it runs: the head's name masked, the group, the
 * path (entering or leaving monitoring), the category and a fixed sentence; no figures, no reasons.
 * Once the window closes the household leaves the public page.
 */
export async function publicNotices(deps: Deps, villageId: string) {
  const village = await requireRegion(deps, villageId);
  if (village.level !== 'village') throw new AppError('region_level_mismatch');
  const records = await repo.listNoticed(deps.reader, village.id, deps.now());
  const groups = await regionNames(deps, [...new Set(records.map((r) => r.placement.regionId))]);
  return records.map((r) => {
    const phase = r.status === 'removing' ? 'removal' : 'identification';
    return {
      monitoredId: r.id,
      headName: maskName(r.headName),
      groupName: groups.get(r.placement.regionId) ?? village.name,
      phase,
      category: r.category,
      text: noticeSentence(phase, r.category),
      startsAt: toIso(r.noticeStartsAt as number),
      endsAt: toIso(r.noticeEndsAt as number),
    };
  });
}
