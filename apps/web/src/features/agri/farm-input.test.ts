import { describe, expect, it } from 'vitest';
import { amountProblem, areaProblem, countProblem, pastDateProblem, textProblem, todayInChina } from './farm-input.ts';

describe('farm input on the phone', () => {
  it('takes a plot of a sensible area and explains an impossible one', () => {
    expect(areaProblem('3.5', 10_000)).toBeUndefined();
    expect(areaProblem('', 10_000)?.key).toBe('agri.problems.required');
    expect(areaProblem('abc', 10_000)?.key).toBe('agri.problems.notNumber');
    expect(areaProblem('0', 10_000)?.key).toBe('agri.problems.areaTooSmall');
    expect(areaProblem('-2', 10_000)?.key).toBe('agri.problems.areaTooSmall');
    expect(areaProblem('10001', 10_000)).toEqual({ key: 'agri.problems.areaTooLarge', values: { max: 10_000 } });
  });

  it('takes whole head counts within bounds only', () => {
    expect(countProblem('300', 1, 100_000)).toBeUndefined();
    expect(countProblem('2.5', 1, 100_000)?.key).toBe('agri.problems.wholeNumber');
    expect(countProblem('0', 1, 100_000)?.key).toBe('agri.problems.countTooSmall');
    expect(countProblem('100001', 1, 100_000)?.key).toBe('agri.problems.countTooLarge');
    expect(countProblem('0', 0, 10)).toBeUndefined();
  });

  it('takes amounts from zero, and nothing when optional', () => {
    expect(amountProblem('', 1000, true)).toBeUndefined();
    expect(amountProblem('', 1000)?.key).toBe('agri.problems.required');
    expect(amountProblem('-1', 1000)?.key).toBe('agri.problems.negative');
    expect(amountProblem('1000.5', 1000)?.key).toBe('agri.problems.amountTooLarge');
    expect(amountProblem('12.5', 1000)).toBeUndefined();
  });

  it('refuses dates in the future (Beijing time) and dates that are not dates', () => {
    const today = '2026-12-02';
    expect(pastDateProblem('2026-12-02', today)).toBeUndefined();
    expect(pastDateProblem('2026-12-03', today)?.key).toBe('agri.problems.future');
    expect(pastDateProblem('2026-13-40', today)?.key).toBe('agri.problems.notDate');
    expect(pastDateProblem('1900-01-01', today)?.key).toBe('agri.problems.tooOld');
    expect(pastDateProblem('', today, true)).toBeUndefined();
    // 23:30 UTC on 1 December is already 2 December in Beijing.
    expect(todayInChina(Date.parse('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
  });

  it('bounds words', () => {
    expect(textProblem('  ', 10)?.key).toBe('agri.problems.required');
    expect(textProblem('  ', 10, true)).toBeUndefined();
    expect(textProblem('x'.repeat(11), 10)?.key).toBe('agri.problems.tooLong');
  });
});
