// The advice library: rules written by extension workers (by crop or animal, growth stage, month,
// solar term and weather, each with its text, pictures and validity), today's solar term, and the
// weather: entered by hand or imported from a CSV or JSON forecast feed (README "Weather feed").
import type { WeatherCondition } from '@cunzhi/contracts/agri';
import type { AdviceRuleInput, AdviceRulePatch, WeatherInput } from '@cunzhi/contracts/agri-advice';
import { allows, hasPermission, type Placement, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { findRegions, regionNames, requireRegion, requireRegionByCode } from '../org/regions.service.ts';
import { scopeWithin, todayIn, weatherDateProblem } from './agri-access.ts';
import * as repo from './agri-advice.repository.ts';
import * as photos from './agri-observations.repository.ts';
import { ownFreePhotos, uploadPhoto } from './agri-observations.service.ts';
import { solarTermAround } from './solar-terms.ts';
import { conditionsByDay, parseFeed } from './weather.ts';

export type { RuleRecord, WeatherRecord } from './agri-advice.repository.ts';

/** Today in Beijing: the date, month and solar term in force and the next one. */
export function agriToday(now: number) {
  const date = todayIn(now);
  const terms = solarTermAround(now);
  return { date, month: Number(date.slice(5, 7)), solarTerm: terms.current, nextSolarTerm: terms.next };
}

/** The region ids above the caller's own places (their township and county): rules placed there reach them too. */
export async function placesAbove(deps: Deps, principal: Principal): Promise<string[]> {
  const regions = await findRegions(
    deps,
    principal.assignments.map((a) => a.regionId),
  );
  const ids = new Set<string>();
  for (const r of regions.values()) for (const id of [r.placement.countyId, r.placement.townshipId]) if (id && id !== r.id) ids.add(id);
  return [...ids];
}

async function requireRule(
  deps: Deps,
  principal: Principal,
  id: string,
  permission: 'agri.figures' | 'agri.advise',
): Promise<repo.RuleRecord> {
  const rule = await repo.findRule(deps.reader, id);
  if (!rule) throw notFound('adviceRule');
  if (allows(principal, permission, rule.placement)) return rule;
  const above = await placesAbove(deps, principal);
  if (permission === 'agri.figures' && hasPermission(principal, permission) && above.includes(rule.placement.regionId)) return rule;
  if (allows(principal, 'agri.figures', rule.placement)) throw forbidden();
  throw notFound('adviceRule');
}

export async function getRule(deps: Deps, principal: Principal, id: string): Promise<repo.RuleRecord> {
  return requireRule(deps, principal, id, 'agri.figures');
}

export async function listRules(
  deps: Deps,
  principal: Principal,
  query: { limit?: number; cursor?: string; subject?: string },
): Promise<Page<repo.RuleRecord>> {
  const scope = scopeWithin(principal, 'agri.figures');
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const rows = await repo.listRules(deps.reader, scope, await placesAbove(deps, principal), { subject: query.subject }, before, limit + 1);
  return toPage(rows, limit, (r) => [r.id]);
}

/** The place a new rule is for: the one asked for (in the author's reach), or the author's own. */
async function rulePlace(deps: Deps, principal: Principal, regionId: string | undefined): Promise<Placement> {
  const id = regionId ?? principal.assignments.find((a) => a.role === 'extensionWorker')?.regionId;
  if (!id) throw forbidden();
  const region = await requireRegion(deps, id).catch(() => undefined);
  if (!region || !allows(principal, 'agri.advise', region.placement)) throw notFound('region');
  return region.placement;
}

const uniq = <T>(values: readonly T[] | undefined) => [...new Set(values ?? [])];

export async function createRule(deps: Deps, principal: Principal, actor: Actor, input: AdviceRuleInput): Promise<repo.RuleRecord> {
  if (!hasPermission(principal, 'agri.advise')) throw forbidden();
  const placement = await rulePlace(deps, principal, input.regionId);
  if (input.title.trim() === '' || input.body.trim() === '')
    throw new AppError('validation_failed', {}, [{ field: 'title', problem: 'blank' }]);
  const now = deps.now();
  const rule: repo.RuleRecord = {
    id: uuidv7(now),
    title: input.title.trim(),
    body: input.body.trim(),
    subjects: uniq(input.subjects),
    growthStages: uniq(input.growthStages),
    months: uniq(input.months).sort((a, b) => a - b),
    solarTerms: uniq(input.solarTerms),
    weather: uniq(input.weather),
    pictureIds: [],
    validDays: input.validDays,
    active: input.active ?? true,
    placement,
    authorId: principal.userId,
    authorName: principal.displayName,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRule(trx, rule);
    await recordAudit(
      trx,
      actor,
      { action: 'agri.rule.create', targetType: 'adviceRule', targetId: rule.id, regionId: placement.regionId },
      now,
    );
  });
  return rule;
}

export async function changeRule(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  patch: AdviceRulePatch,
): Promise<repo.RuleRecord> {
  const before = await requireRule(deps, principal, id, 'agri.advise');
  const now = deps.now();
  const rule: repo.RuleRecord = {
    ...before,
    title: patch.title?.trim() ?? before.title,
    body: patch.body?.trim() ?? before.body,
    subjects: patch.subjects ? uniq(patch.subjects) : before.subjects,
    growthStages: patch.growthStages ? uniq(patch.growthStages) : before.growthStages,
    months: patch.months ? uniq(patch.months).sort((a, b) => a - b) : before.months,
    solarTerms: patch.solarTerms ? uniq(patch.solarTerms) : before.solarTerms,
    weather: patch.weather ? uniq(patch.weather) : before.weather,
    validDays: patch.validDays ?? before.validDays,
    active: patch.active ?? before.active,
    updatedAt: now,
  };
  if (rule.title === '' || rule.body === '') throw new AppError('validation_failed', {}, [{ field: 'title', problem: 'blank' }]);
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveRule(trx, rule);
    await recordAudit(
      trx,
      actor,
      {
        action: 'agri.rule.update',
        targetType: 'adviceRule',
        targetId: id,
        regionId: rule.placement.regionId,
        details: { fields: Object.keys(patch) },
      },
      now,
    );
  });
  return rule;
}

export const MAX_RULE_PICTURES = 6;

export async function addRulePicture(deps: Deps, principal: Principal, actor: Actor, id: string, data: Buffer): Promise<repo.RuleRecord> {
  const rule = await requireRule(deps, principal, id, 'agri.advise');
  if (rule.pictureIds.length >= MAX_RULE_PICTURES) throw new AppError('too_many_photos', { max: MAX_RULE_PICTURES });
  const photo = await uploadPhoto(deps, principal, actor, data);
  await ownFreePhotos(deps, principal, [photo.id]);
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const current = (await repo.findRule(trx, id)) as repo.RuleRecord;
    const updated = { ...current, pictureIds: [...current.pictureIds, photo.id], updatedAt: now };
    await photos.attachPhotos(trx, [photo.id], { type: 'rule', id, householdId: null });
    await repo.saveRule(trx, updated);
    await recordAudit(
      trx,
      actor,
      { action: 'agri.rule.picture', targetType: 'adviceRule', targetId: id, regionId: rule.placement.regionId },
      now,
    );
    return updated;
  });
}

// ---- Weather ------------------------------------------------------------------------------------

export type WeatherView = repo.WeatherRecord & { conditions: WeatherCondition[] };

const dayShift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The weather of these places over [from, to], each day with its conditions (the two days before count for a cold snap). */
export async function weatherOf(deps: Deps, regionIds: readonly string[], from: string, to: string): Promise<WeatherView[]> {
  const rows = await repo.listWeather(deps.reader, regionIds, dayShift(from, -2), to);
  const out: WeatherView[] = [];
  for (const regionId of new Set(rows.map((r) => r.regionId))) {
    const days = rows.filter((r) => r.regionId === regionId);
    const conditions = conditionsByDay(days.map((d) => ({ ...d, named: d.named as WeatherCondition[] })));
    for (const d of days) if (d.date >= from) out.push({ ...d, conditions: conditions.get(d.date) ?? [] });
  }
  return out;
}

/** A weather place: a township or the county, within the caller's reach for `permission`. */
async function weatherPlace(deps: Deps, principal: Principal, regionId: string, permission: 'agri.advise' | 'agri.figures') {
  const region = await requireRegion(deps, regionId).catch(() => undefined);
  if (!region || !allows(principal, permission, region.placement)) {
    const above = await placesAbove(deps, principal);
    if (region && permission === 'agri.figures' && hasPermission(principal, permission) && above.includes(region.id)) return region;
    throw notFound('region');
  }
  if (region.level !== 'township' && region.level !== 'county')
    throw new AppError('validation_failed', {}, [{ field: 'regionId', problem: 'a township or the county' }]);
  return region;
}

export async function listWeatherFor(deps: Deps, principal: Principal, query: { regionId?: string; from?: string; to?: string }) {
  const regionId = query.regionId ?? principal.assignments[0]?.regionId;
  if (!regionId) throw forbidden();
  const region = await weatherPlace(deps, principal, regionId, 'agri.figures');
  const today = todayIn(deps.now());
  const from = query.from ?? dayShift(today, -7);
  const to = query.to ?? dayShift(today, 7);
  const ids = [region.id, ...(region.placement.countyId && region.placement.countyId !== region.id ? [region.placement.countyId] : [])];
  return weatherOf(deps, ids, from, to);
}

export async function enterWeather(deps: Deps, principal: Principal, actor: Actor, input: WeatherInput): Promise<WeatherView> {
  if (!hasPermission(principal, 'agri.advise')) throw forbidden();
  const region = await weatherPlace(deps, principal, input.regionId, 'agri.advise');
  const now = deps.now();
  const dateProblem = weatherDateProblem(input.date, now);
  if (dateProblem) throw new AppError('validation_failed', {}, [{ field: 'date', problem: dateProblem }]);
  if (input.minTempC > input.maxTempC) throw new AppError('weather_range_invalid');
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveWeather(trx, {
      id: uuidv7(now),
      regionId: region.id,
      date: input.date,
      minTempC: input.minTempC,
      maxTempC: input.maxTempC,
      rainMm: input.rainMm,
      named: uniq(input.conditions),
      source: 'manual',
      updatedBy: principal.userId,
      updatedAt: now,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'agri.weather.enter', targetType: 'region', targetId: region.id, regionId: region.id, details: { date: input.date } },
      now,
    );
  });
  return (await weatherOf(deps, [region.id], input.date, input.date))[0] as WeatherView;
}

/** Imports a forecast feed, all or nothing; returns the days imported and those with a condition. */
export async function importWeather(deps: Deps, principal: Principal, actor: Actor, text: string, format: 'csv' | 'json') {
  if (!hasPermission(principal, 'agri.advise')) throw forbidden();
  const rows = parseFeed(text, format, deps.now());
  if ('problem' in rows) throw new AppError('weather_feed_invalid', { line: rows.line, problem: rows.problem });
  const regions = new Map<string, Awaited<ReturnType<typeof weatherPlace>>>();
  for (const [i, row] of rows.entries()) {
    if (regions.has(row.regionCode)) continue;
    const region = await requireRegionByCode(deps, row.regionCode).catch(() => undefined);
    const placed = region && (await weatherPlace(deps, principal, region.id, 'agri.advise').catch(() => undefined));
    if (!placed) throw new AppError('weather_feed_invalid', { line: i + (format === 'csv' ? 2 : 1), problem: 'regionCode' });
    regions.set(row.regionCode, placed);
  }
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const region = regions.get(row.regionCode) as { id: string };
      await repo.saveWeather(trx, {
        id: uuidv7(now),
        regionId: region.id,
        date: row.date,
        minTempC: row.minTempC,
        maxTempC: row.maxTempC,
        rainMm: row.rainMm,
        named: row.named,
        source: 'feed',
        updatedBy: principal.userId,
        updatedAt: now,
      });
    }
    await recordAudit(trx, actor, { action: 'agri.weather.import', targetType: 'region', details: { rows: rows.length, format } }, now);
  });
  const dates = rows.map((r) => r.date).sort();
  const views = await weatherOf(
    deps,
    [...new Set([...regions.values()].map((r) => r.id))],
    dates[0] as string,
    dates[dates.length - 1] as string,
  );
  return { imported: rows.length, conditions: views.filter((v) => v.conditions.length > 0) };
}

/** The names of the rules' places, for their presentation. */
export function ruleRegionNames(deps: Deps, rules: readonly repo.RuleRecord[]): Promise<Map<string, string>> {
  return regionNames(
    deps,
    rules.map((r) => r.placement.regionId),
  );
}
