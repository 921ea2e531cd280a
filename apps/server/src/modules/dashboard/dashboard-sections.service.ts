// The six sections of a region's wall screen, each computed by the owning modules' own functions:
// the statistics pages' code (cases' statistics, agri's and poverty's figures, services'
// statistics, the points summary) called as the screen's reader, plus a few counts those modules
// give the screen (org's people and grids, care's elders, the map's cases and cameras). The
// screen's reader is a principal made here that reads the region and nothing else; it never
// leaves this file. Nothing here names a person but the masked ranking.
import { CROP_LABELS, type Crop, SPECIES_LABELS, type Species } from '@cunzhi/contracts/agri';
import type { ScreenSection, ScreenSectionBody } from '@cunzhi/contracts/dashboard';
import { MEASURE_KIND_LABELS, POVERTY_CATEGORIES, POVERTY_CATEGORY_LABELS } from '@cunzhi/contracts/poverty';
import type { Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { toIso } from '../../platform/time.ts';
import { agriFigures } from '../agri/agri-figures.service.ts';
import { elderFigures } from '../care/care-figures.service.ts';
import { caseRates, casesByState, ecologyCategoryIds, latestReplies, mapCases } from '../cases/case-screen.service.ts';
import { statistics } from '../cases/case-statistics.service.ts';
import { findingFigures, publicCamerasOnMap } from '../monitoring/monitoring-screen.service.ts';
import { regionFigures } from '../org/region-figures.service.ts';
import { regionShapes } from '../org/region-shapes.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { civilityFigures } from '../points/points-screen.service.ts';
import { povertyFigures } from '../poverty/poverty-figures.service.ts';
import { serviceStatistics } from '../services/statistics.service.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

const YEAR_MS = 365 * 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
/** The screen's reads are recorded in the audit log under this actor (figures only, no person). */
export const SCREEN_ACTOR: Actor = { userId: null, roles: 'screen', ip: null, requestId: null };

/** A wall's reads under its key, as its requests are (the key's principal is `screen-key:<id>`): the log tells which wall read what. */
export const screenActorOf = (keyId: string | undefined): Actor =>
  keyId === undefined ? SCREEN_ACTOR : { ...SCREEN_ACTOR, userId: `screen-key:${keyId}` };

/** Reads the region and everything under it, as the county office would, for the figures only. */
function readerOf(region: RegionRecord): Principal {
  return {
    userId: 'screen',
    displayName: 'screen',
    phone: '',
    personId: null,
    householdId: null,
    assignments: [
      {
        id: 'screen',
        role: 'countyAdmin',
        regionId: region.id,
        regionLevel: region.level,
        regionName: region.name,
        gridId: null,
        gridRegionIds: [],
      },
    ],
  };
}

const monthStartOf = (now: number) => {
  const d = new Date(now + BEIJING_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - BEIJING_MS;
};

async function overview(deps: Deps, region: RegionRecord) {
  const [org, elders, shape, cases, cameras] = await Promise.all([
    regionFigures(deps, region.id),
    elderFigures(deps, region),
    regionShapes(deps, region.id),
    mapCases(deps, region.id),
    publicCamerasOnMap(deps, region.id),
  ]);
  return {
    section: 'overview' as const,
    population: org.population,
    households: org.households,
    eldersLivingAlone: elders.livingAlone,
    elders: elders.elders,
    grids: org.grids,
    gridWorkers: org.gridWorkers,
    shape,
    cases,
    cameras,
  };
}

async function industry(deps: Deps, region: RegionRecord, actor: Actor) {
  const f = await agriFigures(deps, readerOf(region), actor, { regionId: region.id });
  const sum = (key: 'yieldKg' | 'soldKg' | 'salesYuan') => Math.round(f.byMonth.reduce((s, m) => s + m[key], 0) * 100) / 100;
  return {
    section: 'industry' as const,
    year: f.year,
    farms: f.farms,
    plotsByCrop: f.plotsByCrop.map((p) => ({ ...p, name: CROP_LABELS[p.crop as Crop]?.zh ?? p.crop })),
    flocksBySpecies: f.flocksBySpecies.map((s) => ({ ...s, name: SPECIES_LABELS[s.species as Species]?.zh ?? s.species })),
    advice: f.advice,
    questions: f.questions,
    byMonth: f.byMonth.map(({ month, yieldKg, soldKg, salesYuan }) => ({ month, yieldKg, soldKg, salesYuan })),
    totals: { yieldKg: sum('yieldKg'), soldKg: sum('soldKg'), salesYuan: sum('salesYuan') },
    byPlace: f.byPlace.map(({ regionId, name, farms, areaMu, heads, salesYuan }) => ({ regionId, name, farms, areaMu, heads, salesYuan })),
  };
}

async function ecology(deps: Deps, region: RegionRecord) {
  // Up to and including this millisecond: a case made now counts now.
  const to = deps.now() + 1;
  const from = to - YEAR_MS;
  const [stats, ids, findings] = await Promise.all([
    statistics(deps, readerOf(region), { regionId: region.id, from: toIso(from), to: toIso(to) }),
    ecologyCategoryIds(deps),
    findingFigures(deps, region.id, monthStartOf(to)),
  ]);
  const categories = stats.byCategory.filter((c) => ids.includes(c.key));
  const received = categories.reduce((s, c) => s + c.received, 0);
  const closed = categories.reduce((s, c) => s + c.closed, 0);
  return {
    section: 'ecology' as const,
    from: toIso(from),
    to: toIso(to),
    environment: {
      received,
      closed,
      open: received - closed,
      completionRate: caseRates({ ...stats.totals, received, closed }).completionRate,
    },
    byCategory: categories.map((c) => ({
      key: c.key,
      name: c.name,
      received: c.received,
      closed: c.closed,
      completionRate: caseRates(c).completionRate,
    })),
    unauthorisedBuilding: findings,
  };
}

async function civility(deps: Deps, region: RegionRecord) {
  return { section: 'civility' as const, ...(await civilityFigures(deps, region.id)) };
}

async function governance(deps: Deps, region: RegionRecord) {
  // Up to and including this millisecond: a case made now counts now.
  const to = deps.now() + 1;
  const from = to - YEAR_MS;
  const period = { regionId: region.id, from: toIso(from), to: toIso(to) };
  const [all, appeals, byState, replies] = await Promise.all([
    statistics(deps, readerOf(region), period),
    statistics(deps, readerOf(region), { ...period, source: 'appeal' }),
    casesByState(deps, region.id, from, to),
    latestReplies(deps, region.id, from),
  ]);
  const rates = caseRates(all.totals);
  const appealRates = caseRates(appeals.totals);
  const a = appeals.totals;
  return {
    section: 'governance' as const,
    from: period.from,
    to: period.to,
    byState,
    received: all.totals.received,
    closed: all.totals.closed,
    completionRate: rates.completionRate,
    onTimeReplyRate: rates.onTimeReplyRate,
    appeals: {
      received: a.received,
      answeredOnSpot: a.answeredOnSpot,
      assigned: a.assigned,
      handled: a.handled,
      closed: a.closed,
      onTimeReplyRate: appealRates.onTimeReplyRate,
      completionRate: appealRates.completionRate,
    },
    latestReplies: replies.map((r) => ({ ...r, at: toIso(r.at) })),
  };
}

async function prosperity(deps: Deps, region: RegionRecord, actor: Actor) {
  // Up to and including this millisecond: a case made now counts now.
  const to = deps.now() + 1;
  const [poverty, services] = await Promise.all([
    povertyFigures(deps, readerOf(region), actor, region.id),
    serviceStatistics(deps, readerOf(region), to - YEAR_MS, to),
  ]);
  const r = poverty.region;
  return {
    section: 'prosperity' as const,
    monitored: r.monitored,
    byCategory: POVERTY_CATEGORIES.map((c) => ({ key: c, name: POVERTY_CATEGORY_LABELS[c].zh, count: r.byCategory[c] ?? 0 })),
    identifying: r.identifying,
    newThisMonth: r.newThisMonth,
    removed: r.removed,
    measuresByKind: Object.entries(MEASURE_KIND_LABELS).map(([k, label]) => ({ key: k, name: label.zh, count: r.measuresByKind[k] ?? 0 })),
    services: {
      applications: services.total.applications,
      decided: services.total.decided,
      onTimeRate: services.total.onTimeRate,
      // The statistics page's shares of the applications, as counts: made at a hall (proxy) and online.
      nearby: Math.round(services.total.nearbyShare * services.total.applications),
      fullyOnline: Math.round(services.total.onlineShare * services.total.applications),
    },
  };
}

const SECTIONS = { overview, industry, ecology, civility, governance, prosperity } satisfies Record<
  ScreenSection,
  (deps: Deps, region: RegionRecord, actor: Actor) => Promise<unknown>
>;

/** One section of the region's screen, computed now; the figure reads it makes are audited under `actor`. */
export async function computeSection(
  deps: Deps,
  region: RegionRecord,
  section: ScreenSection,
  actor: Actor = SCREEN_ACTOR,
): Promise<ScreenSectionBody> {
  const computedAt = toIso(deps.now());
  const body = await SECTIONS[section](deps, region, actor);
  return { regionId: region.id, computedAt, ...body } as ScreenSectionBody;
}
