// The job leases (platform/jobs.ts): one row per job name, held by one process until it expires.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** True when `holder` now holds the lease until `until`: the row is made on first use, and taken only once expired. */
export async function claimLease(db: Kysely<DB>, name: string, holder: string, now: number, until: number): Promise<boolean> {
  await db
    .insertInto('job_leases')
    .values({ name, holder: null, lease_until: 0, last_run_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await db
    .updateTable('job_leases')
    .set({ holder, lease_until: until })
    .where('name', '=', name)
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function endLease(db: Kysely<DB>, name: string, holder: string, now: number): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ lease_until: 0, last_run_at: now })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .execute();
}
