// The home page's one live stream (GET /api/events), however many of its figures it keeps current:
// one connection per page, not one per tile. An alarm streamed to me (raised, taken on or closed)
// asks the alarm figures again: the 关爱老人 tile's, and a family member's elder cards, so an SOS shows
// without a reload. A notice that has just reached me asks 通知's figure again, and 消息's, which the
// notice's message changed. Back from a break, what came meanwhile was never streamed: asked again then.
import { NOTICE_DELIVERED_EVENT } from '@cunzhi/contracts/notices-live';
import { useQueryClient } from '@tanstack/react-query';
import { useCatchUpAfterBreak, useLiveEvents } from '../../lib/use-live-events.ts';

/** Renders nothing; a component of its own so that the stream opening redraws nothing else. */
export function HomeLiveEvents({ alarms, notices }: { alarms: boolean; notices: boolean }) {
  const client = useQueryClient();
  const askAlarms = () => void client.invalidateQueries({ queryKey: ['home', 'alarms'] });
  const askNotices = () => {
    void client.invalidateQueries({ queryKey: ['home', 'notices'] });
    void client.invalidateQueries({ queryKey: ['home', 'notifications'] });
  };
  const handlers: Record<string, () => void> = {};
  if (alarms) handlers.alarm = askAlarms;
  if (notices) handlers[NOTICE_DELIVERED_EVENT] = askNotices;
  const live = useLiveEvents(handlers);
  useCatchUpAfterBreak(live, () => {
    if (alarms) askAlarms();
    if (notices) askNotices();
  });
  return null;
}
