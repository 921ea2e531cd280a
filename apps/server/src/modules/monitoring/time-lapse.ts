// Choosing a time-lapse: one picture a day (Beijing time), the one captured nearest a chosen hour.
// Pure; the service reads capture times newest first and hands them here.

const DAY = 24 * 3_600_000;
const BEIJING = 8 * 3_600_000;

/** YYYY-MM-DD of a moment in Beijing. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING).toISOString().slice(0, 10);
}

/** The first moment of a Beijing day. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

export const dayEnd = (day: string) => dayStart(day) + DAY;

/** Farm cameras came long after this: a day before it has no picture to show. */
export const FIRST_TIME_LAPSE_DAY = '2000-01-01';

/**
 * Why a day cannot be a time-lapse day ('not a date': 2026-02-30; 'after today': no picture yet;
 * 'too far back'), or undefined when it can.
 */
export function timeLapseDayProblem(day: string, now: number): string | undefined {
  const start = dayStart(day);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(start) || beijingDay(start) !== day) return 'not a date';
  if (day > beijingDay(now)) return 'after today';
  if (day < FIRST_TIME_LAPSE_DAY) return 'too far back';
  return undefined;
}

export type Capture = { id: string; capturedAt: number };

/**
 * Groups captures (newest first) by day, newest day first, and keeps for each day the capture
 * nearest `hour` o'clock; on a tie the earlier one. Days with no capture are not in the result.
 */
export function pickDaily(captures: readonly Capture[], hour: number): { day: string; capture: Capture }[] {
  const byDay = new Map<string, Capture>();
  for (const c of captures) {
    const day = beijingDay(c.capturedAt);
    const target = dayStart(day) + hour * 3_600_000;
    const best = byDay.get(day);
    const distance = Math.abs(c.capturedAt - target);
    if (!best) byDay.set(day, c);
    else {
      const bestDistance = Math.abs(best.capturedAt - target);
      if (distance < bestDistance || (distance === bestDistance && c.capturedAt < best.capturedAt)) byDay.set(day, c);
    }
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? 1 : -1)).map(([day, capture]) => ({ day, capture }));
}
