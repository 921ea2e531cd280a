import { type Kysely, type RawBuilder, sql } from 'kysely';
import { monthIndexOf } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';
import { OPEN_STATES } from './case-workflow.ts';
import type { CaseRecord } from './cases.repository.ts';

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

// ---- Roll-ups per day and month -------------------------------------------------------------

const COUNTERS = [
  'received',
  'answered',
  'assigned',
  'handled',
  'replied',
  'replied_on_time',
  'closed',
  'rated',
  'rating_sum',
  'satisfied',
  'open_count',
] as const;
type Counter = (typeof COUNTERS)[number];

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The local (Asia/Shanghai) day number of a moment: days since 1970-01-01 there. */
export const localDay = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS);
export const isLocalMidnight = (ms: number) => (ms + OFFSET_MS) % DAY_MS === 0;
/** The local month of a day: year * 12 + month - 1. */
const monthOfDay = (day: number) => {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const firstDayOf = (month: number) => Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;

/** Whole months inside [fromDay, toDay), and the days left over at either edge. */
export function splitPeriod(fromDay: number, toDay: number): { months?: [number, number]; days: [number, number][] } {
  const start = monthOfDay(fromDay);
  const firstFull = firstDayOf(start) === fromDay ? start : start + 1;
  const end = monthOfDay(toDay);
  if (firstFull >= end) return { days: [[fromDay, toDay]] };
  const days: [number, number][] = [
    [fromDay, firstDayOf(firstFull)],
    [firstDayOf(end), toDay],
  ];
  return { months: [firstFull, end], days: days.filter(([a, b]) => b > a) };
}

type Key = {
  village_id: string;
  township_id: string | null;
  county_id: string | null;
  category_id: string;
  department_key: string;
  source: string;
};
type Contribution = { key: Key; day: number; counts: Record<Counter, number> };

/** What one case adds to its day's and month's rows; a case merged into another adds nothing. */
export function contributionOf(c: CaseRecord): Contribution | null {
  if (c.mergedIntoId !== null || c.placement.villageId === null) return null;
  const flag = (value: boolean) => (value ? 1 : 0);
  return {
    key: {
      village_id: c.placement.villageId,
      township_id: c.placement.townshipId,
      county_id: c.placement.countyId,
      category_id: c.categoryId,
      department_key: c.assigneeDepartmentId ?? '',
      source: c.source,
    },
    day: localDay(c.createdAt),
    counts: {
      received: 1,
      answered: flag(c.answeredAt !== null),
      assigned: flag(c.assignedAt !== null),
      handled: flag(c.handledAt !== null),
      replied: flag(c.repliedAt !== null),
      replied_on_time: flag(c.repliedAt !== null && c.repliedAt <= c.deadlineAt),
      closed: flag(c.closedAt !== null),
      rated: flag(c.rating !== null),
      rating_sum: c.rating ?? 0,
      satisfied: flag((c.rating ?? 0) >= 4),
      open_count: flag(c.closedAt === null && OPEN_STATES.includes(c.state)),
    },
  };
}

async function addTo(db: Kysely<DB>, contribution: Contribution, deltas: Record<Counter, number>): Promise<void> {
  if (COUNTERS.every((counter) => deltas[counter] === 0)) return;
  for (const [period, bucket] of [
    ['d', contribution.day],
    ['m', monthOfDay(contribution.day)],
  ] as const) {
    await db
      .insertInto('case_rollups')
      .values({ period, bucket, ...contribution.key, ...deltas })
      .onConflict((oc) =>
        oc
          .columns(['period', 'bucket', 'village_id', 'category_id', 'department_key', 'source'])
          .doUpdateSet((eb) =>
            Object.fromEntries(COUNTERS.map((counter) => [counter, eb(`case_rollups.${counter}`, '+', eb.ref(`excluded.${counter}`))])),
          ),
      )
      .execute();
  }
}

const sameRows = (a: Contribution, b: Contribution) =>
  a.day === b.day &&
  a.key.village_id === b.key.village_id &&
  a.key.category_id === b.key.category_id &&
  a.key.department_key === b.key.department_key &&
  a.key.source === b.key.source;

/** Keeps the roll-ups in step with one case write, in the write's own transaction. */
export async function applyToRollups(db: Kysely<DB>, before: CaseRecord | undefined, after: CaseRecord): Promise<void> {
  const was = before ? contributionOf(before) : null;
  const now = contributionOf(after);
  if (was && now && sameRows(was, now)) {
    await addTo(db, now, Object.fromEntries(COUNTERS.map((c) => [c, now.counts[c] - was.counts[c]])) as Record<Counter, number>);
    return;
  }
  if (was) await addTo(db, was, Object.fromEntries(COUNTERS.map((c) => [c, -was.counts[c]])) as Record<Counter, number>);
  if (now) await addTo(db, now, now.counts);
}

/**
 * Recomputes every roll-up row from the cases: after bulk loads, and to check the running totals.
 * The day arithmetic uses literals: bound numbers reach SQLite as reals and would divide as reals.
 */
export async function rebuildRollups(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom('case_rollups').execute();
  const local = sql`(c.created_at + ${sql.lit(OFFSET_MS)})`;
  const month = monthIndexOf(db, local);
  const flag = (condition: RawBuilder<unknown>) => sql`sum(case when ${condition} then 1 else 0 end)`;
  for (const [period, bucket] of [
    ['d', sql`${local} / ${sql.lit(DAY_MS)}`],
    ['m', month],
  ] as const) {
    await sql`
      insert into case_rollups (period, bucket, village_id, township_id, county_id, category_id, department_key, source,
        received, answered, assigned, handled, replied, replied_on_time, closed, rated, rating_sum, satisfied, open_count)
      select ${period}, ${bucket}, c.village_id, c.township_id, c.county_id, c.category_id, coalesce(c.assignee_department_id, ''), c.source,
        count(*), ${flag(sql`c.answered_at is not null`)}, ${flag(sql`c.assigned_at is not null`)}, ${flag(sql`c.handled_at is not null`)},
        ${flag(sql`c.replied_at is not null`)}, ${flag(sql`c.replied_at is not null and c.replied_at <= c.deadline_at`)},
        ${flag(sql`c.closed_at is not null`)}, ${flag(sql`c.rating is not null`)}, coalesce(sum(c.rating), 0), ${flag(sql`c.rating >= 4`)},
        ${flag(sql`c.closed_at is null and c.state in ('received', 'assigned', 'accepted', 'handled')`)}
      from cases c
      where c.merged_into_id is null and c.village_id is not null
      group by 2, 3, 4, 5, 6, 7, 8`.execute(db);
  }
}

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

function rollupWhere(filter: StatisticsFilter): RawBuilder<unknown> {
  const { months, days } = splitPeriod(localDay(filter.fromMs), localDay(filter.toMs));
  const periods = days.map(([a, b]) => sql`(s.period = 'd' and s.bucket >= ${sql.lit(a)} and s.bucket < ${sql.lit(b)})`);
  if (months) periods.push(sql`(s.period = 'm' and s.bucket >= ${sql.lit(months[0])} and s.bucket < ${sql.lit(months[1])})`);
  const conditions: RawBuilder<unknown>[] = [inScope(filter.scope, { table: 's' }), sql`(${sql.join(periods, sql` or `)})`];
  if (filter.region) conditions.push(sql`${sql.ref(`s.${filter.region[0]}`)} = ${filter.region[1]}`);
  if (filter.source) conditions.push(sql`s.source = ${filter.source}`);
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
 * is still ahead: as many as a few days' intake, however many years of cases the county has.
 */
async function notYetDue(db: Kysely<DB>, filter: StatisticsFilter): Promise<Group[]> {
  const { rows } = await sql<{ category: string; department: string | null; n: number | string }>`
    with c as materialized (
      select category_id, assignee_department_id, county_id, township_id, village_id, region_id, created_at, merged_into_id, source
      from cases
      where state in ('received', 'assigned', 'accepted', 'handled') and deadline_at >= ${filter.now}
        and closed_at is null and village_id is not null
    )
    select c.category_id as category, c.assignee_department_id as department, count(*) as n
    from c
    where ${where(filter)}
    group by c.category_id, c.assignee_department_id`.execute(db);
  return rows.map((r) => ({ category: r.category, department: r.department ?? '', figures: { ...EMPTY, overdueOpen: -Number(r.n) } }));
}

/** The same figures as live(), read from the roll-ups; the period must be whole local days (see rollupsServe). */
export async function fromRollups(db: Kysely<DB>, filter: StatisticsFilter, departments: readonly NamedDepartment[]): Promise<Breakdown> {
  const [{ rows }, ahead] = await Promise.all([
    sql<Row & { category: string; department: string }>`
      select s.category_id as category, s.department_key as department, ${rollupFiguresSql()}
      from case_rollups s
      where ${rollupWhere(filter)}
      group by s.category_id, s.department_key`.execute(db),
    notYetDue(db, filter),
  ]);
  // Overdue = open (from the roll-ups) less not yet due (counted live, negative here).
  const groups: Group[] = rows.map((r) => ({ category: r.category, department: r.department, figures: toFigures(withoutKeys(r)) }));
  return summarize(db, [...groups, ...ahead], departments);
}
