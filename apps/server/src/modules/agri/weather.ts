// Weather conditions from a day's figures, and the forecast feed's two formats (README "Weather
// feed"). Thresholds: frost, the day's minimum at or below 0 °C; heat, the maximum at or above
// 35 °C (高温, China Meteorological Administration); heavy rain (暴雨), 50 mm or more in the day;
// cold snap (寒潮), the minimum falling 8 °C or more within 48 hours to 4 °C or below.
import { WEATHER_CONDITIONS, type WeatherCondition } from '@cunzhi/contracts/agri';
import { weatherDateProblem } from './agri-access.ts';

export type WeatherDay = { date: string; minTempC: number; maxTempC: number; rainMm: number; named: WeatherCondition[] };

export const FROST_MAX_C = 0;
export const HEAT_MIN_C = 35;
export const HEAVY_RAIN_MM = 50;
export const COLD_SNAP_DROP_C = 8;
export const COLD_SNAP_MAX_C = 4;

const dayBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** The conditions of each day of one place, derived and named together; `days` may come in any order. */
export function conditionsByDay(days: readonly WeatherDay[]): Map<string, WeatherCondition[]> {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const out = new Map<string, WeatherCondition[]>();
  for (const day of days) {
    const found = new Set<WeatherCondition>(day.named);
    if (day.minTempC <= FROST_MAX_C) found.add('frost');
    if (day.maxTempC >= HEAT_MIN_C) found.add('heat');
    if (day.rainMm >= HEAVY_RAIN_MM) found.add('heavyRain');
    const earlier = [byDate.get(dayBefore(day.date, 1)), byDate.get(dayBefore(day.date, 2))].filter((d) => d !== undefined);
    const warmest = Math.max(...earlier.map((d) => d.minTempC));
    if (earlier.length > 0 && day.minTempC <= COLD_SNAP_MAX_C && warmest - day.minTempC >= COLD_SNAP_DROP_C) found.add('coldSnap');
    out.set(
      day.date,
      WEATHER_CONDITIONS.filter((c) => found.has(c)),
    );
  }
  return out;
}

export type FeedRow = { regionCode: string; date: string; minTempC: number; maxTempC: number; rainMm: number; named: WeatherCondition[] };
export type FeedProblem = { line: number; problem: string };

export const MAX_FEED_ROWS = 5000;
const CODE = /^\d{6,12}$/;

function checkRow(raw: Record<string, unknown>, line: number, now: number): FeedRow | FeedProblem {
  const code = String(raw.regionCode ?? '').trim();
  const date = String(raw.date ?? '').trim();
  const numbers = ['minTempC', 'maxTempC', 'rainMm'].map((k) => (raw[k] === '' || raw[k] === undefined ? Number.NaN : Number(raw[k])));
  const [minTempC, maxTempC, rainMm] = numbers as [number, number, number];
  if (!CODE.test(code)) return { line, problem: 'regionCode' };
  // A real calendar day within the window weather is kept for (agri-access.ts): never the input itself.
  const dateProblem = weatherDateProblem(date, now);
  if (dateProblem) return { line, problem: `date ${dateProblem}` };
  if (!Number.isFinite(minTempC) || minTempC < -60 || minTempC > 60) return { line, problem: 'minTempC' };
  if (!Number.isFinite(maxTempC) || maxTempC < -60 || maxTempC > 60 || maxTempC < minTempC) return { line, problem: 'maxTempC' };
  if (!Number.isFinite(rainMm) || rainMm < 0 || rainMm > 1000) return { line, problem: 'rainMm' };
  const namedRaw = Array.isArray(raw.conditions)
    ? raw.conditions.map(String)
    : String(raw.conditions ?? '')
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '');
  if (namedRaw.length > 4 || namedRaw.some((c) => !(WEATHER_CONDITIONS as readonly string[]).includes(c)))
    return { line, problem: 'conditions' };
  return { regionCode: code, date, minTempC, maxTempC, rainMm, named: namedRaw as WeatherCondition[] };
}

/**
 * CSV: a header line `region_code,date,min_temp_c,max_temp_c,rain_mm,conditions` (conditions
 * optional, `;`-separated), one line per place and day. JSON: `{"entries": [{"regionCode",
 * "date", "minTempC", "maxTempC", "rainMm", "conditions"?: [...]}]}`. Dates are real calendar days
 * from WEATHER_DAYS_BACK days ago to WEATHER_DAYS_AHEAD days ahead (Beijing). The first bad line stops all.
 */
export function parseFeed(text: string, format: 'csv' | 'json', now: number): FeedRow[] | FeedProblem {
  let raws: Record<string, unknown>[];
  let firstLine = 1;
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { line: 1, problem: 'json' };
    }
    const entries = (parsed as { entries?: unknown })?.entries;
    if (!Array.isArray(entries)) return { line: 1, problem: 'entries' };
    raws = entries.map((e) => (e && typeof e === 'object' ? (e as Record<string, unknown>) : {}));
  } else {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
    const expected = ['region_code', 'date', 'min_temp_c', 'max_temp_c', 'rain_mm'];
    if (expected.some((h, i) => header[i] !== h)) return { line: 1, problem: 'header' };
    firstLine = 2;
    raws = lines
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const cells = l.split(',').map((c) => c.trim());
        return {
          regionCode: cells[0],
          date: cells[1],
          minTempC: cells[2],
          maxTempC: cells[3],
          rainMm: cells[4],
          conditions: cells[5] ?? '',
        };
      });
  }
  if (raws.length === 0) return { line: firstLine, problem: 'empty' };
  if (raws.length > MAX_FEED_ROWS) return { line: firstLine + MAX_FEED_ROWS, problem: 'too many lines' };
  const rows: FeedRow[] = [];
  for (const [i, raw] of raws.entries()) {
    const row = checkRow(raw, firstLine + i, now);
    if ('problem' in row) return row;
    rows.push(row);
  }
  return rows;
}
