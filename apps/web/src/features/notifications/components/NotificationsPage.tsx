// 消息 on a phone or the desk: what happened to one's own matters, newest first. For a person of a
// household it is live for notices: a notice that reaches them while it is open shows here (as
// 另有 N 条未读通知) without a reload.
import { NOTICE_DELIVERED_EVENT } from '@cunzhi/contracts/notices-live';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useSession } from '../../../lib/session.ts';
import { useCatchUpAfterBreak, useLiveEvents } from '../../../lib/use-live-events.ts';
import { NOTIFICATIONS_KEY, useMarkAllRead, useNotifications } from '../api/notifications.ts';
import { linkOf } from '../message-links.ts';

/** Renders nothing: asks the messages again when a notice reaches me (a component, so only those who get notices open the stream). */
function LiveNoticeMessages() {
  const client = useQueryClient();
  const askAgain = () => void client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  useCatchUpAfterBreak(useLiveEvents({ [NOTICE_DELIVERED_EVENT]: askAgain }), askAgain);
  return null;
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  const inbox = useNotifications();
  const markAll = useMarkAllRead();
  // A person of a household reads notices on 通知 (/m/notices), where opening one marks its message
  // here read too: the count here leaves those out, as the home's 消息 tile does (home-counts.ts),
  // and each such message leads to 通知 instead of being a line that goes nowhere.
  const readsNotices = Boolean(useSession().data?.user.householdId);
  const unreadNotices = readsNotices ? (inbox.data?.unreadNotices ?? 0) : 0;
  const unread = (inbox.data?.unread ?? 0) - unreadNotices;
  return (
    <Panel
      title={
        <>
          {t('notifications.title')}{' '}
          {unread > 0 ? (
            <span className="count-badge" title={t('notifications.unread')}>
              {unread}
            </span>
          ) : null}
        </>
      }
      extra={
        // Offered only when there is something to mark: a greyed-out button is hard to read (2.1:1).
        inbox.data?.unread ? (
          <Button size="small" loading={markAll.isPending} onClick={() => markAll.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
        ) : null
      }
    >
      {readsNotices && <LiveNoticeMessages />}
      {unreadNotices > 0 && (
        <p className="notifications-notices">
          <Link to="/m/notices">{t('notifications.unreadNotices', { count: unreadNotices })}</Link>
        </p>
      )}
      <ItemList
        loading={inbox.isLoading}
        empty={t('notifications.empty')}
        items={(inbox.data?.items ?? []).map((n) => ({
          key: n.id,
          title: linkOf(n) ? <Link to={linkOf(n) as string}>{n.message}</Link> : n.message,
          description: formatWhen(n.createdAt),
          extra: n.readAt ? null : <span className="unread-mark">{t('notifications.unread')}</span>,
        }))}
      />
    </Panel>
  );
}
