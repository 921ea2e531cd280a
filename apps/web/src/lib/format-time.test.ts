import { describe, expect, it } from 'vitest';
import { formatTime } from './format-time.ts';

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
