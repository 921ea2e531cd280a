// Return-to-poverty monitoring in the demo county: the county's line for the year, and in each
// village five monitored households at different points: one that reported itself after the flood
// (waiting for the home visit), one flagged by its figures and waiting for the village review, one
// under public notice now, one monitored with its help plan and a visit due, and one whose risk was
// removed after a year above the line; and besides them each village its own number of households
// monitored and flagged this month (VILLAGE_EXTRAS), so that no two townships show the same figures.
// Written straight through this module's repositories, in one
// transaction per village, to keep the demo's load short.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { householdHeadsUnder } from '../org/households.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import * as repo from './poverty.repository.ts';
import { yearOf } from './poverty-access.ts';
import { insertEconomics, upsertSettings } from './poverty-economics.repository.ts';
import { insertMeasure, insertVisit } from './poverty-help.repository.ts';
import { causesResolved, DEFAULT_SETTINGS, type Figures, perCapita, reasonsOf } from './poverty-rules.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;
const DAY = 24 * 3_600_000;
const MONTH = 30 * DAY;
const ASSURED = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };
const STEPS = ['homeVisit', 'authorisation', 'dataComparison', 'villageReview', 'publicNotice', 'townshipReview', 'countyApproval'];
const ACTORS = ['网格员', '网格员', '乡镇防返贫办', '村两委', '村两委', '乡镇防返贫办', '县乡村振兴局'];

type Household = { id: string; number: string; headName: string; placement: Placement };

async function economics(trx: Kysely<DB>, h: Household, at: number, perHead: number, extra: Partial<Figures> = {}) {
  const members = extra.members ?? 4;
  const figures: Figures = {
    members,
    labour: 2,
    formerlyPoor: true,
    income: { wage: perHead * members * 0.7, business: perHead * members * 0.2, transfer: perHead * members * 0.1 },
    incomeLast12: perHead * members,
    expenses: [],
    assurances: ASSURED,
    seriousIllness: false,
    disaster: false,
    ...extra,
  };
  const yearly = Object.values(figures.income).reduce<number>((s, v) => s + (v ?? 0), 0);
  await insertEconomics(trx, {
    id: uuidv7(at),
    householdId: h.id,
    placement: h.placement,
    year: yearOf(at),
    members,
    labour: figures.labour,
    formerlyPoor: figures.formerlyPoor,
    income: figures.income as Record<string, number>,
    incomeYear: yearly,
    incomeLast12: figures.incomeLast12,
    perCapitaYear: perCapita(yearly, members),
    perCapitaLast12: perCapita(figures.incomeLast12, members),
    expenses: figures.expenses,
    assurances: figures.assurances,
    seriousIllness: figures.seriousIllness,
    disaster: figures.disaster,
    causesResolved: causesResolved(figures, DEFAULT_SETTINGS),
    note: null,
    source: 'entry',
    recordedBy: null,
    recordedAt: at,
  });
  return reasonsOf(figures, DEFAULT_SETTINGS);
}

async function monitored(
  trx: Kysely<DB>,
  h: Household,
  m: Pick<repo.MonitoredRecord, 'status' | 'doneSteps' | 'source' | 'reasons' | 'category' | 'flaggedAt'> & Partial<repo.MonitoredRecord>,
  now: number,
) {
  const record = await repo.insertMonitored(
    trx,
    {
      id: uuidv7(m.flaggedAt),
      householdId: h.id,
      householdNumber: h.number,
      headName: h.headName,
      placement: { ...h.placement, householdId: h.id },
      noticeText: null,
      noticeStartsAt: null,
      noticeEndsAt: null,
      nextVisitDueAt: null,
      flaggedBy: null,
      monitoredAt: null,
      removedAt: null,
      version: 0,
      ...m,
    },
    now,
  );
  const event = (phase: repo.StepEventRecord['phase'], step: string, actorName: string, at: number, note: string | null = null) =>
    repo.insertStepEvent(trx, record.id, {
      id: uuidv7(at),
      phase,
      step,
      decision: phase === 'flag' ? 'flag' : 'approve',
      actorUserId: null,
      actorName,
      actorRole: null,
      note,
      at,
    });
  await event('flag', m.source, m.source === 'selfReport' ? h.headName : '系统预警', m.flaggedAt);
  return { record, event };
}

/**
 * Beyond the five every village has, a village's own share of the year: so many more households
 * monitored with help (by category) and flagged this month, different in each village, so that a
 * township's figures are its own (with the same five everywhere, every township showed the same).
 */
const VILLAGE_EXTRAS: { monitored: repo.MonitoredRecord['category'][]; flaggedThisMonth: number }[] = [
  { monitored: ['unstable', 'marginal', 'marginal'], flaggedThisMonth: 2 },
  { monitored: ['hardship'], flaggedThisMonth: 0 },
  { monitored: ['marginal', 'unstable', 'unstable', 'hardship', 'hardship'], flaggedThisMonth: 1 },
  { monitored: [], flaggedThisMonth: 3 },
];

async function seedExtras(trx: Kysely<DB>, households: Household[], extras: (typeof VILLAGE_EXTRAS)[number], now: number) {
  let next = 0;
  for (const category of extras.monitored) {
    const h = households[next++];
    if (!h) return;
    const reasons = await economics(trx, h, now - 6 * MONTH, 5400 + next * 150);
    await monitored(
      trx,
      h,
      {
        status: 'monitored',
        doneSteps: 0,
        source: 'data',
        reasons,
        category,
        flaggedAt: now - 6 * MONTH,
        monitoredAt: now - 5 * MONTH,
        nextVisitDueAt: now + (10 + next) * DAY,
      },
      now,
    );
  }
  for (let i = 0; i < extras.flaggedThisMonth; i++) {
    const h = households[next++];
    if (!h) return;
    const reasons = await economics(trx, h, now - DAY, 4800 + i * 300, { formerlyPoor: i % 2 === 0 });
    await monitored(
      trx,
      h,
      {
        status: 'identifying',
        doneSteps: 0,
        source: 'data',
        reasons,
        category: i % 2 === 0 ? 'unstable' : 'marginal',
        flaggedAt: now - DAY,
      },
      now,
    );
  }
}

async function seedVillage(trx: Kysely<DB>, households: Household[], now: number, index: number): Promise<void> {
  await seedExtras(trx, households.slice(5), VILLAGE_EXTRAS[index % VILLAGE_EXTRAS.length] as (typeof VILLAGE_EXTRAS)[number], now);
  const [flood, data, noticed, helped, removed] = households;
  if (!flood || !data || !noticed || !helped || !removed) return;

  // Reported itself from the phone the morning after the flood: the grid worker's next visit.
  await economics(trx, flood, now - 2 * MONTH, 9000);
  await monitored(
    trx,
    flood,
    { status: 'identifying', doneSteps: 0, source: 'selfReport', reasons: ['disaster'], category: 'hardship', flaggedAt: now - DAY },
    now,
  );

  // Flagged by its figures (wages stopped), visited, authorised and compared: the village reviews next.
  const dataReasons = await economics(trx, data, now - 20 * DAY, 5200);
  const second = await monitored(
    trx,
    data,
    { status: 'identifying', doneSteps: 3, source: 'data', reasons: dataReasons, category: 'unstable', flaggedAt: now - 20 * DAY },
    now,
  );
  for (let i = 0; i < 3; i++) await second.event('identification', STEPS[i] as string, ACTORS[i] as string, now - (15 - 4 * i) * DAY);

  // Under public notice in the village now: objections are taken until it ends.
  const noticedReasons = await economics(trx, noticed, now - MONTH, 6100, {
    seriousIllness: true,
    expenses: [{ kind: 'illness', amount: 32_000 }],
  });
  const third = await monitored(
    trx,
    noticed,
    {
      status: 'identifying',
      doneSteps: 5,
      source: 'visit',
      reasons: noticedReasons,
      category: 'marginal',
      flaggedAt: now - MONTH,
      noticeText: '家庭成员患重病，医疗支出大',
      noticeStartsAt: now - DAY,
      noticeEndsAt: now + 4 * DAY,
    },
    now,
  );
  for (let i = 0; i < 5; i++) await third.event('identification', STEPS[i] as string, ACTORS[i] as string, now - (25 - 5 * i) * DAY);

  // Monitored since spring, with its help plan; the grid worker's monthly visit falls due in two days.
  const helpedReasons = await economics(trx, helped, now - 8 * MONTH, 5600, { labour: 1 });
  const fourth = await monitored(
    trx,
    helped,
    {
      status: 'monitored',
      doneSteps: 0,
      source: 'data',
      reasons: helpedReasons,
      category: 'unstable',
      flaggedAt: now - 8 * MONTH,
      monitoredAt: now - 7 * MONTH,
      nextVisitDueAt: now + 2 * DAY,
    },
    now,
  );
  for (let i = 0; i < 7; i++)
    await fourth.event('identification', STEPS[i] as string, ACTORS[i] as string, now - 8 * MONTH + (i + 1) * 4 * DAY);
  await economics(trx, helped, now - MONTH, 7100, { labour: 1 });
  const measure = (kind: string, description: string, responsible: string, due: string, doneAt: number | null) =>
    insertMeasure(trx, helped.placement, {
      id: uuidv7(now),
      monitoredId: fourth.record.id,
      kind,
      description,
      responsible,
      dueDate: due,
      doneAt,
      createdBy: 'demo',
      createdAt: now - 7 * MONTH,
    });
  const done = await measure('industry', '发放中蜂养殖补助，提供技术指导', '村支书', '2026-06-30', now - 4 * MONTH);
  await measure('employment', '推荐到县城工业园务工', '乡镇就业服务站', '2027-01-31', null);
  await insertVisit(trx, fourth.record.id, {
    id: uuidv7(now - MONTH),
    note: '中蜂已分箱，务工岗位正在对接',
    visitorUserId: 'demo',
    visitorName: '网格员',
    measuresDone: [done.id],
    at: now - MONTH,
  });

  // Monitored after an illness last year; above the line every month since, the risk removed last month.
  const removedReasons = await economics(trx, removed, now - 15 * MONTH, 5900, { seriousIllness: true });
  const fifth = await monitored(
    trx,
    removed,
    {
      status: 'removed',
      doneSteps: 0,
      source: 'visit',
      reasons: removedReasons,
      category: 'hardship',
      flaggedAt: now - 15 * MONTH,
      monitoredAt: now - 14 * MONTH,
      removedAt: now - MONTH,
    },
    now,
  );
  for (let i = 0; i < 7; i++)
    await fifth.event('identification', STEPS[i] as string, ACTORS[i] as string, now - 15 * MONTH + (i + 1) * 4 * DAY);
  for (const monthsAgo of [12, 9, 6, 3]) await economics(trx, removed, now - monthsAgo * MONTH, 9800);
  await fifth.event('removal', 'start', '网格员', now - 2 * MONTH, '收入连续一年稳定高于监测线');
  for (let i = 0; i < 7; i++) await fifth.event('removal', STEPS[i] as string, ACTORS[i] as string, now - 2 * MONTH + (i + 1) * 4 * DAY);
}

export async function seedDemoPoverty(deps: Deps, regionsByCode: Map<string, RegionRecord>): Promise<void> {
  const now = deps.now();
  const county = regionsByCode.get('500242');
  if (county) await upsertSettings(deps.db, { countyId: county.id, year: yearOf(now), ...DEFAULT_SETTINGS }, 'demo', now);
  let index = 0;
  for (const region of regionsByCode.values()) {
    if (region.level !== 'village') continue;
    // The village's first households by number (the five in its first grid), then its own extras.
    const households = (await householdHeadsUnder(deps, region.id)).slice(0, 12);
    const villageIndex = index++;
    await deps.db.transaction().execute((trx) => seedVillage(trx, households, now, villageIndex));
  }
}
