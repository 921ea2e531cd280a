// Whether an elder's latest readings are in range (under the elder's own alarm rules, as the server
// says), and the one line that sums the elder up on their card: it must agree with the figures under
// it (an "all well" beside a reading marked high was the first thing a family member noticed);
// ElderCard says it in words, never by colour alone, and the family's home card says the same words
// (its words are in lib/i18n-shared.ts).
import type { Reading } from '@cunzhi/contracts/care';
import { flagReading } from '@cunzhi/contracts/care-reading-flags';

/** The readings the card shows, in the order it shows them. */
export const SHOWN = ['bloodPressure', 'heartRate', 'glucose'] as const;

/** The newest reading of a kind (readings come oldest first). */
export function latest(readings: Reading[], kind: string): Reading | undefined {
  for (let i = readings.length - 1; i >= 0; i--) if (readings[i]?.kind === kind) return readings[i];
  return undefined;
}

/**
 * Whether a reading is high or low, said in a word beside the figure (never by colour alone). The
 * server says it under the elder's own alarm rules (a doctor's limit of 130 makes 135 high for that
 * elder and not for another), so the family and the alarms agree; a reading that came without the
 * server's word (one cached before it said so) falls back to the usual ranges.
 */
export function readingFlag(reading: Pick<Reading, 'kind' | 'value' | 'value2' | 'flag'>): 'high' | 'low' | undefined {
  const flag = reading.flag === undefined ? flagReading(reading) : reading.flag;
  return flag ?? undefined;
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
