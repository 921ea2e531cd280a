import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { ItemList } from '../../../components/ItemList.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { useMarkAllRead, useNotifications } from '../api/notifications.ts';

export default function NotificationsPage() {
  const { t } = useTranslation();
  const inbox = useNotifications();
  const markAll = useMarkAllRead();
  return (
    <Panel
      title={
        <>
          {t('notifications.title')}{' '}
          {inbox.data?.unread ? (
            <span className="count-badge" title={t('notifications.unread')}>
              {inbox.data.unread}
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
      <ItemList
        loading={inbox.isLoading}
        empty={t('notifications.empty')}
        items={(inbox.data?.items ?? []).map((n) => ({
          key: n.id,
          title: n.subjectType === 'case' && n.subjectId ? <Link to={`/cases/${n.subjectId}`}>{n.message}</Link> : n.message,
          description: formatTime(n.createdAt),
          extra: n.readAt ? null : <span className="unread-mark">{t('notifications.unread')}</span>,
        }))}
      />
    </Panel>
  );
}
