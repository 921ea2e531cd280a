// Figures of the applications in a period, by item, tag and township: how many, how many decided
// within the promised time, the average days from acceptance to decision, and the shares made fully
// online and handled nearby (at a township or postal service hall).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import { type Principal, scopeFor } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { departmentsOfUser } from '../cases/cases.repository.ts';

export type Figures = {
  applications: number;
  decided: number;
  onTime: number;
  onTimeRate: number | null;
  averageDays: number | null;
  onlineShare: number;
  nearbyShare: number;
};
export type ServiceStatistics = {
  total: Figures;
  byItem: ({ key: string; name: string } & Figures)[];
  byTag: ({ key: string } & Figures)[];
  byTownship: ({ key: string; name: string } & Figures)[];
};

type Row = {
  item_id: string;
  item_name: string;
  tags: string;
  township_id: string | null;
  township_name: string | null;
  channel: string;
  accepted_at: number | null;
  due_at: number | null;
  decided_at: number | null;
};

function figures(rows: Row[]): Figures {
  const decided = rows.filter((r) => r.decided_at !== null);
  const timed = decided.filter((r) => r.due_at !== null && r.accepted_at !== null);
  const onTime = timed.filter((r) => (r.decided_at as number) <= (r.due_at as number)).length;
  const days = timed.map((r) => ((r.decided_at as number) - (r.accepted_at as number)) / 86_400_000);
  return {
    applications: rows.length,
    decided: decided.length,
    onTime,
    onTimeRate: timed.length === 0 ? null : onTime / timed.length,
    averageDays: days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
    onlineShare: rows.length === 0 ? 0 : rows.filter((r) => r.channel === 'online').length / rows.length,
    nearbyShare: rows.length === 0 ? 0 : rows.filter((r) => r.channel === 'proxy').length / rows.length,
  };
}

function group<K extends string>(rows: Row[], keys: (r: Row) => K[]): Map<K, Row[]> {
  const groups = new Map<K, Row[]>();
  for (const row of rows) for (const key of keys(row)) groups.set(key, [...(groups.get(key) ?? []), row]);
  return groups;
}

async function rowsIn(db: Kysely<DB>, principal: Principal, departments: string[], from: number, to: number): Promise<Row[]> {
  return db
    .selectFrom('service_applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .leftJoin('regions as t', 't.id', 'a.township_id')
    .select([
      'a.item_id',
      'i.name as item_name',
      'i.tags',
      'a.township_id',
      't.name as township_name',
      'a.channel',
      'a.accepted_at',
      'a.due_at',
      'a.decided_at',
    ])
    .where('a.created_at', '>=', from)
    .where('a.created_at', '<', to)
    .where((eb) =>
      eb.or([
        inScope(scopeFor(principal, 'services.read'), { table: 'a' }),
        ...(departments.length > 0 ? [eb('a.department_id', 'in', departments)] : []),
      ]),
    )
    .execute();
}

export async function serviceStatistics(deps: Deps, principal: Principal, from: number, to: number): Promise<ServiceStatistics> {
  const rows = await rowsIn(deps.reader, principal, await departmentsOfUser(deps.reader, principal.userId), from, to);
  const names = new Map(rows.map((r) => [r.item_id, r.item_name]));
  const townships = new Map(rows.map((r) => [r.township_id ?? '', r.township_name ?? '—']));
  return {
    total: figures(rows),
    byItem: [...group(rows, (r) => [r.item_id])]
      .map(([key, list]) => ({ key, name: names.get(key) ?? key, ...figures(list) }))
      .sort((a, b) => b.applications - a.applications),
    byTag: [...group(rows, (r) => JSON.parse(r.tags) as string[])].map(([key, list]) => ({ key, ...figures(list) })),
    byTownship: [...group(rows, (r) => [r.township_id ?? ''])]
      .map(([key, list]) => ({ key, name: townships.get(key) ?? key, ...figures(list) }))
      .sort((a, b) => b.applications - a.applications),
  };
}
