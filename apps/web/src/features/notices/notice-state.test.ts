import { describe, expect, it } from 'vitest';
import { noticeTime, shownState } from './notice-state.ts';

const NOW = Date.parse('2026-12-03T04:00:00Z');

describe("a notice's state as its author reads it", () => {
  it('is 发送中 once its time has come and the push job has not yet run, and 待发送 before', () => {
    expect(shownState({ state: 'scheduled', scheduledAt: '2026-12-03T03:59:59Z' }, NOW)).toBe('sending');
    expect(shownState({ state: 'scheduled', scheduledAt: '2026-12-04T01:00:00Z' }, NOW)).toBe('scheduled');
    expect(shownState({ state: 'sent', scheduledAt: '2026-12-03T03:00:00Z' }, NOW)).toBe('sent');
    expect(shownState({ state: 'draft', scheduledAt: null }, NOW)).toBe('draft');
  });

  it('is timed by when it went out, else when it will, else when it was written', () => {
    const createdAt = '2026-12-01T00:00:00Z';
    expect(noticeTime({ sentAt: '2026-12-02T00:00:00Z', scheduledAt: '2026-12-01T23:59:00Z', createdAt })).toEqual({
      at: '2026-12-02T00:00:00Z',
      kind: 'sent',
    });
    expect(noticeTime({ sentAt: null, scheduledAt: '2026-12-04T01:00:00Z', createdAt })).toEqual({
      at: '2026-12-04T01:00:00Z',
      kind: 'scheduled',
    });
    expect(noticeTime({ sentAt: null, scheduledAt: null, createdAt })).toEqual({ at: createdAt, kind: 'written' });
  });
});
