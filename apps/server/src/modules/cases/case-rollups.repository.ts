// The appeals roll-ups per village, and per township and county, for each local day and month:
// what one case contributes, kept in step with every case write in its own transaction, and
// rebuilt from the cases after bulk loads. case-statistics.repository.ts reads them.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { monthIndexOf } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';
import { OPEN_STATES } from './case-workflow.ts';
import type { CaseRecord } from './cases.repository.ts';

const COUNTERS = [
  'received',
  'answered',
  'assigned',
  'handled',
  'replied',
  'replied_on_time',
  'closed',
  'rated',
  'rating_sum',
  'satisfied',
  'open_count',
] as const;
type Counter = (typeof COUNTERS)[number];

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The local (Asia/Shanghai) day number of a moment: days since 1970-01-01 there. */
export const localDay = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS);
export const isLocalMidnight = (ms: number) => (ms + OFFSET_MS) % DAY_MS === 0;
/** The local month of a day: year * 12 + month - 1. */
const monthOfDay = (day: number) => {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const firstDayOf = (month: number) => Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;

/** Whole months inside [fromDay, toDay), and the days left over at either edge. */
export function splitPeriod(fromDay: number, toDay: number): { months?: [number, number]; days: [number, number][] } {
  const start = monthOfDay(fromDay);
  const firstFull = firstDayOf(start) === fromDay ? start : start + 1;
  const end = monthOfDay(toDay);
  if (firstFull >= end) return { days: [[fromDay, toDay]] };
  const days: [number, number][] = [
    [fromDay, firstDayOf(firstFull)],
    [firstDayOf(end), toDay],
  ];
  return { months: [firstFull, end], days: days.filter(([a, b]) => b > a) };
}

type Key = {
  village_id: string;
  township_id: string | null;
  county_id: string | null;
  category_id: string;
  department_key: string;
  source: string;
};
type Contribution = { key: Key; day: number; counts: Record<Counter, number> };

/** What one case adds to its day's and month's rows; a case merged into another adds nothing. */
export function contributionOf(c: CaseRecord): Contribution | null {
  if (c.mergedIntoId !== null || c.placement.villageId === null) return null;
  const flag = (value: boolean) => (value ? 1 : 0);
  return {
    key: {
      village_id: c.placement.villageId,
      township_id: c.placement.townshipId,
      county_id: c.placement.countyId,
      category_id: c.categoryId,
      department_key: c.assigneeDepartmentId ?? '',
      source: c.source,
    },
    day: localDay(c.createdAt),
    counts: {
      received: 1,
      answered: flag(c.answeredAt !== null),
      assigned: flag(c.assignedAt !== null),
      handled: flag(c.handledAt !== null),
      replied: flag(c.repliedAt !== null),
      replied_on_time: flag(c.repliedAt !== null && c.repliedAt <= c.deadlineAt),
      closed: flag(c.closedAt !== null),
      rated: flag(c.rating !== null),
      rating_sum: c.rating ?? 0,
      satisfied: flag((c.rating ?? 0) >= 4),
      open_count: flag(c.closedAt === null && OPEN_STATES.includes(c.state)),
    },
  };
}

async function addTo(db: Kysely<DB>, contribution: Contribution, deltas: Record<Counter, number>): Promise<void> {
  if (COUNTERS.every((counter) => deltas[counter] === 0)) return;
  for (const [period, bucket] of [
    ['d', contribution.day],
    ['m', monthOfDay(contribution.day)],
  ] as const) {
    await db
      .insertInto('case_rollups')
      .values({ period, bucket, ...contribution.key, ...deltas })
      .onConflict((oc) =>
        oc
          .columns(['period', 'bucket', 'village_id', 'category_id', 'department_key', 'source'])
          .doUpdateSet((eb) =>
            Object.fromEntries(COUNTERS.map((counter) => [counter, eb(`case_rollups.${counter}`, '+', eb.ref(`excluded.${counter}`))])),
          ),
      )
      .execute();
    // The same change in its township's and its county's rows (case_area_rollups).
    const areas: ['county' | 'township', string | null][] = [
      ['county', contribution.key.county_id],
      ['township', contribution.key.township_id],
    ];
    for (const [level, areaId] of areas) {
      if (areaId === null) continue;
      await db
        .insertInto('case_area_rollups')
        .values({
          period,
          bucket,
          level,
          area_id: areaId,
          county_id: contribution.key.county_id,
          township_id: level === 'township' ? areaId : null,
          category_id: contribution.key.category_id,
          department_key: contribution.key.department_key,
          source: contribution.key.source,
          ...deltas,
        })
        .onConflict((oc) =>
          oc
            .columns(['period', 'bucket', 'area_id', 'category_id', 'department_key', 'source'])
            .doUpdateSet((eb) =>
              Object.fromEntries(
                COUNTERS.map((counter) => [counter, eb(`case_area_rollups.${counter}`, '+', eb.ref(`excluded.${counter}`))]),
              ),
            ),
        )
        .execute();
    }
  }
}

const sameRows = (a: Contribution, b: Contribution) =>
  a.day === b.day &&
  a.key.village_id === b.key.village_id &&
  a.key.category_id === b.key.category_id &&
  a.key.department_key === b.key.department_key &&
  a.key.source === b.key.source;

/** Keeps the roll-ups in step with one case write, in the write's own transaction. */
export async function applyToRollups(db: Kysely<DB>, before: CaseRecord | undefined, after: CaseRecord): Promise<void> {
  const was = before ? contributionOf(before) : null;
  const now = contributionOf(after);
  if (was && now && sameRows(was, now)) {
    await addTo(db, now, Object.fromEntries(COUNTERS.map((c) => [c, now.counts[c] - was.counts[c]])) as Record<Counter, number>);
    return;
  }
  if (was) await addTo(db, was, Object.fromEntries(COUNTERS.map((c) => [c, -was.counts[c]])) as Record<Counter, number>);
  if (now) await addTo(db, now, now.counts);
}

/**
 * Recomputes every roll-up row from the cases: after bulk loads, and to check the running totals.
 * The day arithmetic uses literals: bound numbers reach SQLite as reals and would divide as reals.
 */
export async function rebuildRollups(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom('case_rollups').execute();
  const local = sql`(c.created_at + ${sql.lit(OFFSET_MS)})`;
  const month = monthIndexOf(db, local);
  const flag = (condition: RawBuilder<unknown>) => sql`sum(case when ${condition} then 1 else 0 end)`;
  for (const [period, bucket] of [
    ['d', sql`${local} / ${sql.lit(DAY_MS)}`],
    ['m', month],
  ] as const) {
    await sql`
      insert into case_rollups (period, bucket, village_id, township_id, county_id, category_id, department_key, source,
        received, answered, assigned, handled, replied, replied_on_time, closed, rated, rating_sum, satisfied, open_count)
      select ${period}, ${bucket}, c.village_id, c.township_id, c.county_id, c.category_id, coalesce(c.assignee_department_id, ''), c.source,
        count(*), ${flag(sql`c.answered_at is not null`)}, ${flag(sql`c.assigned_at is not null`)}, ${flag(sql`c.handled_at is not null`)},
        ${flag(sql`c.replied_at is not null`)}, ${flag(sql`c.replied_at is not null and c.replied_at <= c.deadline_at`)},
        ${flag(sql`c.closed_at is not null`)}, ${flag(sql`c.rating is not null`)}, coalesce(sum(c.rating), 0), ${flag(sql`c.rating >= 4`)},
        ${flag(sql`c.closed_at is null and c.state in ('received', 'assigned', 'accepted', 'handled')`)}
      from cases c
      where c.merged_into_id is null and c.village_id is not null
      group by 2, 3, 4, 5, 6, 7, 8`.execute(db);
  }
  // Townships' and counties' rows: the villages' rows summed.
  await db.deleteFrom('case_area_rollups').execute();
  const sums = sql.raw(COUNTERS.map((c) => `sum(r.${c})`).join(', '));
  const columns = sql.raw(COUNTERS.join(', '));
  for (const [level, area, township] of [
    ['county', sql`r.county_id`, sql`null`],
    ['township', sql`r.township_id`, sql`r.township_id`],
  ] as const) {
    await sql`
      insert into case_area_rollups (period, bucket, level, area_id, county_id, township_id, category_id, department_key, source, ${columns})
      select r.period, r.bucket, ${level}, ${area}, r.county_id, ${township}, r.category_id, r.department_key, r.source, ${sums}
      from case_rollups r where ${area} is not null
      group by r.period, r.bucket, r.county_id, ${area}, r.category_id, r.department_key, r.source`.execute(db);
  }
}
