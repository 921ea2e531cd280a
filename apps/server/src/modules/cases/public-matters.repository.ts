import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** A village matter as stored, with only the columns a public view may start from. */
export type PublicMatterRow = {
  id: string;
  number: string;
  title: string;
  publicTitle: string | null;
  publicText: string | null;
  publicState: string | null;
  reporterName: string | null;
  categoryId: string;
  categoryName: string;
  state: string;
  createdAt: number;
  closedAt: number | null;
  villageId: string;
};

export type PublicMatterFilter = {
  /** Nothing older is public (the village affairs pages show twelve months). */
  sinceMs: number;
  ids?: string[];
  categoryIds?: string[];
  fromMs?: number;
  toMs?: number;
  closed?: boolean;
  limit: number;
};

/**
 * The matters the village affairs pages show, newest first: placed in a village, not merged into
 * another, and, for exposure-board reports, only once a moderator has published them.
 */
export async function listPublicMatters(db: Kysely<DB>, filter: PublicMatterFilter): Promise<PublicMatterRow[]> {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .select([
      'c.id',
      'c.number',
      'c.title',
      'c.public_title',
      'c.public_text',
      'c.public_state',
      'c.reporter_name',
      'c.category_id',
      'cat.name as category_name',
      'c.state',
      'c.created_at',
      'c.closed_at',
      'c.village_id',
    ])
    .where('c.village_id', 'is not', null)
    .$narrowType<{ village_id: string }>()
    .where('c.created_at', '>=', filter.sinceMs)
    .where('c.merged_into_id', 'is', null)
    .where((eb) => eb.or([eb('c.public_state', 'is', null), eb('c.public_state', '=', 'published')]));
  if (filter.ids) query = query.where('c.id', 'in', filter.ids.length > 0 ? filter.ids : ['']);
  if (filter.categoryIds) query = query.where('c.category_id', 'in', filter.categoryIds.length > 0 ? filter.categoryIds : ['']);
  if (filter.fromMs !== undefined) query = query.where('c.created_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('c.created_at', '<', filter.toMs);
  if (filter.closed !== undefined) query = query.where('c.state', filter.closed ? '=' : '!=', 'closed');
  const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    publicTitle: r.public_title,
    publicText: r.public_text,
    publicState: r.public_state,
    reporterName: r.reporter_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    state: r.state,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    villageId: r.village_id,
  }));
}
