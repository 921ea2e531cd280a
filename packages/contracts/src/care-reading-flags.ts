// When a reading is marked 偏高/偏低 beside its figure. The server decides it under the elder's own
// alarm rules and sends it with each reading (Reading.flag); the usual ranges here fill in where
// those rules say nothing, on the server and, for a reading that came without the server's word
// (one cached before the server said it), on the phone. One set of numbers for both.

export type ReadingFlag = 'high' | 'low';

/** What a reading's two values measure, by kind: value, then value2. Other kinds are never flagged. */
export const FLAGGED_MEASURES = {
  bloodPressure: ['systolic', 'diastolic'],
  heartRate: ['heartRate'],
  glucose: ['glucose'],
} as const satisfies Record<string, readonly string[]>;

export type Measure = (typeof FLAGGED_MEASURES)[keyof typeof FLAGGED_MEASURES][number];

/**
 * The usual ranges: blood pressure 140/90 and over or under 90/60, heart rate outside 50–120,
 * glucose over 11.1 or under 3.9 mmol/L.
 */
export const USUAL_OUT: Record<Measure, Record<ReadingFlag, (value: number) => boolean>> = {
  systolic: { high: (v) => v >= 140, low: (v) => v < 90 },
  diastolic: { high: (v) => v >= 90, low: (v) => v < 60 },
  heartRate: { high: (v) => v > 120, low: (v) => v < 50 },
  glucose: { high: (v) => v > 11.1, low: (v) => v < 3.9 },
};

/** Whether one measure's value is out on one side. */
export type OutCheck = (measure: Measure, side: ReadingFlag, value: number) => boolean;

const usualOut: OutCheck = (measure, side, value) => USUAL_OUT[measure][side](value);

/**
 * A reading's flag under a check (the usual ranges unless told): high if any of its values is high
 * (a blood pressure high on either figure), else low if any is low, else null.
 */
export function flagReading(
  reading: { kind: string; value: number | null; value2: number | null },
  out: OutCheck = usualOut,
): ReadingFlag | null {
  const measures: readonly Measure[] = (FLAGGED_MEASURES as Record<string, readonly Measure[] | undefined>)[reading.kind] ?? [];
  if (reading.value === null) return null;
  const values = [reading.value, reading.value2];
  for (const side of ['high', 'low'] as const) {
    for (const [index, measure] of measures.entries()) {
      const value = values[index];
      if (value !== null && value !== undefined && out(measure, side, value)) return side;
    }
  }
  return null;
}
