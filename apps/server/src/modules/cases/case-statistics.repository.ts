import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';

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
