// Running numbers (20261201-00042 for a day's cases, 500242105201001-0007 for a group's
// households) taken from a counter row raised in one statement: on PostgreSQL a second write of the
// same moment waits on the row instead of counting the same rows and drawing the same number. A
// numbering's first take starts after the highest number already given (rows loaded without the
// counter, such as the demo's or an import's, gaps included), so nothing is given out twice.
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

export async function takeNextNumber(db: Kysely<DB>, scope: string, highestGiven: () => Promise<number>): Promise<number> {
  const raised = await db
    .updateTable('number_counters')
    .set({ last: sql<number>`last + 1` })
    .where('scope', '=', scope)
    .returning('last')
    .executeTakeFirst();
  if (raised) return Number(raised.last);
  // Two first takes at once: one inserts, the other finds the row and raises it.
  const row = await db
    .insertInto('number_counters')
    .values({ scope, last: (await highestGiven()) + 1 })
    .onConflict((oc) => oc.column('scope').doUpdateSet({ last: sql<number>`number_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

/** The highest running number among `numbers` written as `prefix` + digits; 0 when there is none. */
export function highestAfterPrefix(numbers: string[], prefix: string): number {
  let highest = 0;
  for (const number of numbers) {
    const rest = number.slice(prefix.length);
    if (number.startsWith(prefix) && /^\d{1,9}$/.test(rest)) highest = Math.max(highest, Number(rest));
  }
  return highest;
}
