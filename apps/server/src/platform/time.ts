const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

// Lists format thousands of timestamps; the calendar date is worked out once per day seen.
const dayCache = new Map<number, string>();

function datePart(day: number): string {
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, text);
  }
  return text;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Epoch ms to ISO-8601 in Asia/Shanghai (no daylight saving, so a fixed +08:00). */
export function toIso(ms: number): string {
  const local = ms + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  let rest = local - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${datePart(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}+08:00`;
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/** The calendar day (days since 1970-01-01) of a moment in Asia/Shanghai. */
export const localDay = (ms: number): number => Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);

/** The moment a Shanghai calendar day begins. */
export const localDayStart = (day: number): number => day * DAY_MS - SHANGHAI_OFFSET_MS;

/** YYYY-MM-DD of a Shanghai calendar day. */
export const localDate = (day: number): string => datePart(day);

/** The hour of the day (0–23) in Shanghai. */
export const localHour = (ms: number): number => Math.floor(((ms + SHANGHAI_OFFSET_MS) % DAY_MS) / 3_600_000);
