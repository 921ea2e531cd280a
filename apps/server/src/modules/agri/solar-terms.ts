// The 24 solar terms (二十四节气), computed from the sun's apparent ecliptic longitude: a term
// begins when the longitude reaches a multiple of 15° (春分 at 0°). The sun's position is Meeus'
// low-accuracy formula (Astronomical Algorithms, ch. 25: about 0.01°, a quarter of an hour of the
// sun's motion), which is ample for the Beijing date of each term; tests check known dates.
import { SOLAR_TERMS, type SolarTerm } from '@cunzhi/contracts/agri';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const TROPICAL_YEAR_DAYS = 365.2422;
const rad = (deg: number) => (deg * Math.PI) / 180;
const norm360 = (deg: number) => ((deg % 360) + 360) % 360;

/** The sun's apparent ecliptic longitude in degrees [0, 360) at this moment (epoch ms). */
export function sunLongitude(ms: number): number {
  const jd = ms / DAY_MS + 2_440_587.5;
  const t = (jd - 2_451_545) / 36_525;
  const l0 = 280.46646 + 36_000.76983 * t + 0.0003032 * t * t;
  const m = rad(357.52911 + 35_999.05029 * t - 0.0001537 * t * t);
  const c =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.sin(m) + (0.019993 - 0.000101 * t) * Math.sin(2 * m) + 0.000289 * Math.sin(3 * m);
  const omega = rad(125.04 - 1934.136 * t);
  return norm360(l0 + c - 0.00569 - 0.00478 * Math.sin(omega));
}

/** The moment nearest `guess` when the sun's longitude is `target` degrees. */
export function momentOfLongitude(target: number, guess: number): number {
  let t = guess;
  for (let i = 0; i < 8; i++) {
    const diff = ((target - sunLongitude(t) + 540) % 360) - 180;
    t += (diff / 360) * TROPICAL_YEAR_DAYS * DAY_MS;
    if (Math.abs(diff) < 1e-6) break;
  }
  return Math.round(t);
}

export type SolarTermMoment = { term: SolarTerm; at: number; date: string };

const beijingDate = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 10);
const termAt = (index: number, at: number): SolarTermMoment => {
  const term = SOLAR_TERMS[((index % 24) + 24) % 24] as SolarTerm;
  return { term, at, date: beijingDate(at) };
};

/** The 24 terms of a calendar year in date order, from 小寒 (early January) to 冬至 (late December). */
export function solarTermsOfYear(year: number): SolarTermMoment[] {
  // 春分 falls about 20 March; the other terms follow every 1/24 of a year from it.
  const equinox = Date.UTC(year, 2, 20, 12);
  const out: SolarTermMoment[] = [];
  for (let k = -5; k < 19; k++) {
    const guess = equinox + (k / 24) * TROPICAL_YEAR_DAYS * DAY_MS;
    out.push(termAt(k, momentOfLongitude(norm360(k * 15), guess)));
  }
  return out;
}

/** The term in force at `ms` (the last one begun) and the next one. */
export function solarTermAround(ms: number): { current: SolarTermMoment; next: SolarTermMoment } {
  const index = Math.floor(sunLongitude(ms) / 15);
  const begun = momentOfLongitude(index * 15, ms - ((sunLongitude(ms) % 15) / 360) * TROPICAL_YEAR_DAYS * DAY_MS);
  const next = momentOfLongitude(((index + 1) % 24) * 15, begun + (TROPICAL_YEAR_DAYS / 24) * DAY_MS);
  return { current: termAt(index, begun), next: termAt(index + 1, next) };
}
