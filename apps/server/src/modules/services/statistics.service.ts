// Figures of the applications in a period, by item, tag and township: how many, how many decided
// within the promised time, the average days from acceptance to decision, and the shares made fully
// online and handled nearby (at a township or postal service hall).
import { type Principal, scopeFor } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { departmentsOfUser } from '../org/departments.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { applicationsMadeIn, type CountedApplication } from './statistics.repository.ts';

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

type Row = CountedApplication;

function figures(rows: Row[]): Figures {
  const decided = rows.filter((r) => r.decidedAt !== null);
  const timed = decided.filter((r) => r.dueAt !== null && r.acceptedAt !== null);
  const onTime = timed.filter((r) => (r.decidedAt as number) <= (r.dueAt as number)).length;
  const days = timed.map((r) => ((r.decidedAt as number) - (r.acceptedAt as number)) / 86_400_000);
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

/** The townships' names from the org module: a county has a few dozen, and a period's rows name fewer. */
async function townshipNames(deps: Deps, rows: Row[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.townshipId).filter((id): id is string => id !== null))];
  return new Map(await Promise.all(ids.map(async (id) => [id, (await requireRegion(deps, id)).name] as const)));
}

export async function serviceStatistics(deps: Deps, principal: Principal, from: number, to: number): Promise<ServiceStatistics> {
  const departments = await departmentsOfUser(deps.reader, principal.userId);
  const rows = await applicationsMadeIn(deps.reader, scopeFor(principal, 'services.read'), departments, from, to);
  const names = new Map(rows.map((r) => [r.itemId, r.itemName]));
  const townships = await townshipNames(deps, rows);
  return {
    total: figures(rows),
    byItem: [...group(rows, (r) => [r.itemId])]
      .map(([key, list]) => ({ key, name: names.get(key) ?? key, ...figures(list) }))
      .sort((a, b) => b.applications - a.applications),
    byTag: [...group(rows, (r) => r.tags)].map(([key, list]) => ({ key, ...figures(list) })),
    byTownship: [...group(rows, (r) => [r.townshipId ?? ''])]
      .map(([key, list]) => ({ key, name: townships.get(key) ?? '—', ...figures(list) }))
      .sort((a, b) => b.applications - a.applications),
  };
}
