// The village matters anyone may read, for machines: what the village affairs pages (村务公开) and
// the exposure board (曝光台) already show, and nothing more. Open311 answers a client without an
// api_key with this; it must never widen what a person without a login can learn.
import type { Deps } from '../../platform/deps.ts';
import { namesInVillage } from '../org/people.service.ts';
import { regionLabels } from '../org/regions.service.ts';
import * as repo from './public-matters.repository.ts';
import { publicTitleOf } from './public-title.ts';
import { YEAR_MS } from './village-affairs.service.ts';

export type PublicMatterQuery = Omit<repo.PublicMatterFilter, 'sinceMs'>;

export type PublicMatter = {
  id: string;
  number: string;
  /** The moderated title where there is one; otherwise the title without numbers or known names. */
  title: string;
  /** The moderator's published text of an exposure-board report; null for other matters (their text is never public). */
  text: string | null;
  categoryId: string;
  categoryName: string;
  state: string;
  createdAt: number;
  closedAt: number | null;
  villageName: string;
  villageCode: string;
};

/**
 * Public matters of the last twelve months matching the filter, newest first. Reports awaiting
 * moderation, rejected ones and merged duplicates are left out, as on the village pages; the
 * reporter, the description, the place and the handler never leave the module.
 */
export async function publicMatters(deps: Deps, query: PublicMatterQuery): Promise<PublicMatter[]> {
  const rows = await repo.listPublicMatters(deps.reader, { ...query, sinceMs: deps.now() - YEAR_MS });
  const villageIds = [...new Set(rows.map((r) => r.villageId))];
  const names = new Map<string, string[]>();
  for (const villageId of villageIds) names.set(villageId, await namesInVillage(deps, villageId));
  const villages = await regionLabels(deps, villageIds);
  return rows.map((r) => {
    const village = villages.get(r.villageId);
    return {
      id: r.id,
      number: r.number,
      title: publicTitleOf(r, names.get(r.villageId) ?? []),
      text: r.publicState === 'published' ? (r.publicText ?? null) : null,
      categoryId: r.categoryId,
      categoryName: r.categoryName,
      state: r.state,
      createdAt: r.createdAt,
      closedAt: r.closedAt,
      villageName: village?.name ?? '',
      villageCode: village?.code ?? '',
    };
  });
}
