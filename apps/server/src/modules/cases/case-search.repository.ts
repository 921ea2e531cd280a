// The case lists read newest first: what a villager reported (我的反映), and the desk's lists
// narrowed by words (or a reporter's name or phone), category, place or date, as summaries. The
// plain queues by deadline are in case-queue.repository.ts (compiled once per shape: a worker's
// first screen).
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';
import { type CaseSummaryRecord, SUMMARY_COLUMNS, selectSummaries, toSummary } from './case-queue.repository.ts';
import type { CaseState } from './case-workflow.ts';

export type CaseListFilter = {
  /** Cases in the hands of this user or these departments… */
  assigneeUserId?: string;
  departmentIds?: string[];
  /** …or anywhere in this scope, or reported by this account. */
  scope?: Scope;
  reporterUserId?: string;
  states: CaseState[];
  /**
   * Words found in the title or description, or in the case number, or the start of the reporter's
   * name: only among the cases above, which are all cases the searcher reads with the reporter.
   */
  text?: string;
  /** The reporter's phone, in any of these forms (digits only; case-search-terms.ts). */
  reporterPhones?: string[];
  categoryId?: string;
  /** The case's own region or any region above it. */
  regionId?: string;
  fromMs?: number;
  toMs?: number;
  after?: [number, string];
  limit: number;
};

/** `%` and `_` typed into the search box are looked for as themselves. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const likePattern = (text: string) => `%${escapeLike(text)}%`;

/**
 * The reporter's phone without spaces, dashes, brackets or +: the expression of the index
 * cases_reporter_phone_digits_idx (migration 202612030330), character for character.
 */
const reporterPhoneDigits = (table: string) =>
  sql<string>`replace(replace(replace(replace(replace(${sql.ref(`${table}.reporter_phone`)}, ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')`;

/**
 * The summaries of the cases reported with one of these phones, found through the phone index
 * first (as `p`) and each read by its primary key (as `c`). SQLite, which keeps no statistics
 * here, would otherwise walk the searcher's whole scope newest first through cases_created_idx
 * and test every case's phone: every case of the county, for the hotline clerk. It keeps a CROSS
 * JOIN's left table as the outer loop; PostgreSQL plans it as the inner join it is.
 */
function selectPhoneMatches(db: Kysely<DB>, phones: string[]) {
  return db
    .selectFrom('cases as p')
    .crossJoin('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .select(SUMMARY_COLUMNS)
    .whereRef('c.id', '=', 'p.id')
    .where(reporterPhoneDigits('p'), 'in', phones);
}

/** Newest first; keyset on (created_at, id). */
export async function listNewestFirst(db: Kysely<DB>, filter: CaseListFilter): Promise<CaseSummaryRecord[]> {
  // The phone search's query joins `p` too, which nothing below names: the same query to narrow.
  const base = filter.reporterPhones ? selectPhoneMatches(db, filter.reporterPhones) : selectSummaries(db);
  let query = (base as ReturnType<typeof selectSummaries>).where('c.state', 'in', filter.states).where((eb) => {
    const whose: Expression<SqlBool>[] = [];
    if (filter.assigneeUserId) whose.push(eb('c.assignee_user_id', '=', filter.assigneeUserId));
    if (filter.departmentIds && filter.departmentIds.length > 0) whose.push(eb('c.assignee_department_id', 'in', filter.departmentIds));
    if (filter.reporterUserId) whose.push(eb('c.reporter_user_id', '=', filter.reporterUserId));
    if (filter.scope) whose.push(inScope(filter.scope, { table: 'c' }));
    return whose.length > 0 ? eb.or(whose) : sql<SqlBool>`1 = 0`;
  });
  if (filter.text !== undefined) {
    const pattern = likePattern(filter.text);
    const namePrefix = `${escapeLike(filter.text)}%`;
    query = query.where((eb) =>
      eb.or([
        ...['c.title', 'c.description', 'c.number'].map((column) => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`),
        sql<SqlBool>`c.reporter_name like ${namePrefix} escape '\\'`,
      ]),
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

/** How many cases this account reported are in one of `states` (the reporter index serves it). */
export async function countReported(db: Kysely<DB>, reporterUserId: string, states: readonly CaseState[]): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reporter_user_id', '=', reporterUserId)
    .where('state', 'in', [...states])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
