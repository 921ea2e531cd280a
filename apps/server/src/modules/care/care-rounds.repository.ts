// Caretakers' and doctors' visits, and the visits that were due and did not happen.
import type { VISIT_KINDS } from '@cunzhi/contracts/care-rounds';
import type { Kysely } from 'kysely';
import { placedColumns } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type VisitKind = (typeof VISIT_KINDS)[number];

/** A visit as care keeps it; the visitor's name is org's (care-rounds.service adds it). */
export type VisitRecord = {
  id: string;
  elderPersonId: string;
  kind: VisitKind;
  byUserId: string;
  at: number;
  note: string;
  tasks: string[];
  systolic: number | null;
  diastolic: number | null;
};

/** The time of each elder's last visit of each kind ("elder|kind"), before a moment when one is given. */
export async function lastVisits(db: Kysely<DB>, personIds: string[], before?: number): Promise<Map<string, number>> {
  if (personIds.length === 0) return new Map();
  let query = db
    .selectFrom('care_visits')
    .select(['elder_person_id', 'kind', (eb) => eb.fn.max('at').as('last')])
    .where('elder_person_id', 'in', personIds);
  if (before !== undefined) query = query.where('at', '<', before);
  const rows = await query.groupBy(['elder_person_id', 'kind']).execute();
  return new Map(rows.map((r) => [`${r.elder_person_id}|${r.kind}`, Number(r.last)]));
}

/** The visits of these elders since a moment: who, which kind, when (to tell a missed visit made up later that day). */
export async function visitsSince(
  db: Kysely<DB>,
  personIds: string[],
  since: number,
): Promise<{ elderPersonId: string; kind: string; at: number }[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('care_visits')
    .select(['elder_person_id', 'kind', 'at'])
    .where('elder_person_id', 'in', personIds)
    .where('at', '>=', since)
    .execute();
  return rows.map((r) => ({ elderPersonId: r.elder_person_id, kind: r.kind, at: Number(r.at) }));
}

export async function insertVisit(db: Kysely<DB>, visit: VisitRecord & { placement: Placement }, now: number): Promise<void> {
  await db
    .insertInto('care_visits')
    .values({
      id: visit.id,
      elder_person_id: visit.elderPersonId,
      ...placedColumns(visit.placement),
      kind: visit.kind,
      by_user_id: visit.byUserId,
      at: visit.at,
      note: visit.note,
      tasks: JSON.stringify(visit.tasks),
      systolic: visit.systolic,
      diastolic: visit.diastolic,
      created_at: now,
    })
    .execute();
}

/** Whether a visit (of any elder) has this id. */
export async function visitExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('care_visits').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** One visit of an elder. */
export async function findVisit(db: Kysely<DB>, personId: string, id: string): Promise<VisitRecord | undefined> {
  return (await listVisits(db, personId, 0, id))[0];
}

/** An elder's visits since a moment, newest first; `id`: that one visit only. */
export async function listVisits(db: Kysely<DB>, personId: string, since: number, id?: string): Promise<VisitRecord[]> {
  let query = db.selectFrom('care_visits').selectAll().where('elder_person_id', '=', personId).where('at', '>=', since);
  if (id) query = query.where('id', '=', id);
  const rows = await query.orderBy('at', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    elderPersonId: r.elder_person_id,
    kind: r.kind,
    byUserId: r.by_user_id,
    at: r.at,
    note: r.note,
    tasks: JSON.parse(r.tasks) as string[],
    systolic: r.systolic,
    diastolic: r.diastolic,
  }));
}

/** Flags a missed visit once per elder, day and kind; false when it was flagged already. */
export async function insertMissedVisit(
  db: Kysely<DB>,
  missed: { elderPersonId: string; day: string; kind: string; caretakerUserId: string | null; placement: Placement },
  now: number,
): Promise<boolean> {
  const inserted = await db
    .insertInto('care_missed_visits')
    .values({
      elder_person_id: missed.elderPersonId,
      day: missed.day,
      kind: missed.kind,
      caretaker_user_id: missed.caretakerUserId,
      ...placedColumns(missed.placement),
      flagged_at: now,
    })
    .onConflict((oc) => oc.columns(['elder_person_id', 'day', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

export type MissedVisitRecord = { elderPersonId: string; day: string; kind: string; caretakerUserId: string | null };

/** Missed visits in a scope since a day, newest day first, at most 1,000. */
export async function listMissedVisits(db: Kysely<DB>, scope: Scope, sinceDay: string): Promise<MissedVisitRecord[]> {
  const rows = await db
    .selectFrom('care_missed_visits as m')
    .select(['m.elder_person_id', 'm.day', 'm.kind', 'm.caretaker_user_id'])
    .where(inScope(scope, { table: 'm' }))
    .where('m.day', '>=', sinceDay)
    .orderBy('m.day', 'desc')
    .orderBy('m.elder_person_id')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    elderPersonId: r.elder_person_id,
    day: r.day,
    kind: r.kind,
    caretakerUserId: r.caretaker_user_id,
  }));
}
