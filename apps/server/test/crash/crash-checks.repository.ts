// What the crash harness reads straight from the database after each restart: how many times each
// write it sent is there, and the cheap invariants of the modules it wrote to.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { verify } from '../../src/modules/points/points-reports.repository.ts';

export type WriteKind = 'case' | 'grant' | 'redemption' | 'reading' | 'application' | 'notice';

function chunks<T>(items: T[], size = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function countBy(
  tags: string[],
  query: (tags: string[]) => Promise<{ tag: string | null; n: number | string | bigint }[]>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>(tags.map((t) => [t, 0]));
  for (const part of chunks(tags)) {
    for (const row of await query(part)) if (row.tag !== null) counts.set(row.tag, Number(row.n));
  }
  return counts;
}

/**
 * How many rows each tagged write left: a case by its client-minted id, a grant by its note, an
 * application by its address, a notice by its title, a reading by its reading id. Redemptions carry
 * no text of their own and are counted per household instead (see redemptionsSince).
 */
export function countWrites(db: Kysely<DB>, kind: Exclude<WriteKind, 'redemption'>, tags: string[]): Promise<Map<string, number>> {
  const n = sql<number>`count(*)`.as('n');
  switch (kind) {
    case 'case':
      return countBy(tags, (part) => db.selectFrom('cases').select(['id as tag', n]).where('id', 'in', part).groupBy('id').execute());
    case 'grant':
      return countBy(tags, (part) =>
        db.selectFrom('points_ledger').select(['note as tag', n]).where('note', 'in', part).groupBy('note').execute(),
      );
    case 'application':
      return countBy(tags, (part) =>
        db.selectFrom('service_applications').select(['address as tag', n]).where('address', 'in', part).groupBy('address').execute(),
      );
    case 'notice':
      return countBy(tags, (part) =>
        db.selectFrom('notices').select(['title as tag', n]).where('title', 'in', part).groupBy('title').execute(),
      );
    case 'reading':
      return countBy(tags, (part) =>
        db.selectFrom('care_readings').select(['reading_key as tag', n]).where('reading_key', 'in', part).groupBy('reading_key').execute(),
      );
  }
}

export async function redemptionsSince(db: Kysely<DB>, householdId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('points_redemptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', householdId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Each module's invariants that a crash could break; every line returned is one failure. */
export async function invariantFailures(db: Kysely<DB>): Promise<string[]> {
  const failures: string[] = [];
  const duplicated = async (label: string, rows: Promise<{ n: number | string | bigint }[]>) => {
    const found = await rows;
    if (found.length > 0) failures.push(`${label}: ${found.length} duplicated`);
  };
  const twice = sql<number>`count(*)`;
  await duplicated('case numbers', db.selectFrom('cases').select(twice.as('n')).groupBy('number').having(twice, '>', 1).execute());
  await duplicated(
    'readings per device and reading id',
    db.selectFrom('care_readings').select(twice.as('n')).groupBy(['device_id', 'reading_key']).having(twice, '>', 1).execute(),
  );
  await duplicated(
    'notice recipients',
    db.selectFrom('notice_recipients').select(twice.as('n')).groupBy(['notice_id', 'person_id']).having(twice, '>', 1).execute(),
  );
  // A deduction may take a balance below zero (the demo has such households); a redemption never may.
  const overspent = await db
    .selectFrom('points_ledger')
    .select('id')
    .where('kind', '=', 'redemption')
    .where('balance_after', '<', 0)
    .execute();
  if (overspent.length > 0) failures.push(`redemptions that took a balance below zero: ${overspent.length}`);
  const oversold = await db.selectFrom('points_goods').select('id').where(sql<boolean>`received - collected - pending < 0`).execute();
  if (oversold.length > 0) failures.push(`goods with stock below zero: ${oversold.length}`);
  const ledger = await verify(db);
  for (const m of ledger.mismatches) failures.push(`points:verify ${m.kind} ${m.id}: expected ${m.expected}, found ${m.actual}`);
  return failures;
}
