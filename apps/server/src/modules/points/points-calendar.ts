// Months and days as the village lives them (Asia/Shanghai, no daylight saving): statements,
// rankings and rule limits count by the local calendar, not by UTC.
const OFFSET_MS = 8 * 3_600_000;

/** The local month of a moment as year * 100 + month, e.g. 202611. */
export function localMonth(ms: number): number {
  const date = new Date(ms + OFFSET_MS);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
}

/** The first moment of a local month (yyyymm) and of the month after it. */
export function monthBounds(month: number): [number, number] {
  const year = Math.floor(month / 100);
  const index = (month % 100) - 1;
  return [Date.UTC(year, index, 1) - OFFSET_MS, Date.UTC(year, index + 1, 1) - OFFSET_MS];
}

export function previousMonth(month: number): number {
  return month % 100 === 1 ? (Math.floor(month / 100) - 1) * 100 + 12 : month - 1;
}

/** The start of the local day of a moment. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / 86_400_000) * 86_400_000 - OFFSET_MS;
}
