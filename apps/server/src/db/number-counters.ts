// Running numbers (20261201-00042 for a day's cases, 500242105201001-0007 for a group's
// households) taken from a counter row raised in one statement: on PostgreSQL a second write of the
// same moment waits on the row instead of counting the same rows and drawing the same number. A
// numbering's first take counts what is already numbered (rows loaded without the counter, such
// as the demo's or an import's), so nothing is given out twice.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from './schema.ts';

export async function takeNextNumber(db: Kysely<DB>, scope: string, alreadyNumbered: RawBuilder<number>): Promise<number> {
  const row = await db
    .insertInto('number_counters')
    .values({ scope, last: sql<number>`(${alreadyNumbered}) + 1` })
    .onConflict((oc) => oc.column('scope').doUpdateSet({ last: sql<number>`number_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}
