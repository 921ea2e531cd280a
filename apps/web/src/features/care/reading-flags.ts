// Whether an elder's latest readings are in the usual range, and the one line that sums the elder
// up on their card: it must agree with the figures under it (an "all well" beside a reading marked
// high was the first thing a family member noticed); ElderCard says it in words, never by colour alone,
// and the family's home card says the same words (its words are in lib/i18n-shared.ts).
import type { Reading } from '@cunzhi/contracts/care';

/** The readings the card shows, in the order it shows them. */
export const SHOWN = ['bloodPressure', 'heartRate', 'glucose'] as const;

/** The newest reading of a kind (readings come oldest first). */
export function latest(readings: Reading[], kind: string): Reading | undefined {
  for (let i = readings.length - 1; i >= 0; i--) if (readings[i]?.kind === kind) return readings[i];
  return undefined;
}

/**
 * Whether a reading is outside the usual range, said in a word beside the figure (never by colour
 * alone): blood pressure 140/90 and over or under 90/60, heart rate outside 50–120, glucose over
 * 11.1 or under 3.9 mmol/L. The page has no county rules to hand, so these are the usual limits.
 */
export function readingFlag(reading: Pick<Reading, 'kind' | 'value' | 'value2'>): 'high' | 'low' | undefined {
  const { kind, value } = reading;
  const second = reading.value2;
  if (value === null) return undefined;
  if (kind === 'bloodPressure') {
    if (value >= 140 || (second !== null && second >= 90)) return 'high';
    if (value < 90 || (second !== null && second < 60)) return 'low';
  }
  if (kind === 'heartRate') {
    if (value > 120) return 'high';
    if (value < 50) return 'low';
  }
  if (kind === 'glucose') {
    if (value > 11.1) return 'high';
    if (value < 3.9) return 'low';
  }
  return undefined;
}

/** The card's summary: open alarms first, then each latest reading out of range, else all well. */
export type ElderSummary =
  | { tone: 'alarm'; alarms: number }
  | { tone: 'watch'; out: { kind: (typeof SHOWN)[number]; flag: 'high' | 'low' }[] }
  | { tone: 'well' };

export function elderSummary(openAlarms: number, readings: Reading[]): ElderSummary {
  if (openAlarms > 0) return { tone: 'alarm', alarms: openAlarms };
  const out = SHOWN.flatMap((kind) => {
    const reading = latest(readings, kind);
    const flag = reading ? readingFlag(reading) : undefined;
    return flag ? [{ kind, flag }] : [];
  });
  return out.length > 0 ? { tone: 'watch', out } : { tone: 'well' };
}

type Say = (key: string, options?: Record<string, unknown>) => string;

/** A watch summary's readings in words, without the sign: 血压偏高，请留意. */
export function watchWords(t: Say, out: Extract<ElderSummary, { tone: 'watch' }>['out']): string {
  const readings = out.map(({ kind, flag }) =>
    t('care.readingOut', { kind: t(`care.kinds.${kind}`), flag: flag === 'high' ? t('care.readingHigh') : t('care.readingLow') }),
  );
  return t('care.readingsWatch', { readings: readings.join(t('care.listJoin')) });
}
