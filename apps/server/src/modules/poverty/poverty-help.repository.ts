// Help measures planned for a monitored household and the follow-up visits that check them.
import type { Kysely } from 'kysely';
import { placedColumns } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type MeasureRecord = {
  id: string;
  monitoredId: string;
  kind: string;
  description: string;
  responsible: string;
  dueDate: string;
  doneAt: number | null;
  createdBy: string;
  createdAt: number;
};

export async function insertMeasure(db: Kysely<DB>, placement: Placement, m: MeasureRecord): Promise<MeasureRecord> {
  await db
    .insertInto('poverty_measures')
    .values({
      id: m.id,
      monitored_id: m.monitoredId,
      ...placedColumns(placement),
      kind: m.kind,
      description: m.description,
      responsible: m.responsible,
      due_date: m.dueDate,
      done_at: m.doneAt,
      created_by: m.createdBy,
      created_at: m.createdAt,
    })
    .execute();
  return m;
}

export async function measuresOf(db: Kysely<DB>, monitoredId: string): Promise<MeasureRecord[]> {
  const rows = await db.selectFrom('poverty_measures').selectAll().where('monitored_id', '=', monitoredId).orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    monitoredId: r.monitored_id,
    kind: r.kind,
    description: r.description,
    responsible: r.responsible,
    dueDate: r.due_date,
    doneAt: r.done_at === null ? null : Number(r.done_at),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  }));
}

/** Marks these open measures of the record done; returns the ids it marked. */
export async function markMeasuresDone(db: Kysely<DB>, monitoredId: string, ids: readonly string[], at: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const open = await db
    .selectFrom('poverty_measures')
    .select('id')
    .where('monitored_id', '=', monitoredId)
    .where('id', 'in', ids)
    .where('done_at', 'is', null)
    .execute();
  const marked = open.map((r) => r.id);
  if (marked.length > 0) await db.updateTable('poverty_measures').set({ done_at: at }).where('id', 'in', marked).execute();
  return marked;
}

/** Which of the ids are measures of this household (done or not). */
export async function measuresAmong(db: Kysely<DB>, monitoredId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('poverty_measures')
    .select('id')
    .where('monitored_id', '=', monitoredId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function countOpenMeasures(db: Kysely<DB>, monitoredId: string): Promise<number> {
  const row = await db
    .selectFrom('poverty_measures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('monitored_id', '=', monitoredId)
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open measures in a scope due by a date (YYYY-MM-DD): the grid worker's reminders. */
export async function measuresDueInScope(db: Kysely<DB>, scope: Scope, byDate: string, limit: number): Promise<MeasureRecord[]> {
  const rows = await db
    .selectFrom('poverty_measures as x')
    .selectAll('x')
    .where(inScope(scope, { table: 'x' }))
    .where('x.done_at', 'is', null)
    .where('x.due_date', '<=', byDate)
    .orderBy('x.due_date')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    monitoredId: r.monitored_id,
    kind: r.kind,
    description: r.description,
    responsible: r.responsible,
    dueDate: r.due_date,
    doneAt: null,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  }));
}

export type VisitRecord = {
  id: string;
  note: string;
  visitorUserId: string;
  visitorName: string | null;
  measuresDone: string[];
  at: number;
};

export async function insertVisit(db: Kysely<DB>, monitoredId: string, v: VisitRecord): Promise<VisitRecord> {
  await db
    .insertInto('poverty_visits')
    .values({
      id: v.id,
      monitored_id: monitoredId,
      note: v.note,
      visitor_user_id: v.visitorUserId,
      visitor_name: v.visitorName,
      measures_done: JSON.stringify(v.measuresDone),
      at: v.at,
    })
    .execute();
  return v;
}

export async function visitsOf(db: Kysely<DB>, monitoredId: string): Promise<VisitRecord[]> {
  const rows = await db
    .selectFrom('poverty_visits')
    .selectAll()
    .where('monitored_id', '=', monitoredId)
    .orderBy('at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    note: r.note,
    visitorUserId: r.visitor_user_id,
    visitorName: r.visitor_name,
    measuresDone: JSON.parse(r.measures_done) as string[],
    at: Number(r.at),
  }));
}
