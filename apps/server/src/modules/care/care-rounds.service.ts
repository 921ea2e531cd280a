// Rounds: caretakers visit their elders daily and do a care round (cooking, cleaning) every few
// days; each visit is checked in on a phone. At the end of the day the visits that were due and did
// not happen are flagged to the village, once each. Doctors record their home visits.
import { alsoDoneBy, CARE_ROUND_TASKS } from '@cunzhi/contracts/care-rounds';
import { allows, authorize, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { localDate, localDay, localDayStart, localHour } from '../../platform/time.ts';
import { notify } from '../notifications/notifications.service.ts';
import { holdersOfRolesAt } from '../org/duty-holders.service.ts';
import { namesOfPeople } from '../org/people.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import { auditRead } from './care-audit.ts';
import * as elders from './care-elders.repository.ts';
import { compareText, elderInScope, withNames } from './care-elders.service.ts';
import { insertReadings } from './care-ingest.repository.ts';
import * as repo from './care-rounds.repository.ts';
import { bloodPressurePlausible } from './care-rules.ts';

export type { VisitKind } from './care-rounds.repository.ts';

/** A visit with the name of whoever made it. */
export type Visit = repo.VisitRecord & { byName: string };
/** A missed visit with the elder's name. */
export type MissedVisit = repo.MissedVisitRecord & { name: string };

/** The visits a caretaker owes on a schedule; a doctor's home visit is recorded when it happens. */
const SCHEDULED: Exclude<repo.VisitKind, 'doctorVisit'>[] = ['visit', 'careRound'];

export type VisitInput = {
  /** Minted by the phone once per check-in form; the visit's id. */
  id?: string;
  kind: repo.VisitKind;
  at?: string;
  note: string;
  tasks: string[];
  systolic?: number;
  diastolic?: number;
};

/** Days between visits of a kind for an elder: their own interval, or the county's. */
function everyDays(deps: Deps, elder: elders.ElderRecord, kind: (typeof SCHEDULED)[number]): number {
  return kind === 'visit'
    ? (elder.visitEveryDays ?? deps.config.visitEveryDays)
    : (elder.careRoundEveryDays ?? deps.config.careRoundEveryDays);
}

/** Whether a kind of visit is owed on a day, given the day of the last one: none within the interval. */
const isDue = (lastDay: number | null, day: number, every: number) => lastDay === null || day - lastDay >= every;

const dayOf = (at: number | undefined) => (at === undefined ? null : localDay(at));

export type PlanItem = {
  elder: elders.Elder;
  due: { kind: (typeof SCHEDULED)[number]; done: boolean; lastAt: number | null }[];
};

/**
 * A caretaker's list for the day: each of their elders with the visits owed today and whether they
 * are done. Elders away or in hospital are listed with nothing owed.
 */
export async function visitPlan(deps: Deps, principal: Principal, actor: Actor, now = deps.now()): Promise<PlanItem[]> {
  const found = await elders.findElders(deps.reader, await elders.eldersCaredBy(deps.reader, principal.userId));
  const named = await withNames(deps, found.values());
  const today = localDay(now);
  const before = await repo.lastVisits(deps.reader, [...found.keys()], localDayStart(today));
  const latest = await repo.lastVisits(deps.reader, [...found.keys()]);
  // The list carries the elders' records (conditions, contacts): a read of health data like any other.
  await recordAudit(deps.db, actor, { action: 'care.rounds.read', targetType: 'elder', details: { count: found.size } }, deps.now());
  return named.map((elder) => ({
    elder,
    due:
      elder.presence !== 'home' || elder.caretakerUserId !== principal.userId
        ? []
        : SCHEDULED.filter((kind) => isDue(dayOf(before.get(`${elder.personId}|${kind}`)), today, everyDays(deps, elder, kind))).map(
            (kind) => {
              const last = latest.get(`${elder.personId}|${kind}`) ?? null;
              return { kind, lastAt: last, done: last !== null && localDay(last) === today };
            },
          ),
  }));
}

/**
 * Checks a visit in: the caretaker (or grid worker, cadre) of the elder's place records the time,
 * what was done and a note; a blood pressure taken goes into the elder's readings; the visit counts
 * as the elder's activity. A doctor's home visit needs the doctor role. Retried check-ins (a phone
 * on a bad network) are recorded once: under the same Idempotency-Key, and under the id the phone
 * minted for the form (a double tap queues two outbox items, each with its own key, carrying the
 * same id and body). The same key with another body is 422; the id used with another body, or by
 * someone else, is 409 id_taken.
 */
export async function checkIn(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  input: VisitInput,
  idempotencyKey: string | undefined,
): Promise<Visit> {
  const elder = await elders.findElder(deps.reader, personId);
  if (!elder || !allows(principal, 'care.read', elder.placement)) throw notFound('elder');
  authorize(principal, 'care.visit', elder.placement, 'elder');
  if (input.kind === 'doctorVisit' && !principal.assignments.some((a) => a.role === 'doctor')) throw new AppError('forbidden');
  const now = deps.now();
  const at = input.at ? Date.parse(input.at) : now;
  if (at > now + 5 * 60_000) throw new AppError('visit_in_future');
  if (at < now - 7 * 24 * 3_600_000) throw new AppError('validation_failed', {}, { field: 'at', problem: 'more than 7 days ago' });
  if ((input.systolic === undefined) !== (input.diastolic === undefined)) {
    throw new AppError('validation_failed', {}, { field: 'diastolic', problem: 'blood pressure needs both values' });
  }
  if (input.systolic !== undefined && input.diastolic !== undefined && !bloodPressurePlausible(input.systolic, input.diastolic)) {
    throw new AppError('validation_failed', {}, { field: 'diastolic', problem: 'must be below systolic' });
  }
  const id = await runIdempotent(
    deps.db,
    {
      principalId: principal.userId,
      key: idempotencyKey,
      bodyKey: input.id === undefined ? undefined : { key: `care.visit:${input.id}`, taken: () => new AppError('id_taken') },
      operation: `care.visit:${personId}`,
      payload: input,
    },
    async (trx) => {
      // First of all: two people checking the same elder in at once (a caretaker and a grid worker)
      // must not both add the round the day still owes (closeRoundsDoneWith). The second waits here
      // for the first's commit and then sees its visits. Taken before the visit's insert, whose
      // reference to the elder's row would otherwise make the two wait for each other.
      await elders.lockElder(trx, personId);
      if (input.id !== undefined && (await repo.visitExists(trx, input.id))) throw new AppError('id_taken');
      const visitId = input.id ?? uuidv7(now);
      const visit = {
        id: visitId,
        elderPersonId: personId,
        kind: input.kind,
        byUserId: principal.userId,
        at,
        note: input.note,
        tasks: input.tasks,
        systolic: input.systolic ?? null,
        diastolic: input.diastolic ?? null,
      };
      await repo.insertVisit(trx, { ...visit, placement: elder.placement }, now);
      if (input.systolic !== undefined) {
        const reading = { id: uuidv7(now), deviceId: 'visit', readingKey: visitId, elderPersonId: personId, kind: 'bloodPressure' };
        await insertReadings(trx, [{ ...reading, value1: input.systolic, value2: input.diastolic ?? null, at }], now);
      }
      await elders.markActivity(trx, personId, at);
      await recordAudit(
        trx,
        actor,
        { action: `care.visit.${input.kind}`, targetType: 'person', targetId: personId, regionId: elder.placement.regionId },
        now,
      );
      await closeRoundsDoneWith(deps, trx, actor, elder, visit, now);
      return visitId;
    },
  );
  // Read back rather than built here: a retried check-in answers with the visit first recorded.
  const stored = await repo.findVisit(deps.db, personId, id);
  const [visit] = stored ? await withVisitorNames(deps, [stored]) : [];
  if (!visit) throw notFound('visit');
  return visit;
}

/**
 * The other rounds a check-in did (a care round is that day's visit too; a visit with cooking or
 * cleaning is that day's care round: contracts' alsoDoneBy), each recorded as a visit of its own
 * kind at the same time by the same person, with the tasks of that kind, and audited naming the
 * check-in it came with, so that the day's list, the evening's missed-visit check and the history
 * all read it as done. Only a round still owed that day is recorded: nothing is added when it was
 * done already or not due. Runs inside the check-in's idempotent transaction, so once per check-in.
 */
async function closeRoundsDoneWith(
  deps: Deps,
  trx: Deps['db'],
  actor: Actor,
  elder: elders.ElderRecord,
  visit: repo.VisitRecord,
  now: number,
): Promise<void> {
  if (elder.presence !== 'home') return;
  const day = localDay(visit.at);
  for (const kind of alsoDoneBy(visit.kind, visit.tasks)) {
    const key = `${elder.personId}|${kind}`;
    const lastBefore = (await repo.lastVisits(trx, [elder.personId], localDayStart(day))).get(key);
    const lastByEnd = (await repo.lastVisits(trx, [elder.personId], localDayStart(day + 1))).get(key);
    const doneThatDay = lastByEnd !== undefined && localDay(lastByEnd) === day;
    if (doneThatDay || !isDue(dayOf(lastBefore), day, everyDays(deps, elder, kind))) continue;
    const id = uuidv7(now);
    const careTask = (task: string) => CARE_ROUND_TASKS.includes(task);
    const tasks = visit.tasks.filter((task) => (kind === 'careRound' ? careTask(task) : !careTask(task)));
    const done = { ...visit, id, kind, note: '', tasks, systolic: null, diastolic: null };
    await repo.insertVisit(trx, { ...done, placement: elder.placement }, now);
    await recordAudit(
      trx,
      actor,
      {
        action: `care.visit.${kind}`,
        targetType: 'person',
        targetId: elder.personId,
        regionId: elder.placement.regionId,
        details: { visitId: id, doneWithVisitId: visit.id },
      },
      now,
    );
  }
}

/** Visits with their visitors' names, asked of org in one call; a visit whose visitor is gone is left out, as the join it replaces left it out. */
async function withVisitorNames(deps: Deps, visits: repo.VisitRecord[]): Promise<Visit[]> {
  const names = await displayNamesOfUsers(
    deps,
    visits.map((v) => v.byUserId),
  );
  return visits.flatMap((v) => {
    const visitor = names.get(v.byUserId);
    return visitor === undefined ? [] : [{ ...v, byName: visitor }];
  });
}

/** An elder's visits since a moment, for those who may see the elder's care (family included); audited. */
export async function listVisits(deps: Deps, principal: Principal, actor: Actor, personId: string, since: number): Promise<Visit[]> {
  const elder = await elderInScope(deps, principal, personId);
  const visits = await withVisitorNames(deps, await repo.listVisits(deps.reader, elder.personId, since));
  await recordAudit(
    deps.db,
    actor,
    { action: 'care.visits.read', targetType: 'person', targetId: elder.personId, regionId: elder.placement.regionId },
    deps.now(),
  );
  return visits;
}

/**
 * From the configured hour of the evening (ROUNDS_DAY_END_HOUR), the visits owed today that did not
 * happen are flagged: once per elder, day and kind, with a message to the village's cadres and the
 * caretaker. Returns the number flagged.
 */
export async function flagMissedVisits(deps: Deps): Promise<number> {
  const now = deps.now();
  if (localHour(now) < deps.config.roundsDayEndHour) return 0;
  const today = localDay(now);
  const found = await withNames(deps, (await elders.findElders(deps.reader, await elders.eldersOwedRounds(deps.reader))).values());
  const last = await repo.lastVisits(
    deps.reader,
    found.map((e) => e.personId),
  );
  let flagged = 0;
  for (const elder of found) {
    for (const kind of SCHEDULED) {
      const lastDay = dayOf(last.get(`${elder.personId}|${kind}`));
      // Owed today: nothing within the interval before today, and nothing today either.
      if (lastDay === today || !isDue(lastDay, today, everyDays(deps, elder, kind))) continue;
      const created = await deps.db.transaction().execute(async (trx) => {
        const missed = { elderPersonId: elder.personId, day: localDate(today), kind, caretakerUserId: elder.caretakerUserId };
        if (!(await repo.insertMissedVisit(trx, { ...missed, placement: elder.placement }, now))) return false;
        const [zh, en] = kind === 'visit' ? ['日常探访', 'daily visit'] : ['照料（做饭、打扫）', 'care round (cooking, cleaning)'];
        const message = {
          topic: 'care.missedVisit',
          subjectType: 'careElder',
          subjectId: elder.personId,
          zh: `【关爱老人】${elder.name}今日的${zh}尚未完成，请核实。`,
          en: `[Elder care] ${elder.name}'s ${en} did not happen today; please check.`,
        };
        const cadres = elder.placement.villageId ? await holdersOfRolesAt(trx, ['villageCadre'], elder.placement.villageId) : [];
        for (const userId of new Set([...cadres, elder.caretakerUserId])) if (userId) await notify(trx, { userId }, message, now);
        return true;
      });
      if (created) flagged++;
    }
  }
  return flagged;
}

/** Missed visits in the caller's scope, newest day first; audited: it names elders and their care. */
export async function listMissedVisits(deps: Deps, principal: Principal, actor: Actor, sinceDay: string): Promise<MissedVisit[]> {
  const flagged = await repo.listMissedVisits(deps.reader, scopeFor(principal, 'care.read'), sinceDay);
  // A visit flagged as missed in the evening and then made later that same day is no longer owed:
  // the caretaker and the doctor were chasing visits already made (newcomer, 2026-12-03).
  const earliest = flagged.reduce((day, m) => (m.day < day ? m.day : day), flagged[0]?.day ?? sinceDay);
  const made = new Set(
    (
      await repo.visitsSince(
        deps.reader,
        [...new Set(flagged.map((m) => m.elderPersonId))],
        localDayStart(Date.parse(`${earliest}T00:00:00Z`) / 86_400_000),
      )
    ).map((v) => `${v.elderPersonId}|${localDate(localDay(v.at))}|${v.kind}`),
  );
  const records = flagged.filter((m) => !made.has(`${m.elderPersonId}|${m.day}|${m.kind}`));
  const names = await namesOfPeople(
    deps,
    records.map((m) => m.elderPersonId),
  );
  // Newest day first, then by the elder's name, as the list has always read.
  const missed = records
    .flatMap((m) => {
      const name = names.get(m.elderPersonId);
      return name === undefined ? [] : [{ ...m, name }];
    })
    .sort((a, b) => compareText(b.day, a.day) || compareText(a.name, b.name) || compareText(a.elderPersonId, b.elderPersonId));
  await auditRead(deps, actor, 'care.missedVisits.read', { targetType: 'elder', details: { count: missed.length, since: sinceDay } });
  return missed;
}
