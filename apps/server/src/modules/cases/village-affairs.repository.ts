import { type Kysely, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import type { DB } from '../../db/schema.ts';

/** A village matter with the columns its public title is made from (village-affairs.service.ts). */
export type VillageMatterRow = {
  id: string;
  number: string;
  title: string;
  publicTitle: string | null;
  reporterName: string | null;
  categoryName: string;
  state: string;
  createdAt: number;
  closedAt: number | null;
};

/**
 * The village's matters, newest first (by the day reported). An exposure-board report is listed only once a moderator
 * has published it: before that its words are not public (nor are a rejected report's).
 */
export async function listVillageMatters(
  db: Kysely<DB>,
  filter: { villageId: string; sinceMs: number; after?: readonly [number, string]; limit: number },
): Promise<VillageMatterRow[]> {
  const query = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .select([
      'c.id',
      'c.number',
      'c.title',
      'c.public_title',
      'c.reporter_name',
      'cat.name as category_name',
      'c.state',
      'c.created_at',
      'c.closed_at',
    ])
    .where('c.village_id', '=', filter.villageId)
    .where('c.created_at', '>=', filter.sinceMs)
    .where('c.merged_into_id', 'is', null)
    .where((eb) => eb.or([eb('c.public_state', 'is', null), eb('c.public_state', '=', 'published')]));
  // By when each was reported (the id breaks ties): a matter imported or entered late with the day it
  // was raised takes its place by that day, not by when its row was written.
  const rows = await keysetPage(
    query,
    [
      ['c.created_at', 'desc'],
      ['c.id', 'desc'],
    ],
    filter.after,
    filter.limit,
  ).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    publicTitle: r.public_title,
    reporterName: r.reporter_name,
    categoryName: r.category_name,
    state: r.state,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  }));
}

export async function countVillageMatters(db: Kysely<DB>, villageId: string, sinceMs: number): Promise<{ total: number; closed: number }> {
  const { rows } = await sql<{ total: number | string; closed: number | string | null }>`
    select count(*) as total, sum(case when c.closed_at is not null then 1 else 0 end) as closed
    from cases c
    where c.village_id = ${villageId} and c.created_at >= ${sinceMs} and c.merged_into_id is null`.execute(db);
  const row = rows[0];
  return { total: Number(row?.total ?? 0), closed: Number(row?.closed ?? 0) };
}
