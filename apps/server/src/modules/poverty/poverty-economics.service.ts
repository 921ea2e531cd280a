// What is known of a household's economics, entered by its grid worker or cadres (or imported
// from the county's sheets), with its history; the county's line and thresholds per year. Every
// record entered is run through the rules, which flag the household when its figures say so.
// Every read of a household's economics is audited, and so is every refusal.
import type { EconomicsInput, FlagReason, SettingsInput } from '@cunzhi/contracts/poverty';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type HouseholdHead, householdHeadsOf } from '../org/households.service.ts';
import { defaultCountyId, requireRegion } from '../org/regions.service.ts';
import type { MonitoredRecord } from './poverty.repository.ts';
import { guardPlace, yearOf } from './poverty-access.ts';
import * as repo from './poverty-economics.repository.ts';
import { openFlag } from './poverty-flags.service.ts';
import { causesResolved, DEFAULT_SETTINGS, type Figures, incomeYear, perCapita, reasonsOf } from './poverty-rules.ts';

export type { EconomicsRow } from './poverty-economics.repository.ts';
export type Settings = repo.StoredSettings & { configured: boolean };

/** The county's settings in force for a year, or the defaults while it has set none. */
export async function settingsFor(deps: Deps, countyId: string | null, year: number): Promise<Settings> {
  const stored = countyId ? await repo.findSettings(deps.reader, countyId, year) : undefined;
  if (stored) return { ...stored, year, configured: true };
  return { countyId: countyId ?? '', year, ...DEFAULT_SETTINGS, configured: false };
}

async function countyOf(deps: Deps, countyId: string | undefined): Promise<string> {
  const id = countyId ?? (await defaultCountyId(deps));
  if (!id) throw notFound('region');
  const region = await requireRegion(deps, id);
  if (region.level !== 'county') throw new AppError('region_level_mismatch');
  return region.id;
}

export async function getSettings(deps: Deps, query: { countyId?: string; year?: number }): Promise<Settings> {
  return settingsFor(deps, await countyOf(deps, query.countyId), query.year ?? yearOf(deps.now()));
}

export async function putSettings(deps: Deps, principal: Principal, actor: Actor, input: SettingsInput): Promise<Settings> {
  const countyId = await countyOf(deps, input.countyId);
  authorize(principal, 'poverty.configure', (await requireRegion(deps, countyId)).placement, 'region');
  const settings = { ...input, countyId };
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.upsertSettings(trx, settings, principal.userId, now);
    await recordAudit(
      trx,
      actor,
      { action: 'poverty.settings.update', targetType: 'povertySettings', targetId: countyId, details: input },
      now,
    );
  });
  return { ...settings, configured: true };
}

/** A household the caller may reach, by id; a refusal is audited under `action`. */
async function reachableHousehold(deps: Deps, principal: Principal, actor: Actor, id: string, action: string): Promise<HouseholdHead> {
  const household = (await householdHeadsOf(deps, [id])).get(id);
  if (!household) throw notFound('household');
  await guardPlace(deps, principal, actor, action, household.placement, { type: 'household', id, notFound: 'household' });
  return household;
}

function toRow(household: HouseholdHead, input: EconomicsInput, settings: Settings, source: 'entry' | 'import', by: string, now: number) {
  const income = Object.fromEntries(Object.entries(input.income).filter(([, v]) => v !== undefined)) as Record<string, number>;
  const figures: Figures = { ...input, income };
  const yearly = incomeYear(figures);
  const row: repo.EconomicsRow = {
    id: uuidv7(now),
    householdId: household.id,
    placement: household.placement,
    year: input.year,
    members: input.members,
    labour: input.labour,
    formerlyPoor: input.formerlyPoor,
    income,
    incomeYear: yearly,
    incomeLast12: input.incomeLast12,
    perCapitaYear: perCapita(yearly, input.members),
    perCapitaLast12: perCapita(input.incomeLast12, input.members),
    expenses: input.expenses,
    assurances: input.assurances,
    seriousIllness: input.seriousIllness,
    disaster: input.disaster,
    causesResolved: causesResolved(figures, settings),
    note: input.note?.trim() || null,
    source,
    recordedBy: by,
    recordedAt: now,
  };
  return { row, reasons: reasonsOf(figures, settings) };
}

function checkFigures(input: EconomicsInput, now: number): void {
  if (input.labour > input.members) throw new AppError('validation_failed', {}, [{ field: 'labour', problem: 'more labour than members' }]);
  // A year's figures are known once it has begun (China's calendar year, UTC+8); 2099 is a slip.
  const thisYear = new Date(now + 8 * 3_600_000).getUTCFullYear();
  if (input.year > thisYear) throw new AppError('validation_failed', {}, [{ field: 'year', problem: 'a year still to come' }]);
}

/**
 * Records a household's figures as its newest; when the rules give reasons, the household is
 * flagged (source: data), unless a record is open already, which gains the reasons.
 */
export async function recordEconomics(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  householdId: string,
  input: EconomicsInput,
): Promise<{ record: repo.EconomicsRow; reasons: FlagReason[]; flagged: MonitoredRecord | null }> {
  checkFigures(input, deps.now());
  const household = await reachableHousehold(deps, principal, actor, householdId, 'poverty.economics.record');
  const now = deps.now();
  const settings = await settingsFor(deps, household.placement.countyId, input.year);
  const { row, reasons } = toRow(household, input, settings, 'entry', principal.userId, now);
  return deps.db.transaction().execute(async (trx) => {
    const record = await repo.insertEconomics(trx, row);
    const flagged =
      reasons.length > 0
        ? (
            await openFlag(trx, {
              household,
              source: 'data',
              reasons,
              formerlyPoor: input.formerlyPoor,
              note: null,
              by: { userId: principal.userId, name: principal.displayName, roles: actor.roles },
              now,
            })
          ).record
        : null;
    await recordAudit(
      trx,
      actor,
      {
        action: 'poverty.economics.record',
        targetType: 'household',
        targetId: householdId,
        regionId: household.placement.regionId,
        details: { reasons, flagged: flagged?.id ?? null },
      },
      now,
    );
    return { record, reasons, flagged };
  });
}

/** A household's economics, newest first, with what the rules say of the newest; the read is audited. */
export async function readEconomics(deps: Deps, principal: Principal, actor: Actor, householdId: string) {
  const household = await reachableHousehold(deps, principal, actor, householdId, 'poverty.economics.read');
  const records = await repo.economicsOf(deps.reader, householdId);
  const now = deps.now();
  const newest = records[0];
  const settings = await settingsFor(deps, household.placement.countyId, newest?.year ?? yearOf(now));
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'poverty.economics.read',
      targetType: 'household',
      targetId: householdId,
      regionId: household.placement.regionId,
      details: { records: records.length },
    },
    now,
  );
  return {
    household,
    records,
    reasons: newest ? reasonsOf({ ...newest, assurances: newest.assurances as Figures['assurances'] }, settings) : [],
    incomeLine: settings.incomeLine,
  };
}

/** The readings the removal rule needs (not audited: the caller audits the read it is part of). */
export function incomeHistory(deps: Deps, householdId: string): Promise<repo.EconomicsRow[]> {
  return repo.economicsOf(deps.reader, householdId);
}

/** Records imported rows as the households' newest, flagging as entry does; one transaction for the file. */
export async function recordImported(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  rows: { household: HouseholdHead; input: EconomicsInput }[],
): Promise<{ imported: number; flagged: number }> {
  const now = deps.now();
  const prepared: { household: HouseholdHead; input: EconomicsInput; row: repo.EconomicsRow; reasons: FlagReason[] }[] = [];
  for (const { household, input } of rows) {
    const settings = await settingsFor(deps, household.placement.countyId, input.year);
    prepared.push({ household, input, ...toRow(household, input, settings, 'import', principal.userId, now) });
  }
  return deps.db.transaction().execute(async (trx) => {
    let flagged = 0;
    for (const { household, input, row, reasons } of prepared) {
      await repo.insertEconomics(trx, row);
      if (reasons.length === 0) continue;
      const by = { userId: principal.userId, name: principal.displayName, roles: actor.roles };
      const opened = await openFlag(trx, { household, source: 'data', reasons, formerlyPoor: input.formerlyPoor, note: null, by, now });
      if (opened.created) flagged++;
    }
    await recordAudit(
      trx,
      actor,
      { action: 'poverty.economics.import', targetType: 'household', details: { rows: prepared.length, flagged } },
      now,
    );
    return { imported: prepared.length, flagged };
  });
}
