// Rounds: caretakers visit their elders daily and do a care round (cooking, cleaning) every few
// days; each visit is checked in on a phone. At the end of the day the visits that were due and did
// not happen are flagged to the village, once each. Doctors record their home visits.
import type { Kysely } from 'kysely';
import { placedColumns } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import { allows, authorize, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../../platform/notify.ts';
import { localDate, localDay, localDayStart, localHour } from '../../platform/time.ts';
import * as repo from './care.repository.ts';
import { auditRead } from './care-audit.ts';

export const VISIT_KINDS = ['visit', 'careRound', 'doctorVisit'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];
/** The visits a caretaker owes on a schedule; a doctor's home visit is recorded when it happens. */
const SCHEDULED: Exclude<VisitKind, 'doctorVisit'>[] = ['visit', 'careRound'];

export type Visit = {
  id: string;
  elderPersonId: string;
  kind: VisitKind;
  byUserId: string;
  byName: string;
  at: number;
  note: string;
  tasks: string[];
  systolic: number | null;
  diastolic: number | null;
};

export type VisitInput = {
  kind: VisitKind;
  at?: string;
  note: string;
  tasks: string[];
  systolic?: number;
  diastolic?: number;
};

/** Days between visits of a kind for an elder: their own interval, or the county's. */
function everyDays(deps: Deps, elder: repo.Elder, kind: (typeof SCHEDULED)[number]): number {
  return kind === 'visit'
    ? (elder.visitEveryDays ?? deps.config.visitEveryDays)
    : (elder.careRoundEveryDays ?? deps.config.careRoundEveryDays);
}

/** Whether a kind of visit is owed on a day, given the day of the last one: none within the interval. */
const isDue = (lastDay: number | null, day: number, every: number) => lastDay === null || day - lastDay >= every;

/** The time of each elder's last visit of each kind ("elder|kind"), before a moment when one is given. */
async function lastVisits(db: Kysely<DB>, personIds: string[], before?: number): Promise<Map<string, number>> {
  if (personIds.length === 0) return new Map();
  let query = db
    .selectFrom('care_visits')
    .select(['elder_person_id', 'kind', (eb) => eb.fn.max('at').as('last')])
    .where('elder_person_id', 'in', personIds);
  if (before !== undefined) query = query.where('at', '<', before);
  const rows = await query.groupBy(['elder_person_id', 'kind']).execute();
  return new Map(rows.map((r) => [`${r.elder_person_id}|${r.kind}`, Number(r.last)]));
}

const dayOf = (at: number | undefined) => (at === undefined ? null : localDay(at));

export type PlanItem = {
  elder: repo.Elder;
  due: { kind: (typeof SCHEDULED)[number]; done: boolean; lastAt: number | null }[];
};

/**
 * A caretaker's list for the day: each of their elders with the visits owed today and whether they
 * are done. Elders away or in hospital are listed with nothing owed.
 */
export async function visitPlan(deps: Deps, principal: Principal, actor: Actor, now = deps.now()): Promise<PlanItem[]> {
  const elders = await deps.reader
    .selectFrom('care_elders as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select('e.person_id')
    .where((eb) => eb.or([eb('e.caretaker_user_id', '=', principal.userId), eb('e.doctor_user_id', '=', principal.userId)]))
    .orderBy('p.name')
    .execute();
  const found = await repo.findElders(
    deps.reader,
    elders.map((e) => e.person_id),
  );
  const today = localDay(now);
  const before = await lastVisits(deps.reader, [...found.keys()], localDayStart(today));
  const latest = await lastVisits(deps.reader, [...found.keys()]);
  // The list carries the elders' records (conditions, contacts): a read of health data like any other.
  await recordAudit(deps.db, actor, { action: 'care.rounds.read', targetType: 'elder', details: { count: found.size } }, deps.now());
  return [...found.values()].map((elder) => ({
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
 * on a bad network) are recorded once.
 */
export async function checkIn(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  input: VisitInput,
  idempotencyKey: string | undefined,
): Promise<Visit> {
  const elder = await repo.findElder(deps.reader, personId);
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
  const id = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: `care.visit:${personId}`, payload: input },
    async (trx) => {
      const visitId = uuidv7(now);
      await trx
        .insertInto('care_visits')
        .values({
          id: visitId,
          elder_person_id: personId,
          ...placedColumns(elder.placement),
          kind: input.kind,
          by_user_id: principal.userId,
          at,
          note: input.note,
          tasks: JSON.stringify(input.tasks),
          systolic: input.systolic ?? null,
          diastolic: input.diastolic ?? null,
          created_at: now,
        })
        .execute();
      if (input.systolic !== undefined) {
        await repo.insertReadings(
          trx,
          [
            {
              id: uuidv7(now),
              deviceId: 'visit',
              readingKey: visitId,
              elderPersonId: personId,
              kind: 'bloodPressure',
              value1: input.systolic,
              value2: input.diastolic ?? null,
              at,
            },
          ],
          now,
        );
      }
      await repo.markActivity(trx, personId, at);
      await recordAudit(
        trx,
        actor,
        { action: `care.visit.${input.kind}`, targetType: 'person', targetId: personId, regionId: elder.placement.regionId },
        now,
      );
      return visitId;
    },
  );
  return (await listVisitRows(deps.db, personId, 0, id))[0] as Visit;
}

/** An elder's visits since a moment, newest first; `id`: that one visit only. */
async function listVisitRows(db: Kysely<DB>, personId: string, since: number, id?: string): Promise<Visit[]> {
  let query = db
    .selectFrom('care_visits as v')
    .innerJoin('users as u', 'u.id', 'v.by_user_id')
    .selectAll('v')
    .select('u.display_name')
    .where('v.elder_person_id', '=', personId)
    .where('v.at', '>=', since);
  if (id) query = query.where('v.id', '=', id);
  const rows = await query.orderBy('v.at', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    elderPersonId: r.elder_person_id,
    kind: r.kind,
    byUserId: r.by_user_id,
    byName: r.display_name,
    at: r.at,
    note: r.note,
    tasks: JSON.parse(r.tasks) as string[],
    systolic: r.systolic,
    diastolic: r.diastolic,
  }));
}

/** An elder's visits since a moment, for those who may see the elder's care (family included); audited. */
export async function listVisits(deps: Deps, elder: repo.Elder, actor: Actor, since: number): Promise<Visit[]> {
  const visits = await listVisitRows(deps.reader, elder.personId, since);
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
  const elders = await deps.reader
    .selectFrom('care_elders')
    .select('person_id')
    .where('caretaker_user_id', 'is not', null)
    .where('presence', '=', 'home')
    .execute();
  const found = await repo.findElders(
    deps.reader,
    elders.map((e) => e.person_id),
  );
  const last = await lastVisits(deps.reader, [...found.keys()]);
  let flagged = 0;
  for (const elder of found.values()) {
    for (const kind of SCHEDULED) {
      const lastDay = dayOf(last.get(`${elder.personId}|${kind}`));
      // Owed today: nothing within the interval before today, and nothing today either.
      if (lastDay === today || !isDue(lastDay, today, everyDays(deps, elder, kind))) continue;
      const created = await deps.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('care_missed_visits')
          .values({
            elder_person_id: elder.personId,
            day: localDate(today),
            kind,
            caretaker_user_id: elder.caretakerUserId,
            ...placedColumns(elder.placement),
            flagged_at: now,
          })
          .onConflict((oc) => oc.columns(['elder_person_id', 'day', 'kind']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
        const [zh, en] = kind === 'visit' ? ['日常探访', 'daily visit'] : ['照料（做饭、打扫）', 'care round (cooking, cleaning)'];
        const message = {
          topic: 'care.missedVisit',
          subjectType: 'careElder',
          subjectId: elder.personId,
          zh: `【关爱老人】${elder.name}今日的${zh}尚未完成，请核实。`,
          en: `[Elder care] ${elder.name}'s ${en} did not happen today; please check.`,
        };
        const told = new Set([...(await repo.usersFor(trx, 'villageCadre', elder.placement)), elder.caretakerUserId]);
        for (const userId of told) if (userId) await notify(trx, { userId }, message, now);
        return true;
      });
      if (created) flagged++;
    }
  }
  return flagged;
}

export type MissedVisit = { elderPersonId: string; name: string; day: string; kind: string; caretakerUserId: string | null };

/** Missed visits in the caller's scope, newest day first; audited: it names elders and their care. */
export async function listMissedVisits(deps: Deps, principal: Principal, actor: Actor, sinceDay: string): Promise<MissedVisit[]> {
  const rows = await deps.reader
    .selectFrom('care_missed_visits as m')
    .innerJoin('people as p', 'p.id', 'm.elder_person_id')
    .select(['m.elder_person_id', 'p.name', 'm.day', 'm.kind', 'm.caretaker_user_id'])
    .where(inScope(scopeFor(principal, 'care.read'), { table: 'm' }))
    .where('m.day', '>=', sinceDay)
    .orderBy('m.day', 'desc')
    .orderBy('p.name')
    .limit(1000)
    .execute();
  await auditRead(deps, actor, 'care.missedVisits.read', { targetType: 'elder', details: { count: rows.length, since: sinceDay } });
  return rows.map((r) => ({
    elderPersonId: r.elder_person_id,
    name: r.name,
    day: r.day,
    kind: r.kind,
    caretakerUserId: r.caretaker_user_id,
  }));
}
