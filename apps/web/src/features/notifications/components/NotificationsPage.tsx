import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useSession } from '../../../lib/session.ts';
import { useMarkAllRead, useNotifications } from '../api/notifications.ts';
import { linkOf } from '../message-links.ts';

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
