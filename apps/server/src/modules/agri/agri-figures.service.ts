// The wall screen's "industrial prosperity" figures: farms and flocks by kind, advice given,
// questions answered, yields and sales by month, for a village, township or the county, with the
// places one level down; aggregated (no household named) and exportable as XLSX.
import { CROP_LABELS, type Crop, SPECIES_LABELS, type Species } from '@cunzhi/contracts/agri';
import { type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { type Cell, toXlsx } from '../../platform/xlsx.ts';
import { householdsThatRead } from '../notices/notices.service.ts';
import { findRegion, listRegionChildren, regionNames } from '../org/regions.service.ts';
import { scopeWithin } from './agri-access.ts';
import * as repo from './agri-figures.repository.ts';

const BEIJING_MS = 8 * 3_600_000;

export type Figures = {
  regionId: string;
  regionName: string;
  year: number;
  farms: number;
  plotsByCrop: { crop: Crop; plots: number; households: number; areaMu: number }[];
  flocksBySpecies: { species: Species; flocks: number; households: number; heads: number }[];
  advice: { rules: number; households: number; deliveries: number; read: number };
  questions: { asked: number; answered: number; open: number; overdue: number };
  byMonth: { month: number; yieldKg: number; soldKg: number; salesYuan: number; deaths: number }[];
  byPlace: {
    regionId: string;
    name: string;
    farms: number;
    areaMu: number;
    heads: number;
    householdsAdvised: number;
    questionsAnswered: number;
    salesYuan: number;
  }[];
};

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function agriFigures(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { regionId?: string; year?: number },
): Promise<Figures> {
  const scopes = scopeFor(principal, 'agri.figures');
  const regionId = query.regionId ?? [...scopes.countyIds, ...scopes.townshipIds, ...scopes.villageIds, ...scopes.regionIds][0];
  if (!regionId) throw forbidden();
  const region = await findRegion(deps, regionId);
  if (!region) throw notFound('region');
  const scope = scopeWithin(principal, 'agri.figures', region.placement);
  const now = deps.now();
  const year = query.year ?? new Date(now + BEIJING_MS).getUTCFullYear();
  const from = Date.UTC(year, 0, 1) - BEIJING_MS;
  const to = Date.UTC(year + 1, 0, 1) - BEIJING_MS;
  const child: repo.ChildColumn = region.level === 'county' ? 'township_id' : region.level === 'township' ? 'village_id' : 'region_id';

  const plots = await repo.plotsByCrop(deps.reader, scope);
  const flocks = await repo.flocksBySpecies(deps.reader, scope);
  const farms = await repo.farmHouseholds(deps.reader, scope, child);
  const sizes = await repo.sizeByChild(deps.reader, scope, child);
  const deliveries = await repo.deliveriesBetween(deps.reader, scope, child, from, to);
  const questions = await repo.questionsBetween(deps.reader, scope, child, from, to);
  const harvest = await repo.harvestOfYear(deps.reader, scope, child, year);
  const read = await householdsThatRead(deps, [...new Set(deliveries.map((d) => d.noticeId).filter((n): n is string => n !== null))]);

  const asked = questions.filter((q) => q.askedAt >= from && q.askedAt < to);
  const byMonth = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, yieldKg: 0, soldKg: 0, salesYuan: 0, deaths: 0 }));
  for (const h of harvest) {
    const m = byMonth[h.month - 1];
    if (!m) continue;
    if (h.kind === 'yield') m.yieldKg += h.quantityKg;
    if (h.kind === 'sale') {
      m.soldKg += h.quantityKg;
      m.salesYuan += h.quantityKg * h.price;
    }
    if (h.kind === 'death') m.deaths += h.deaths;
  }
  const children = await listRegionChildren(deps, region.id);
  const names = await regionNames(
    deps,
    children.map((c) => c.id),
  );
  const byPlace = children.map((c) => ({
    regionId: c.id,
    name: names.get(c.id) ?? c.name,
    farms: farms.filter((f) => f.child === c.id).length,
    areaMu: round(sizes.area.get(c.id) ?? 0),
    heads: sizes.heads.get(c.id) ?? 0,
    householdsAdvised: new Set(deliveries.filter((d) => d.child === c.id).map((d) => d.householdId)).size,
    questionsAnswered: asked.filter((q) => q.child === c.id && q.answeredAt !== null).length,
    salesYuan: round(harvest.filter((h) => h.child === c.id && h.kind === 'sale').reduce((sum, h) => sum + h.quantityKg * h.price, 0)),
  }));
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.figures.read', targetType: 'region', targetId: region.id, regionId: region.id, details: { year } },
    now,
  );
  return {
    regionId: region.id,
    regionName: region.name,
    year,
    farms: farms.length,
    plotsByCrop: plots.map((p) => ({ ...p, crop: p.crop as Crop, areaMu: round(p.areaMu) })).sort((a, b) => b.areaMu - a.areaMu),
    flocksBySpecies: flocks.map((f) => ({ ...f, species: f.species as Species })).sort((a, b) => b.heads - a.heads),
    advice: {
      rules: new Set(deliveries.map((d) => d.ruleId)).size,
      households: new Set(deliveries.map((d) => d.householdId)).size,
      deliveries: deliveries.length,
      read: deliveries.filter((d) => d.noticeId !== null && read.get(d.noticeId)?.has(d.householdId)).length,
    },
    questions: {
      asked: asked.length,
      answered: asked.filter((q) => q.answeredAt !== null).length,
      open: questions.filter((q) => q.state === 'open').length,
      overdue: questions.filter((q) => q.state === 'open' && now >= q.dueAt).length,
    },
    byMonth: byMonth.map((m) => ({ ...m, yieldKg: round(m.yieldKg), soldKg: round(m.soldKg), salesYuan: round(m.salesYuan) })),
    byPlace,
  };
}

/** The figures as one sheet, Chinese headings first (the county's own reports are in Chinese). */
export async function agriFiguresXlsx(deps: Deps, principal: Principal, actor: Actor, query: { regionId?: string; year?: number }) {
  const f = await agriFigures(deps, principal, actor, query);
  const rows: Cell[][] = [
    [`${f.regionName} ${f.year}年 产业兴旺 Industrial prosperity`],
    ['经营户数 Farms', f.farms],
    [],
    ['作物 Crop', '地块 Plots', '户数 Households', '面积(亩) Area (mu)'],
    ...f.plotsByCrop.map((p) => [`${CROP_LABELS[p.crop]?.zh ?? p.crop} ${CROP_LABELS[p.crop]?.en ?? ''}`, p.plots, p.households, p.areaMu]),
    [],
    ['畜禽 Species', '群数 Flocks', '户数 Households', '存栏 Heads'],
    ...f.flocksBySpecies.map((s) => [
      `${SPECIES_LABELS[s.species]?.zh ?? s.species} ${SPECIES_LABELS[s.species]?.en ?? ''}`,
      s.flocks,
      s.households,
      s.heads,
    ]),
    [],
    ['农技指导 Advice', '规则 Rules', '户数 Households', '推送 Deliveries', '已读 Read'],
    ['', f.advice.rules, f.advice.households, f.advice.deliveries, f.advice.read],
    ['农技问答 Questions', '提问 Asked', '已答 Answered', '待答 Open', '超时 Overdue'],
    ['', f.questions.asked, f.questions.answered, f.questions.open, f.questions.overdue],
    [],
    ['月份 Month', '产量(公斤) Yield (kg)', '销量(公斤) Sold (kg)', '销售额(元) Sales (yuan)', '死亡 Deaths'],
    ...f.byMonth.map((m) => [m.month, m.yieldKg, m.soldKg, m.salesYuan, m.deaths]),
    [],
    ['地区 Place', '经营户 Farms', '面积(亩) Area (mu)', '存栏 Heads', '指导户数 Advised', '已答 Answered', '销售额(元) Sales (yuan)'],
    ...f.byPlace.map((p) => [p.name, p.farms, p.areaMu, p.heads, p.householdsAdvised, p.questionsAnswered, p.salesYuan]),
  ];
  return { figures: f, data: toXlsx('产业兴旺', rows) };
}
