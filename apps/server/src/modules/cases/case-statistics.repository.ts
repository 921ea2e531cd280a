import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';
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

export async function totals(db: Kysely<DB>, filter: StatisticsFilter): Promise<Figures> {
  const { rows } = await sql<Row>`select ${figuresSql(filter.now)} from cases c where ${where(filter)}`.execute(db);
  return toFigures(rows[0] as Row);
}

export async function byCategory(db: Kysely<DB>, filter: StatisticsFilter): Promise<(Figures & { key: string; name: string })[]> {
  const { rows } = await sql<Row & { key: string; name: string }>`
    select cat.id as key, cat.name as name, ${figuresSql(filter.now)}
    from cases c join case_categories cat on cat.id = c.category_id
    where ${where(filter)}
    group by cat.id, cat.name, cat.sort_order
    order by cat.sort_order`.execute(db);
  return rows.map((row) => ({ ...toFigures(row), key: row.key, name: row.name }));
}

export async function byDepartment(db: Kysely<DB>, filter: StatisticsFilter): Promise<(Figures & { key: string; name: string })[]> {
  const { rows } = await sql<Row & { key: string; name: string }>`
    select d.id as key, d.name as name, ${figuresSql(filter.now)}
    from cases c join departments d on d.id = c.assignee_department_id
    where ${where(filter)}
    group by d.id, d.name
    order by d.name`.execute(db);
  return rows.map((row) => ({ ...toFigures(row), key: row.key, name: row.name }));
}

// ---- Daily roll-ups -------------------------------------------------------------------------

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
] as const;
type Counter = (typeof COUNTERS)[number];

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The local (Asia/Shanghai) day number of a moment: days since 1970-01-01 there. */
export const localDay = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS);
export const isLocalMidnight = (ms: number) => (ms + OFFSET_MS) % DAY_MS === 0;

type Contribution = {
  key: {
    day: number;
    region_id: string;
    village_id: string | null;
    township_id: string | null;
    county_id: string | null;
    category_id: string;
    department_key: string;
    source: string;
  };
  counts: Record<Counter, number>;
};

/** What one case adds to its day's row; a case merged into another adds nothing. */
export function contributionOf(c: CaseRecord): Contribution | null {
  if (c.mergedIntoId !== null) return null;
  const flag = (value: boolean) => (value ? 1 : 0);
  return {
    key: {
      day: localDay(c.createdAt),
      region_id: c.placement.regionId,
      village_id: c.placement.villageId,
      township_id: c.placement.townshipId,
      county_id: c.placement.countyId,
      category_id: c.categoryId,
      department_key: c.assigneeDepartmentId ?? '',
      source: c.source,
    },
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
    },
  };
}

async function addToDay(db: Kysely<DB>, key: Contribution['key'], deltas: Record<Counter, number>): Promise<void> {
  if (COUNTERS.every((counter) => deltas[counter] === 0)) return;
  await db
    .insertInto('case_daily_stats')
    .values({ ...key, ...deltas })
    .onConflict((oc) =>
      oc
        .columns(['day', 'region_id', 'category_id', 'department_key', 'source'])
        .doUpdateSet((eb) =>
          Object.fromEntries(COUNTERS.map((counter) => [counter, eb(`case_daily_stats.${counter}`, '+', eb.ref(`excluded.${counter}`))])),
        ),
    )
    .execute();
}

const sameKey = (a: Contribution['key'], b: Contribution['key']) =>
  a.day === b.day &&
  a.region_id === b.region_id &&
  a.category_id === b.category_id &&
  a.department_key === b.department_key &&
  a.source === b.source;

/** Keeps the roll-up in step with one case write, in the write's own transaction. */
export async function applyToDailyStats(db: Kysely<DB>, before: CaseRecord | undefined, after: CaseRecord): Promise<void> {
  const was = before ? contributionOf(before) : null;
  const now = contributionOf(after);
  const negate = (counts: Record<Counter, number>) => Object.fromEntries(COUNTERS.map((c) => [c, -counts[c]])) as Record<Counter, number>;
  if (was && now && sameKey(was.key, now.key)) {
    await addToDay(db, now.key, Object.fromEntries(COUNTERS.map((c) => [c, now.counts[c] - was.counts[c]])) as Record<Counter, number>);
    return;
  }
  if (was) await addToDay(db, was.key, negate(was.counts));
  if (now) await addToDay(db, now.key, now.counts);
}

/**
 * Recomputes every roll-up row from the cases: after bulk loads, and to check the running totals.
 * The day arithmetic uses literals: bound numbers reach SQLite as reals and would divide as reals.
 */
export async function rebuildDailyStats(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom('case_daily_stats').execute();
  const flag = (condition: RawBuilder<unknown>) => sql`sum(case when ${condition} then 1 else 0 end)`;
  await sql`
    insert into case_daily_stats (day, region_id, village_id, township_id, county_id, category_id, department_key, source,
      received, answered, assigned, handled, replied, replied_on_time, closed, rated, rating_sum, satisfied)
    select (c.created_at + ${sql.lit(OFFSET_MS)}) / ${sql.lit(DAY_MS)}, c.region_id, c.village_id, c.township_id, c.county_id, c.category_id,
      coalesce(c.assignee_department_id, ''), c.source,
      count(*), ${flag(sql`c.answered_at is not null`)}, ${flag(sql`c.assigned_at is not null`)}, ${flag(sql`c.handled_at is not null`)},
      ${flag(sql`c.replied_at is not null`)}, ${flag(sql`c.replied_at is not null and c.replied_at <= c.deadline_at`)},
      ${flag(sql`c.closed_at is not null`)}, ${flag(sql`c.rating is not null`)}, coalesce(sum(c.rating), 0), ${flag(sql`c.rating >= 4`)}
    from cases c
    where c.merged_into_id is null
    group by 1, 2, 3, 4, 5, 6, 7, 8`.execute(db);
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
    coalesce(sum(s.satisfied), 0) as satisfied`;
}

function rollupWhere(filter: StatisticsFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [
    inScope(filter.scope, { table: 's' }),
    sql`s.day >= ${localDay(filter.fromMs)}`,
    sql`s.day < ${localDay(filter.toMs)}`,
  ];
  if (filter.region) conditions.push(sql`${sql.ref(`s.${filter.region[0]}`)} = ${filter.region[1]}`);
  if (filter.source) conditions.push(sql`s.source = ${filter.source}`);
  return sql.join(conditions, sql` and `);
}

/** Open cases past their deadline, counted once and grouped by category and department (read through the open-cases index). */
async function overdueOpen(db: Kysely<DB>, filter: StatisticsFilter): Promise<{ category: string; department: string; n: number }[]> {
  const { rows } = await sql<{ category: string; department: string | null; n: number | string }>`
    select c.category_id as category, c.assignee_department_id as department, count(*) as n
    from cases c
    where c.state in ('received', 'assigned', 'accepted', 'handled') and c.deadline_at < ${filter.now} and ${where(filter)}
    group by c.category_id, c.assignee_department_id`.execute(db);
  return rows.map((r) => ({ category: r.category, department: r.department ?? '', n: Number(r.n) }));
}

const sumWhere = <T>(rows: T[], keep: (row: T) => boolean, value: (row: T) => number) =>
  rows.filter(keep).reduce((sum, row) => sum + value(row), 0);

/** The same figures as totals/byCategory/byDepartment, read from the roll-ups; the period must be whole local days. */
export async function fromDailyStats(db: Kysely<DB>, filter: StatisticsFilter) {
  const [total] = (await sql<Row>`select ${rollupFiguresSql()} from case_daily_stats s where ${rollupWhere(filter)}`.execute(db)).rows;
  const categories = await sql<Row & { key: string; name: string }>`
    select cat.id as key, cat.name as name, ${rollupFiguresSql()}
    from case_daily_stats s join case_categories cat on cat.id = s.category_id
    where ${rollupWhere(filter)}
    group by cat.id, cat.name, cat.sort_order
    order by cat.sort_order`.execute(db);
  const departments = await sql<Row & { key: string; name: string }>`
    select d.id as key, d.name as name, ${rollupFiguresSql()}
    from case_daily_stats s join departments d on d.id = s.department_key
    where ${rollupWhere(filter)}
    group by d.id, d.name
    order by d.name`.execute(db);
  const overdue = await overdueOpen(db, filter);
  const count = (keep: (row: (typeof overdue)[number]) => boolean) => sumWhere(overdue, keep, (row) => row.n);
  const figures = (row: Row, overdueOpen: number) => toFigures({ ...row, overdueOpen });
  return {
    totals: figures(
      total as Row,
      count(() => true),
    ),
    byCategory: categories.rows.map((r) => ({
      ...figures(
        r,
        count((o) => o.category === r.key),
      ),
      key: r.key,
      name: r.name,
    })),
    byDepartment: departments.rows.map((r) => ({
      ...figures(
        r,
        count((o) => o.department === r.key),
      ),
      key: r.key,
      name: r.name,
    })),
  };
}
