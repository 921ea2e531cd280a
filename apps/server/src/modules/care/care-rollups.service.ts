// The long view of an elder's health: readings are rolled up per hour and per (Shanghai) day into
// additive aggregates (count, sums, extremes), in arrival order and each reading once, so a late
// reading simply adds to its hour. Raw readings older than the retention window are deleted once
// rolled up; the roll-ups stay.

import type { Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { localDay, localDayStart } from '../../platform/time.ts';
import { auditRead } from './care-audit.ts';
import { elderInScope } from './care-elders.service.ts';
import * as repo from './care-rollups.repository.ts';

const HOUR = 3_600_000;
const CHUNK = 5000;

const add = (sum: number | null, v: number | null) => (v === null ? sum : (sum ?? 0) + v);
const low = (m: number | null, v: number | null) => (v === null ? m : m === null || v < m ? v : m);
const high = (m: number | null, v: number | null) => (v === null ? m : m === null || v > m ? v : m);

/**
 * Readings younger than this are left for the next run: on PostgreSQL a transaction that took its
 * ids earlier may commit later, and a reading passed by the mark would never be rolled up.
 */
const SETTLE_MS = 60_000;

/** The hour and day buckets of a chunk of readings, each reading counted in both. */
function bucketsOf(readings: repo.ArrivedReading[]): repo.Bucket[] {
  const buckets = new Map<string, repo.Bucket>();
  for (const r of readings) {
    const starts = [
      ['hour', Math.floor(r.at / HOUR) * HOUR],
      ['day', localDayStart(localDay(r.at))],
    ] as const;
    for (const [period, start] of starts) {
      const key = `${r.elderPersonId}|${r.kind}|${period}|${start}`;
      let b = buckets.get(key);
      if (!b) {
        b = {
          elder_person_id: r.elderPersonId,
          kind: r.kind,
          period,
          start,
          n: 0,
          sum1: null,
          min1: null,
          max1: null,
          sum2: null,
          min2: null,
          max2: null,
        };
        buckets.set(key, b);
      }
      b.n++;
      b.sum1 = add(b.sum1, r.value1);
      b.min1 = low(b.min1, r.value1);
      b.max1 = high(b.max1, r.value1);
      b.sum2 = add(b.sum2, r.value2);
      b.min2 = low(b.min2, r.value2);
      b.max2 = high(b.max2, r.value2);
    }
  }
  return [...buckets.values()];
}

/** Adds one chunk of readings to the roll-ups; returns how many readings it took. */
async function rollUpChunk(deps: Deps, now: number): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const next = await repo.readingsAfter(trx, await repo.rollupMark(trx), CHUNK);
    const readings = settledPrefix(next, now - SETTLE_MS);
    if (readings.length === 0) return 0;
    await repo.addToRollups(trx, bucketsOf(readings));
    await repo.setRollupMark(trx, (readings[readings.length - 1] as repo.ArrivedReading).id);
    return readings.length;
  });
}

/** The leading rows (in id order) received before `before`: the mark never passes a row still settling. */
function settledPrefix<T extends { receivedAt: number }>(rows: T[], before: number): T[] {
  const cut = rows.findIndex((r) => r.receivedAt >= before);
  return cut === -1 ? rows : rows.slice(0, cut);
}

/** Rolls up every reading that arrived since the last run. */
export async function rollUpReadings(deps: Deps): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await rollUpChunk(deps, deps.now());
    total += taken;
    if (taken === 0) return total;
  }
}

/**
 * Deletes raw readings received before the retention window that are already rolled up, oldest
 * first, a chunk at a time; each run reads no further than the first reading it must keep.
 */
export async function deleteOldReadings(deps: Deps): Promise<number> {
  const cutoff = deps.now() - deps.config.readingsRetentionDays * 24 * HOUR;
  let total = 0;
  for (;;) {
    const expired = settledPrefix(await repo.oldestRolledUp(deps.db, CHUNK), cutoff);
    if (expired.length === 0) return total;
    await repo.deleteReadingsBetween(deps.db, (expired[0] as { id: string }).id, (expired[expired.length - 1] as { id: string }).id);
    total += expired.length;
  }
}

export type { Trend } from './care-rollups.repository.ts';

/** An elder's hourly or daily roll-ups since a moment, audited as a read of health data. */
export async function elderTrends(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  query: { period: 'hour' | 'day'; since: number; kinds?: string[] },
): Promise<repo.Trend[]> {
  const elder = await elderInScope(deps, principal, personId);
  const trends = await repo.listTrends(deps.reader, personId, query.period, query.since, query.kinds);
  await auditRead(deps, actor, 'care.trends.read', { elder });
  return trends;
}
