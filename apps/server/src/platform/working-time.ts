// Deadlines count working time: the hours of a working day, on working days, in Asia/Shanghai.
// Holidays close a weekday; make-up working days (调休) open a weekend day.

export type WorkCalendar = {
  /** Minutes after midnight, local time. */
  dayStartMinute: number;
  dayEndMinute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  /** YYYY-MM-DD, local dates. */
  holidays: string[];
  extraWorkdays: string[];
};

export const DEFAULT_CALENDAR: WorkCalendar = {
  dayStartMinute: 9 * 60,
  dayEndMinute: 17 * 60 + 30,
  weekdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraWorkdays: [],
};

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

const localDay = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS);
const dayStartUtc = (day: number) => day * DAY_MS - OFFSET_MS;
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function isWorkday(day: number, calendar: WorkCalendar): boolean {
  const date = isoDate(day);
  if (calendar.extraWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return calendar.weekdays.includes(weekday);
}

/** The moment `hours` of working time after `startMs`. Work started outside hours begins at the next opening. */
export function addWorkingHours(startMs: number, hours: number, calendar: WorkCalendar = DEFAULT_CALENDAR): number {
  if (calendar.dayEndMinute <= calendar.dayStartMinute) throw new Error('A working day must end after it starts');
  let remaining = Math.round(hours * 60) * MINUTE_MS;
  let day = localDay(startMs);
  let cursor = startMs;
  for (let guard = 0; guard < 3660; guard++) {
    if (isWorkday(day, calendar)) {
      const open = dayStartUtc(day) + calendar.dayStartMinute * MINUTE_MS;
      const close = dayStartUtc(day) + calendar.dayEndMinute * MINUTE_MS;
      const from = Math.max(cursor, open);
      if (from < close) {
        const available = close - from;
        if (remaining <= available) return from + remaining;
        remaining -= available;
      }
    }
    day++;
    cursor = dayStartUtc(day);
  }
  throw new Error('No working time in the next ten years: check the calendar');
}
