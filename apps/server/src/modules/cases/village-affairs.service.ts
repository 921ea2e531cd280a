// 村务公开: each village's matters and completion rate, open to anyone without logging in.
// Only what a notice board would show: number, title, category, state and dates; never the
// reporter, the description or the place.
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, toPage } from '../../platform/pagination.ts';
import { namesInVillage } from '../org/people.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { publicTitleOf } from './public-title.ts';
import * as repo from './village-affairs.repository.ts';

/** How far back village matters are public (public-matters.service.ts keeps to the same window). */
export const YEAR_MS = 365 * 24 * 3_600_000;

export async function villageAffairs(deps: Deps, villageId: string, query: { limit?: number; cursor?: string }) {
  const village = await requireRegion(deps, villageId).catch(() => undefined);
  if (village?.level !== 'village') throw notFound('region');
  const sinceMs = deps.now() - YEAR_MS;
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['int', 'text'] as const);
  const [counts, rows] = await Promise.all([
    repo.countVillageMatters(deps.reader, village.id, sinceMs),
    repo.listVillageMatters(deps.reader, {
      villageId: village.id,
      sinceMs,
      after,
      limit,
    }),
  ]);
  // The counts keep every matter, listed or not.
  const names = rows.length > 0 ? await namesInVillage(deps, village.id) : [];
  const matters = rows.map(({ title, publicTitle, reporterName, ...matter }) => ({
    ...matter,
    title: publicTitleOf({ title, publicTitle, reporterName }, names),
  }));
  return {
    village: { id: village.id, name: village.name, nameEn: village.nameEn, code: village.code },
    total: counts.total,
    closed: counts.closed,
    completionRate: counts.total === 0 ? null : Math.round((counts.closed / counts.total) * 10_000) / 10_000,
    matters: toPage(matters, limit, (m) => [m.createdAt, m.id]),
  };
}
