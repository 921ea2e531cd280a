// The elder card's summary agrees with the readings under it (issue 15): a latest reading out of
// range makes it a warning naming that reading (血压偏高，请留意), never an all-well beside a
// figure marked 偏高. The words themselves are checked in the browser (sos-everywhere.test.ts).
import type { Reading } from '@cunzhi/contracts/care';
import { describe, expect, it } from 'vitest';
import { elderSummary } from './reading-flags.ts';

let n = 0;
const reading = (kind: string, value: number, value2: number | null = null): Reading =>
  ({ id: `r${++n}`, kind, value, value2, at: new Date(Date.UTC(2026, 11, 3, 0, n)).toISOString() }) as Reading;

describe("the elder card's summary", () => {
  it('is a warning naming a high blood pressure, not all well', () => {
    expect(elderSummary(0, [reading('bloodPressure', 151, 88), reading('heartRate', 72)])).toEqual({
      tone: 'watch',
      out: [{ kind: 'bloodPressure', flag: 'high' }],
    });
  });

  it('names every latest reading out of range, and only the latest of each kind', () => {
    const readings = [
      reading('heartRate', 40),
      reading('bloodPressure', 151, 95),
      reading('bloodPressure', 120, 80),
      reading('glucose', 3.2),
    ];
    expect(elderSummary(0, readings)).toEqual({
      tone: 'watch',
      out: [
        { kind: 'heartRate', flag: 'low' },
        { kind: 'glucose', flag: 'low' },
      ],
    });
  });

  it('puts open alarms first, and is all well only when every latest reading is in range', () => {
    expect(elderSummary(2, [reading('bloodPressure', 160, 100)])).toEqual({ tone: 'alarm', alarms: 2 });
    expect(elderSummary(0, [reading('bloodPressure', 128, 82), reading('heartRate', 72)])).toEqual({ tone: 'well' });
    expect(elderSummary(0, [])).toEqual({ tone: 'well' });
  });
});
