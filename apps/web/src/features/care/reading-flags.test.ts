// The elder card's summary agrees with the readings under it (issue 15): a latest reading out of
// range makes it a warning naming that reading (血压偏高，请留意), never an all-well beside a
// figure marked 偏高. The words themselves are checked in the browser (sos-everywhere.test.ts).
import type { Reading } from '@cunzhi/contracts/care';
import { describe, expect, it } from 'vitest';
import { elderSummary, readingFlag } from './reading-flags.ts';

let n = 0;
const reading = (kind: string, value: number, value2: number | null = null, flag?: Reading['flag']): Reading =>
  ({
    id: `r${++n}`,
    kind,
    value,
    value2,
    at: new Date(Date.UTC(2026, 11, 3, 0, n)).toISOString(),
    ...(flag !== undefined && { flag }),
  }) as Reading;

describe('the word beside a reading', () => {
  it("follows the server's word under the elder's rules, over the usual ranges either way", () => {
    // The doctor set this elder's blood-pressure alarm at 130: 135/80 is high for them.
    expect(readingFlag(reading('bloodPressure', 135, 80, 'high'))).toBe('high');
    // ...and at 170 for a known hypertensive: 151/85 is not, though the usual range would say so.
    expect(readingFlag(reading('bloodPressure', 151, 85, null))).toBeUndefined();
    expect(readingFlag(reading('heartRate', 55, null, 'low'))).toBe('low');
  });

  it('falls back to the usual ranges only for a reading the server said nothing of', () => {
    expect(readingFlag(reading('bloodPressure', 135, 80))).toBeUndefined();
    expect(readingFlag(reading('bloodPressure', 140, 80))).toBe('high');
    expect(readingFlag(reading('bloodPressure', 120, 92))).toBe('high');
    expect(readingFlag(reading('bloodPressure', 88, 70))).toBe('low');
    expect(readingFlag(reading('heartRate', 121))).toBe('high');
    expect(readingFlag(reading('heartRate', 120))).toBeUndefined();
    expect(readingFlag(reading('glucose', 3.8))).toBe('low');
    expect(readingFlag(reading('steps', 20_000))).toBeUndefined();
  });
});

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

  it("takes the server's word for each latest reading: all well beside a figure its elder's rules call normal", () => {
    expect(elderSummary(0, [reading('bloodPressure', 151, 85, null), reading('glucose', 6, null, null)])).toEqual({ tone: 'well' });
    expect(elderSummary(0, [reading('bloodPressure', 135, 80, 'high')])).toEqual({
      tone: 'watch',
      out: [{ kind: 'bloodPressure', flag: 'high' }],
    });
  });

  it('puts open alarms first, and is all well only when every latest reading is in range', () => {
    expect(elderSummary(2, [reading('bloodPressure', 160, 100)])).toEqual({ tone: 'alarm', alarms: 2 });
    expect(elderSummary(0, [reading('bloodPressure', 128, 82), reading('heartRate', 72)])).toEqual({ tone: 'well' });
    expect(elderSummary(0, [])).toEqual({ tone: 'well' });
  });
});
