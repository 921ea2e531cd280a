import { describe, expect, it } from 'vitest';
import { toIso } from './time.ts';

describe('toIso', () => {
  it('writes Asia/Shanghai time with its offset', () => {
    expect(toIso(Date.UTC(2026, 10, 28, 15, 4, 5, 6))).toBe('2026-11-28T23:04:05.006+08:00');
    expect(toIso(Date.UTC(2026, 11, 31, 16, 0, 0, 0))).toBe('2027-01-01T00:00:00.000+08:00');
    expect(toIso(0)).toBe('1970-01-01T08:00:00.000+08:00');
  });

  it('agrees with the platform clock for any instant', () => {
    for (let i = 0; i < 1000; i++) {
      const ms = Math.floor(Math.random() * 4e12);
      expect(new Date(toIso(ms)).getTime()).toBe(ms);
    }
  });
});
