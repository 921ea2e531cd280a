// The word beside a reading (偏高/偏低) under the rules that raise this elder's alarms, so the family
// and the doctor read one verdict (issue 15): a page with fixed ranges showed 135 as normal to the
// family of an elder whose doctor had set the blood-pressure alarm at 130. Pure; the readings route
// sends it with each reading.
import { flagReading, type Measure, type ReadingFlag, USUAL_OUT } from '@cunzhi/contracts/care-reading-flags';
import { type Cause, crosses, type ElderRules, effectiveRules } from './care-rules.ts';

/** The alarm rule that speaks for each measure's side; a diastolic pressure has none. */
const CAUSE_OF: Partial<Record<Measure, Record<ReadingFlag, Cause>>> = {
  systolic: { high: 'systolicHigh', low: 'systolicLow' },
  heartRate: { high: 'heartHigh', low: 'heartLow' },
  glucose: { high: 'glucoseHigh', low: 'glucoseLow' },
};

/**
 * A reading's flag under an elder's rules, side by side: where the elder's own rule sets a limit
 * (the doctor's call), that limit alone decides; elsewhere the usual ranges, and also any county
 * alarm threshold crossed (so a value that raises an alarm is never shown as normal). A rule the
 * elder has switched off, and a diastolic pressure, say nothing: the usual ranges alone.
 */
export function readingFlagUnder(
  reading: { kind: string; value1: number | null; value2: number | null },
  own: ElderRules | null,
): ReadingFlag | null {
  const thresholds = effectiveRules(own).thresholds;
  return flagReading({ kind: reading.kind, value: reading.value1, value2: reading.value2 }, (measure, side, value) => {
    const cause = CAUSE_OF[measure]?.[side];
    const rule = cause && thresholds.find((t) => t.cause === cause);
    const alarmed = rule ? crosses(rule, value) : false;
    if (rule && own?.[rule.cause]?.limit !== undefined) return alarmed;
    return alarmed || USUAL_OUT[measure][side](value);
  });
}
