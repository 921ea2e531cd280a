import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';
import { isLocalMidnight, localDay, splitPeriod } from './case-rollups.repository.ts';

export type Figures = {
  received: number;
  answeredOnSpot: number;
  assigned: number;
  handled: number;
  replied: number;
  repliedOnTime: number;
  closed: number;
  overdueOpen: number;
  rated: number;
  ratingSum: number;
  satisfied: number;
};

export type StatisticsFilter = {
  scope: Scope;
  /** A region column and id to narrow to, e.g. ['village_id', '…']. */
  region?: [string, string];
  fromMs: number;
  toMs: number;
  source?: string;
  now: number;
};

type Row = { [K in keyof Figures]: number | string | null };

function figuresSql(now: number): RawBuilder<unknown> {
  const count = (condition: RawBuilder<unknown>) => sql`sum(case when ${condition} then 1 else 0 end)`;
  return sql`
    count(*) as received,
    ${count(sql`c.answered_at is not null`)} as "answeredOnSpot",
    ${count(sql`c.assigned_at is not null`)} as assigned,
    ${count(sql`c.handled_at is not null`)} as handled,
    ${count(sql`c.replied_at is not null`)} as replied,
    ${count(sql`c.replied_at is not null and c.replied_at <= c.deadline_at`)} as "repliedOnTime",
    ${count(sql`c.closed_at is not null`)} as closed,
    ${count(sql`c.closed_at is null and c.state in ('received', 'assigned', 'accepted', 'handled') and c.deadline_at < ${now}`)} as "overdueOpen",
    ${count(sql`c.rating is not null`)} as rated,
    coalesce(sum(c.rating), 0) as "ratingSum",
    ${count(sql`c.rating >= 4`)} as satisfied`;
}

const toFigures = (row: Row): Figures =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)])) as unknown as Figures;

function where(filter: StatisticsFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [
    inScope(filter.scope, { table: 'c' }),
    sql`c.created_at >= ${filter.fromMs}`,
    sql`c.created_at < ${filter.toMs}`,
    sql`c.merged_into_id is null`,
  ];
  if (filter.region) conditions.push(sql`${sql.ref(`c.${filter.region[0]}`)} = ${filter.region[1]}`);
  if (filter.source) conditions.push(sql`c.source = ${filter.source}`);
  return sql.join(conditions, sql` and `);
}

export type Group = { category: string; department: string; figures: Figures };
export type Breakdown = {
  totals: Figures;
  byCategory: (Figures & { key: string; name: string })[];
  byDepartment: (Figures & { key: string; name: string })[];
};

const EMPTY: Figures = {
  received: 0,
  answeredOnSpot: 0,
  assigned: 0,
  handled: 0,
  replied: 0,
  repliedOnTime: 0,
  closed: 0,
  overdueOpen: 0,
  rated: 0,
  ratingSum: 0,
  satisfied: 0,
};

const add = (a: Figures, b: Figures): Figures =>
  Object.fromEntries(Object.keys(EMPTY).map((k) => [k, a[k as keyof Figures] + b[k as keyof Figures]])) as Figures;

/** A department as the figures name it: org's, listed by name (departments.service.ts listDepartments). */
export type NamedDepartment = { id: string; name: string };

/** Totals, by category (in the county's order) and by department (in the order given), summed from per-(category, department) groups. */
async function summarize(db: Kysely<DB>, groups: Group[], departments: readonly NamedDepartment[]): Promise<Breakdown> {
  const categories = await db.selectFrom('case_categories').select(['id', 'name']).orderBy('sort_order').orderBy('id').execute();
  const sum = (keep: (g: Group) => boolean) => groups.filter(keep).reduce((acc, g) => add(acc, g.figures), EMPTY);
  const present = (keep: (g: Group) => boolean) => groups.some(keep);
  return {
    totals: sum(() => true),
    byCategory: categories
      .filter((c) => present((g) => g.category === c.id))
      .map((c) => ({ ...sum((g) => g.category === c.id), key: c.id, name: c.name })),
    byDepartment: departments
      .filter((d) => present((g) => g.department === d.id))
      .map((d) => ({ ...sum((g) => g.department === d.id), key: d.id, name: d.name })),
  };
}

/** The figures counted from the cases themselves, in one grouped pass. */
export async function live(db: Kysely<DB>, filter: StatisticsFilter, departments: readonly NamedDepartment[]): Promise<Breakdown> {
  const { rows } = await sql<Row & { category: string; department: string | null }>`
    select c.category_id as category, c.assignee_department_id as department, ${figuresSql(filter.now)}
    from cases c
    where ${where(filter)}
    group by c.category_id, c.assignee_department_id`.execute(db);
  return summarize(
    db,
    rows.map((r) => ({ category: r.category, department: r.department ?? '', figures: toFigures(withoutKeys(r)) })),
    departments,
  );
}

function withoutKeys<T extends { category: unknown; department: unknown }>(row: T): Row {
  const { category: _c, department: _d, ...figures } = row;
  return figures as unknown as Row;
}

// ---- Read from the roll-ups (case-rollups.repository.ts keeps them) ---------------------------

function rollupFiguresSql(): RawBuilder<unknown> {
  return sql`
    coalesce(sum(s.received), 0) as received,
    coalesce(sum(s.answered), 0) as "answeredOnSpot",
    coalesce(sum(s.assigned), 0) as assigned,
    coalesce(sum(s.handled), 0) as handled,
    coalesce(sum(s.replied), 0) as replied,
    coalesce(sum(s.replied_on_time), 0) as "repliedOnTime",
    coalesce(sum(s.closed), 0) as closed,
    coalesce(sum(s.rated), 0) as rated,
    coalesce(sum(s.rating_sum), 0) as "ratingSum",
    coalesce(sum(s.satisfied), 0) as satisfied,
    coalesce(sum(s.open_count), 0) as "overdueOpen"`;
}

/**
 * The rows a filter sums: its townships' or its county's own rows where its scope and region are
 * whole townships or counties (a county's year is a few hundred of them), else the villages'.
 */
function rollupSource(filter: StatisticsFilter): { table: 'case_rollups' | 'case_area_rollups'; level?: 'county' | 'township' } {
  const { scope, region } = filter;
  if (scope.villageIds.length > 0 || region?.[0] === 'village_id') return { table: 'case_rollups' };
  const township = scope.townshipIds.length > 0 || region?.[0] === 'township_id';
  return { table: 'case_area_rollups', level: township ? 'township' : 'county' };
}

function rollupWhere(filter: StatisticsFilter, level?: 'county' | 'township'): RawBuilder<unknown> {
  const { months, days } = splitPeriod(localDay(filter.fromMs), localDay(filter.toMs));
  const periods = days.map(([a, b]) => sql`(s.period = 'd' and s.bucket >= ${sql.lit(a)} and s.bucket < ${sql.lit(b)})`);
  if (months) periods.push(sql`(s.period = 'm' and s.bucket >= ${sql.lit(months[0])} and s.bucket < ${sql.lit(months[1])})`);
  const conditions: RawBuilder<unknown>[] = [inScope(filter.scope, { table: 's' }), sql`(${sql.join(periods, sql` or `)})`];
  if (filter.region) conditions.push(sql`${sql.ref(`s.${filter.region[0]}`)} = ${filter.region[1]}`);
  if (filter.source) conditions.push(sql`s.source = ${filter.source}`);
  if (level) conditions.push(sql`s.level = ${level}`);
  return sql.join(conditions, sql` and `);
}

/** Roll-ups hold places down to the village: narrower scopes (a grid, a villager group) are counted live. */
export function rollupsServe(filter: StatisticsFilter): boolean {
  return (
    isLocalMidnight(filter.fromMs) &&
    isLocalMidnight(filter.toMs) &&
    filter.scope.regionIds.length === 0 &&
    filter.scope.householdIds.length === 0 &&
    filter.region?.[0] !== 'region_id'
  );
}

/**
 * Open cases not yet past their deadline, grouped by category and department: the roll-ups count
 * every open case, and these are what is not overdue of them. They are read through the partial
 * index of open cases by deadline from the moment on (a materialized step, so that no planner
 * prefers scanning the county's cases by creation time), which holds only the cases whose deadline
 * is still ahead: as many as a few days' intake, however many years of cases the county has. (An
 * open case has no closing time: reopening clears it; the index holds every column read here.)
 */
async function notYetDue(db: Kysely<DB>, filter: StatisticsFilter): Promise<Group[]> {
  const { rows } = await sql<{ category: string; department: string | null; n: number | string }>`
    with c as materialized (
      select category_id, assignee_department_id, county_id, township_id, village_id, region_id, created_at, merged_into_id, source
      from cases
      where state in ('received', 'assigned', 'accepted', 'handled') and deadline_at >= ${filter.now} and village_id is not null
    )
    select c.category_id as category, c.assignee_department_id as department, count(*) as n
    from c
    where ${where(filter)}
    group by c.category_id, c.assignee_department_id`.execute(db);
  return rows.map((r) => ({ category: r.category, department: r.department ?? '', figures: { ...EMPTY, overdueOpen: -Number(r.n) } }));
}

/** The same figures as live(), read from the roll-ups; the period must be whole local days (see rollupsServe). */
export async function fromRollups(db: Kysely<DB>, filter: StatisticsFilter, departments: readonly NamedDepartment[]): Promise<Breakdown> {
  const source = rollupSource(filter);
  const [{ rows }, ahead] = await Promise.all([
    sql<Row & { category: string; department: string }>`
      select s.category_id as category, s.department_key as department, ${rollupFiguresSql()}
      from ${sql.table(source.table)} s
      where ${rollupWhere(filter, source.level)}
      group by s.category_id, s.department_key`.execute(db),
    notYetDue(db, filter),
  ]);
  // Overdue = open (from the roll-ups) less not yet due (counted live, negative here).
  const groups: Group[] = rows.map((r) => ({ category: r.category, department: r.department, figures: toFigures(withoutKeys(r)) }));
  return summarize(db, [...groups, ...ahead], departments);
}
