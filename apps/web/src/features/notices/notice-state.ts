// A notice's state and time as its author should read them, on the desk's table and the phone's cards.
import type { Notice } from '@cunzhi/contracts/notices';

/**
 * One sent "now" is scheduled for this moment and goes out with the next run of the push job (up to
 * 10 s later), so it is 发送中, not 待发送.
 */
export function shownState(notice: Pick<Notice, 'state' | 'scheduledAt'>, now: number): string {
  return notice.state === 'scheduled' && notice.scheduledAt !== null && Date.parse(notice.scheduledAt) <= now ? 'sending' : notice.state;
}

/** The time that matters for the state: when it went out, when it will, or when it was written. */
export function noticeTime(notice: Pick<Notice, 'sentAt' | 'scheduledAt' | 'createdAt'>): {
  at: string;
  kind: 'sent' | 'scheduled' | 'written';
} {
  if (notice.sentAt) return { at: notice.sentAt, kind: 'sent' };
  if (notice.scheduledAt) return { at: notice.scheduledAt, kind: 'scheduled' };
  return { at: notice.createdAt, kind: 'written' };
}
