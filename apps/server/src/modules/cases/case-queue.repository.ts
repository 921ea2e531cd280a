// The case lists read only what a list shows (contracts CaseSummary) and what the gate and the
// actions need: 14 columns, not the case's 38. A worker's queue page is the first screen of every
// grid worker and department handler, so its statement is compiled once per shape. The lists
// narrowed by words, place or date, and a villager's own reports, are in case-search.repository.ts.
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { compiledPerShape } from '../../db/compiled-once.ts';
import { keysetPage } from '../../db/keyset.ts';
import { placementOf } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope, scopeShape, slottedScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import { CASE_STATES, type CaseState } from './case-workflow.ts';

/** A case as a list knows it: what a row shows, and whose it is and where it sits (for the gate). */
export type CaseSummaryRecord = {
  id: string;
  number: string;
  title: string;
  categoryName: string;
  state: CaseState;
  placement: Placement;
  assigneeUserId: string | null;
  assigneeDepartmentId: string | null;
  reporterUserId: string | null;
  deadlineAt: number;
  createdAt: number;
};

export type SummaryRow = {
  id: string;
  number: string;
  title: string;
  category_name: string;
  state: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  assignee_user_id: string | null;
  assignee_department_id: string | null;
  reporter_user_id: string | null;
  deadline_at: number;
  created_at: number;
};

/** A summary's columns, of the cases as `c` and their category as `cat`. */
export const SUMMARY_COLUMNS = [
  'c.id',
  'c.number',
  'c.title',
  'cat.name as category_name',
  'c.state',
  'c.region_id',
  'c.village_id',
  'c.township_id',
  'c.county_id',
  'c.assignee_user_id',
  'c.assignee_department_id',
  'c.reporter_user_id',
  'c.deadline_at',
  'c.created_at',
] as const;

/** The cases (as `c`) with their category's name, reading a summary's columns only. */
export function selectSummaries(db: Kysely<DB>) {
  return db.selectFrom('cases as c').innerJoin('case_categories as cat', 'cat.id', 'c.category_id').select(SUMMARY_COLUMNS);
}

export const toSummary = (row: SummaryRow): CaseSummaryRecord => ({
  id: row.id,
  number: row.number,
  title: row.title,
  categoryName: row.category_name,
  state: row.state as CaseState,
  placement: placementOf(row),
  assigneeUserId: row.assignee_user_id,
  assigneeDepartmentId: row.assignee_department_id,
  reporterUserId: row.reporter_user_id,
  deadlineAt: row.deadline_at,
  createdAt: row.created_at,
});

export type QueueFilter = {
  /** Cases in the hands of this user or these departments… */
  assigneeUserId?: string;
  departmentIds?: string[];
  /** …or anywhere in this scope (a supervisor's view). */
  scope?: Scope;
  reporterUserId?: string;
  states: CaseState[];
  after?: [number, string];
  limit: number;
};

type QueueShape = {
  states: CaseState[];
  assignee: boolean;
  departments: number;
  reporter: boolean;
  scope?: string;
  after: boolean;
  limit: number;
};

// The states are written into the text rather than bound: the partial indexes on open cases serve
// a query only when it names their states itself (cases_open_assignee_idx, cases_open_department_idx);
// bound, a worker's page sorted all their open cases on every request (npm run bench: cases.queue).
const queuePage = compiledPerShape<QueueShape, SummaryRow>(
  (s) => `${s.states.join(',')}|${s.assignee}|${s.departments}|${s.reporter}|${s.scope ?? ''}|${s.after}|${s.limit}`,
  (db, slot, shape) => {
    for (const state of shape.states) if (!CASE_STATES.includes(state)) throw new Error(`Not a case state: ${state}`);
    const query = selectSummaries(db)
      .where(sql<SqlBool>`${sql.ref('c.state')} in (${sql.join(shape.states.map((state) => sql.lit(state)))})`)
      .where((eb) => {
        const mine: Expression<SqlBool>[] = [];
        if (shape.assignee) mine.push(eb('c.assignee_user_id', '=', slot<string>('assigneeUserId')));
        if (shape.departments > 0) {
          const ids = Array.from({ length: shape.departments }, (_, i) => slot<string>(`departmentIds.${i}`));
          mine.push(eb('c.assignee_department_id', 'in', ids));
        }
        if (shape.reporter) mine.push(eb('c.reporter_user_id', '=', slot<string>('reporterUserId')));
        if (shape.scope !== undefined) mine.push(inScope(slottedScope(shape.scope, slot, 'scope'), { table: 'c' }));
        return mine.length > 0 ? eb.or(mine) : sql<SqlBool>`1 = 0`;
      });
    const after = shape.after ? [slot<number>('after.0'), slot<string>('after.1')] : undefined;
    // The page size is part of the shape; on SQLite the dialect writes it into the text (dialect.ts).
    return keysetPage(query, QUEUE_ORDER, after, shape.limit);
  },
);

const QUEUE_ORDER = [
  ['c.deadline_at', 'asc'],
  ['c.id', 'asc'],
] as const;

/** Open work by deadline, soonest first; keyset on (deadline, id). */
export async function listQueue(db: Kysely<DB>, filter: QueueFilter): Promise<CaseSummaryRecord[]> {
  const shape: QueueShape = {
    states: filter.states,
    assignee: filter.assigneeUserId !== undefined,
    departments: filter.departmentIds?.length ?? 0,
    reporter: filter.reporterUserId !== undefined,
    scope: filter.scope && scopeShape(filter.scope),
    after: filter.after !== undefined,
    limit: filter.limit,
  };
  const { rows } = await queuePage(db, shape, filter);
  return rows.map(toSummary);
}
