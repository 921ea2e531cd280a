// The rows the service statistics count: one per application made in a period.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';

export type CountedApplication = {
  itemId: string;
  itemName: string;
  tags: string[];
  townshipId: string | null;
  channel: string;
  acceptedAt: number | null;
  dueAt: number | null;
  decidedAt: number | null;
};

/** Made in [from, to) and either in the scope's places or handled by one of the departments. */
export async function applicationsMadeIn(
  db: Kysely<DB>,
  scope: Scope,
  departmentIds: string[],
  from: number,
  to: number,
): Promise<CountedApplication[]> {
  const rows = await db
    .selectFrom('service_applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .select(['a.item_id', 'i.name as item_name', 'i.tags', 'a.township_id', 'a.channel', 'a.accepted_at', 'a.due_at', 'a.decided_at'])
    .where('a.created_at', '>=', from)
    .where('a.created_at', '<', to)
    .where((eb) =>
      eb.or([inScope(scope, { table: 'a' }), ...(departmentIds.length > 0 ? [eb('a.department_id', 'in', departmentIds)] : [])]),
    )
    .execute();
  return rows.map((r) => ({
    itemId: r.item_id,
    itemName: r.item_name,
    tags: JSON.parse(r.tags) as string[],
    townshipId: r.township_id,
    channel: r.channel,
    acceptedAt: r.accepted_at,
    dueAt: r.due_at,
    decidedAt: r.decided_at,
  }));
}
