// What agri's responses show: the whitelist of each record's fields, in the contracts' shapes.
import type { AdviceReportItem, AdviceRule, FarmAdvice, WeatherEntry } from '@cunzhi/contracts/agri-advice';
import type { FarmCamera, FarmChange, FarmSummary, Flock, Observation, Plot } from '@cunzhi/contracts/agri-farms';
import type { Question, QuestionMessage } from '@cunzhi/contracts/agri-questions';
import type { Static, TSchema } from 'typebox';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { HouseholdFarmCamera } from '../monitoring/monitoring-farm.service.ts';
import type { FarmHouseholdRecord } from './agri-access.ts';
import type { RuleRecord, WeatherView } from './agri-advice.service.ts';
import type { FarmAdviceItem, ReportItem } from './agri-delivery.service.ts';
import type { ChangeRecord, Farm, FarmSummary as FarmSummaryRecord, FlockRecord, PlotRecord } from './agri-farms.service.ts';
import type { ObservationRecord } from './agri-observations.service.ts';
import type { MessageRecord, QuestionView, Thread } from './agri-questions.service.ts';

type Out<T extends TSchema> = Static<T>;

const presentCamera = (c: HouseholdFarmCamera): Out<typeof FarmCamera> => ({
  cameraId: c.cameraId,
  cameraName: c.cameraName,
  subjectId: c.agriSubjectId,
});
const cameraOf = (cameras: HouseholdFarmCamera[], id: string) => {
  const c = cameras.find((x) => x.agriSubjectId === id);
  return c ? presentCamera(c) : null;
};

export const presentHousehold = (h: FarmHouseholdRecord) => ({
  id: h.id,
  number: h.number,
  headName: h.headName,
  regionId: h.placement.regionId,
  villageId: h.placement.villageId,
  townshipId: h.placement.townshipId,
});

export const presentPlot = (p: PlotRecord, cameras: HouseholdFarmCamera[] = []): Out<typeof Plot> => ({
  id: p.id,
  householdId: p.householdId,
  name: p.name,
  kind: p.kind as Out<typeof Plot>['kind'],
  crop: p.crop as Out<typeof Plot>['crop'],
  variety: p.variety,
  areaMu: p.areaMu,
  plantedOn: p.plantedOn,
  growthStage: p.growthStage,
  note: p.note,
  camera: cameraOf(cameras, p.id),
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});

const DAY_MS = 86_400_000;

export const presentFlock = (f: FlockRecord, now: number, cameras: HouseholdFarmCamera[] = []): Out<typeof Flock> => ({
  id: f.id,
  householdId: f.householdId,
  name: f.name,
  species: f.species as Out<typeof Flock>['species'],
  breed: f.breed,
  headCount: f.headCount,
  startedOn: f.startedOn,
  ageDays: f.startedOn ? Math.max(0, Math.floor((now + 8 * 3_600_000 - Date.parse(`${f.startedOn}T00:00:00Z`)) / DAY_MS)) : null,
  growthStage: f.growthStage,
  note: f.note,
  camera: cameraOf(cameras, f.id),
  createdAt: toIso(f.createdAt),
  updatedAt: toIso(f.updatedAt),
});

export const presentFarm = (farm: Farm, now: number, extra: { openQuestions: number; unreadAdvice: number }) => ({
  household: presentHousehold(farm.household),
  plots: farm.plots.map((p) => presentPlot(p, farm.cameras)),
  flocks: farm.flocks.map((f) => presentFlock(f, now, farm.cameras)),
  cameras: farm.cameras.map(presentCamera),
  ...extra,
});

export const presentFarmSummary = (s: FarmSummaryRecord): Out<typeof FarmSummary> => ({
  household: presentHousehold(s.household),
  plots: s.plots.length,
  areaMu: Math.round(s.plots.reduce((sum, p) => sum + p.areaMu, 0) * 100) / 100,
  flocks: s.flocks.length,
  heads: s.flocks.reduce((sum, f) => sum + f.headCount, 0),
  crops: [...new Set(s.plots.map((p) => p.crop))] as Out<typeof FarmSummary>['crops'],
  species: [...new Set(s.flocks.map((f) => f.species))] as Out<typeof FarmSummary>['species'],
  updatedAt: toIso(Math.max(0, ...s.plots.map((p) => p.updatedAt), ...s.flocks.map((f) => f.updatedAt))),
});

export const presentChange = (c: ChangeRecord): Out<typeof FarmChange> => ({
  id: c.id,
  subjectType: c.subjectType,
  subjectId: c.subjectId,
  action: c.action,
  changes: c.changes,
  byName: c.byName,
  at: toIso(c.at),
});

export const presentObservation = (o: ObservationRecord): Out<typeof Observation> => ({
  id: o.id,
  householdId: o.householdId,
  plotId: o.plotId,
  flockId: o.flockId,
  subjectName: o.subjectName,
  kind: o.kind as Out<typeof Observation>['kind'],
  source: o.source as Out<typeof Observation>['source'],
  observedOn: o.observedOn,
  growthStage: o.growthStage,
  pest: o.pest,
  deaths: o.deaths,
  quantityKg: o.quantityKg,
  priceYuanPerKg: o.priceYuanPerKg,
  amountYuan:
    o.kind === 'sale' && o.quantityKg !== null && o.priceYuanPerKg !== null
      ? Math.round(o.quantityKg * o.priceYuanPerKg * 100) / 100
      : null,
  note: o.note,
  photoIds: o.photoIds,
  cameraId: o.cameraId,
  snapshotId: o.snapshotId,
  byName: o.byName,
  createdAt: toIso(o.createdAt),
});

export const presentRule = (r: RuleRecord, regionName: string): Out<typeof AdviceRule> => ({
  id: r.id,
  title: r.title,
  body: r.body,
  subjects: r.subjects as Out<typeof AdviceRule>['subjects'],
  growthStages: r.growthStages as Out<typeof AdviceRule>['growthStages'],
  months: r.months,
  solarTerms: r.solarTerms as Out<typeof AdviceRule>['solarTerms'],
  weather: r.weather as Out<typeof AdviceRule>['weather'],
  validDays: r.validDays,
  regionId: r.placement.regionId,
  regionName,
  active: r.active,
  pictureIds: r.pictureIds,
  authorName: r.authorName,
  createdAt: toIso(r.createdAt),
  updatedAt: toIso(r.updatedAt),
});

export const presentWeather = (w: WeatherView): Out<typeof WeatherEntry> => ({
  id: w.id,
  regionId: w.regionId,
  date: w.date,
  minTempC: w.minTempC,
  maxTempC: w.maxTempC,
  rainMm: w.rainMm,
  conditions: w.conditions,
  source: w.source as Out<typeof WeatherEntry>['source'],
  updatedAt: toIso(w.updatedAt),
});

export const presentReportItem = (i: ReportItem): Out<typeof AdviceReportItem> => ({ ...i });

export const presentFarmAdvice = (a: FarmAdviceItem): Out<typeof FarmAdvice> => ({
  ruleId: a.rule.id,
  title: a.rule.title,
  body: a.rule.body,
  pictureIds: a.rule.pictureIds,
  noticeId: a.noticeId,
  periodStart: a.periodStart,
  periodEnd: a.periodEnd,
  deliveredAt: toIso(a.deliveredAt),
  read: a.read,
});

export const presentQuestion = (q: QuestionView): Out<typeof Question> => ({
  id: q.id,
  householdId: q.householdId,
  headName: q.headName,
  regionId: q.placement.regionId,
  plotId: q.plotId,
  flockId: q.flockId,
  subjectName: q.subjectName,
  text: q.text,
  photoIds: q.photoIds,
  state: q.state,
  askedAt: toIso(q.askedAt),
  dueAt: toIso(q.dueAt),
  overdue: q.overdue,
  answeredAt: toIsoOrNull(q.answeredAt),
  answeredByName: q.answeredByName,
});

const presentMessage = (m: MessageRecord): Out<typeof QuestionMessage> => ({
  id: m.id,
  byName: m.byName,
  side: m.side,
  text: m.text,
  photoIds: m.photoIds,
  at: toIso(m.at),
});

export const presentThread = (t: Thread) => ({ question: presentQuestion(t.question), messages: t.messages.map(presentMessage) });
