import { placementColumn } from '../../db/scope-filter.ts';
import { hasPermission, type Principal, scopeFor } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { listDepartments } from '../org/departments.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as stats from './case-statistics.repository.ts';

export type StatisticsQuery = { regionId?: string; from: string; to: string; source?: string };

export type Statistics = {
  totals: stats.Figures;
  byCategory: (stats.Figures & { key: string; name: string })[];
  byDepartment: (stats.Figures & { key: string; name: string })[];
};

/** The figures of every case in the caller's scope (narrowed to a region if asked) created in [from, to). */
export async function statistics(deps: Deps, principal: Principal, query: StatisticsQuery): Promise<Statistics> {
  if (!hasPermission(principal, 'cases.read')) throw forbidden();
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs) {
    throw new AppError('validation_failed', {}, [{ field: 'querystring.to', problem: 'the period must end after it starts' }]);
  }
  const filter: stats.StatisticsFilter = {
    scope: scopeFor(principal, 'cases.read'),
    region: region ? [placementColumn(region), region.id] : undefined,
    fromMs,
    toMs,
    source: query.source,
    now: deps.now(),
  };
  // Whole local days in a scope of villages or wider are summed from the roll-ups; anything else is counted from the cases.
  const departments = await listDepartments(deps);
  return stats.rollupsServe(filter) ? stats.fromRollups(deps.reader, filter, departments) : stats.live(deps.reader, filter, departments);
}
