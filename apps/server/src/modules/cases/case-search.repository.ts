// The case lists read newest first: what a villager reported (我的反映), and the desk's lists
// narrowed by words, category, place or date, as summaries. The plain queues by deadline are in
// case-queue.repository.ts (compiled once per shape: a worker's first screen).
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';
import { type CaseSummaryRecord, selectSummaries, toSummary } from './case-queue.repository.ts';
import type { CaseState } from './case-workflow.ts';

export type CaseListFilter = {
  /** Cases in the hands of this user or these departments… */
  assigneeUserId?: string;
  departmentIds?: string[];
  /** …or anywhere in this scope, or reported by this account. */
  scope?: Scope;
  reporterUserId?: string;
  states: CaseState[];
  /** Words found in the title or description, or in the case number. */
  text?: string;
  categoryId?: string;
  /** The case's own region or any region above it. */
  regionId?: string;
  fromMs?: number;
  toMs?: number;
  after?: [number, string];
  limit: number;
};

/** `%` and `_` typed into the search box are looked for as themselves. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Newest first; keyset on (created_at, id). */
export async function listNewestFirst(db: Kysely<DB>, filter: CaseListFilter): Promise<CaseSummaryRecord[]> {
  let query = selectSummaries(db)
    .where('c.state', 'in', filter.states)
    .where((eb) => {
      const whose: Expression<SqlBool>[] = [];
      if (filter.assigneeUserId) whose.push(eb('c.assignee_user_id', '=', filter.assigneeUserId));
      if (filter.departmentIds && filter.departmentIds.length > 0) whose.push(eb('c.assignee_department_id', 'in', filter.departmentIds));
      if (filter.reporterUserId) whose.push(eb('c.reporter_user_id', '=', filter.reporterUserId));
      if (filter.scope) whose.push(inScope(filter.scope, { table: 'c' }));
      return whose.length > 0 ? eb.or(whose) : sql<SqlBool>`1 = 0`;
    });
  if (filter.text !== undefined) {
    const pattern = likePattern(filter.text);
    query = query.where((eb) =>
      eb.or(['c.title', 'c.description', 'c.number'].map((column) => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`)),
    );
  }
  if (filter.categoryId) query = query.where('c.category_id', '=', filter.categoryId);
  const regionId = filter.regionId;
  if (regionId) {
    query = query.where((eb) =>
      eb.or([
        eb('c.region_id', '=', regionId),
        eb('c.village_id', '=', regionId),
        eb('c.township_id', '=', regionId),
        eb('c.county_id', '=', regionId),
      ]),
    );
  }
  if (filter.fromMs !== undefined) query = query.where('c.created_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('c.created_at', '<', filter.toMs);
  const rows = await keysetPage(
    query,
    [
      ['c.created_at', 'desc'],
      ['c.id', 'desc'],
    ],
    filter.after,
    filter.limit,
  ).execute();
  return rows.map(toSummary);
}
