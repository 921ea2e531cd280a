import { describe, expect, it } from 'vitest';
import { addWorkingHours, DEFAULT_CALENDAR } from './working-time.ts';

/** Local Asia/Shanghai time to epoch ms. */
const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('working time', () => {
  it('counts within one working day', () => {
    expect(addWorkingHours(at('2026-11-23T10:00:00'), 2)).toBe(at('2026-11-23T12:00:00'));
  });

  it('carries over the evening into the next morning', () => {
    // Monday 16:30 + 2 h: 1 h on Monday (to 17:30), 1 h from 09:00 on Tuesday.
    expect(addWorkingHours(at('2026-11-23T16:30:00'), 2)).toBe(at('2026-11-24T10:00:00'));
  });

  it('skips the weekend and starts reports made at night at the next opening', () => {
    expect(addWorkingHours(at('2026-11-27T17:00:00'), 1)).toBe(at('2026-11-30T09:30:00'));
    expect(addWorkingHours(at('2026-11-28T22:00:00'), 1)).toBe(at('2026-11-30T10:00:00'));
  });

  it('skips holidays and works on make-up days', () => {
    const calendar = { ...DEFAULT_CALENDAR, holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: ['2026-10-10'] };
    // Wednesday 30 Sep 17:00 + 1 h: 0.5 h that day; 1-2 Oct are holidays; Saturday 3 Oct is a weekend.
    expect(addWorkingHours(at('2026-09-30T17:00:00'), 1, calendar)).toBe(at('2026-10-05T09:30:00'));
    // Friday 9 Oct 17:00 + 1 h: the make-up Saturday 10 Oct counts.
    expect(addWorkingHours(at('2026-10-09T17:00:00'), 1, calendar)).toBe(at('2026-10-10T09:30:00'));
  });
});
