import { describe, expect, it } from 'vitest';
import { formatTime, formatWhen } from './format-time.ts';

const INTL = { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;

describe('times as the villages read them', () => {
  it('are China time, month/day hours:minutes, across midnight, month and year ends', () => {
    expect(formatTime('2026-12-02T06:27:00Z')).toBe('12/02 14:27');
    expect(formatTime('2026-12-01T16:05:00Z')).toBe('12/02 00:05');
    expect(formatTime('2026-02-28T16:30:00Z')).toBe('03/01 00:30');
    expect(formatTime('2026-12-31T16:00:00+00:00')).toBe('01/01 00:00');
  });

  it('read as Intl writes them in Chinese for any time since 1992', () => {
    const start = Date.UTC(1992, 0, 1);
    const span = Date.UTC(2040, 0, 1) - start;
    for (let i = 0; i < 5000; i++) {
      const at = new Date(start + Math.floor(Math.random() * span));
      expect(formatTime(at.toISOString())).toBe(at.toLocaleString('zh-CN', INTL));
    }
  });

  it('say "Invalid Date" for a time that cannot be read, as before', () => {
    expect(formatTime('not a time')).toBe('Invalid Date');
  });
});

describe('times on the phone pages, in words', () => {
  // 2026-12-03 10:00 in China.
  const NOW = Date.parse('2026-12-03T02:00:00Z');

  it('say 今天, 明天 and 昨天 by the China day, not the UTC one', () => {
    expect(formatWhen('2026-12-03T04:14:00Z', NOW)).toBe('今天 12:14');
    // 00:05 on 3 December in China is still 2 December in UTC.
    expect(formatWhen('2026-12-02T16:05:00Z', NOW)).toBe('今天 00:05');
    expect(formatWhen('2026-12-03T15:59:00Z', NOW)).toBe('今天 23:59');
    expect(formatWhen('2026-12-03T16:00:00Z', NOW)).toBe('明天 00:00');
    expect(formatWhen('2026-12-04T04:14:00Z', NOW)).toBe('明天 12:14');
    expect(formatWhen('2026-12-02T10:30:00Z', NOW)).toBe('昨天 18:30');
  });

  it('say the month and day in words, never "12/10", and the year only when it is not this one', () => {
    expect(formatWhen('2026-12-10T04:14:00Z', NOW)).toBe('12月10日 12:14');
    expect(formatWhen('2026-03-01T01:02:00Z', NOW)).toBe('3月1日 09:02');
    expect(formatWhen('2025-12-10T04:14:00Z', NOW)).toBe('2025年12月10日 12:14');
    expect(formatWhen('2026-12-31T16:30:00Z', NOW)).toBe('2027年1月1日 00:30');
    for (const at of ['2026-12-10T04:14:00Z', '2026-01-05T00:00:00Z', '2027-06-30T12:00:00Z'])
      expect(formatWhen(at, NOW)).not.toMatch(/\d\/\d/);
  });

  it('across the new year: 31 December is 昨天 on 1 January', () => {
    const newYear = Date.parse('2026-12-31T18:00:00Z'); // 02:00 on 1 January 2027 in China
    expect(formatWhen('2026-12-31T12:00:00Z', newYear)).toBe('昨天 20:00');
  });

  it('in English when the page is in English', () => {
    expect(formatWhen('2026-12-03T04:14:00Z', NOW, 'en')).toBe('today 12:14');
    expect(formatWhen('2026-12-04T04:14:00Z', NOW, 'en')).toBe('tomorrow 12:14');
    expect(formatWhen('2026-12-10T04:14:00Z', NOW, 'en')).toBe('10 Dec 12:14');
    expect(formatWhen('2025-12-10T04:14:00Z', NOW, 'en')).toBe('10 Dec 2025 12:14');
  });

  it('say "Invalid Date" for a time that cannot be read, as formatTime does', () => {
    expect(formatWhen('not a time', NOW)).toBe('Invalid Date');
  });
});
