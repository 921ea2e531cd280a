// 通知 on a phone: the government information that reached me, unread first marked, opened to read.
// An urgent notice not yet read is listed first (the server's order); read while the page is open,
// it stays where it was until the page is opened again, rather than jumping away under the finger.
// Live: a notice that reaches me while the page is open is listed within a moment, no reload needed
// (the server streams notice.delivered to the people it reached, and to nobody else).
import '../words.ts';
import { NOTICE_DELIVERED_EVENT } from '@cunzhi/contracts/notices-live';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListEmpty } from '../../../components/ItemList.tsx';
import { Chip } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useCatchUpAfterBreak, useLiveEvents } from '../../../lib/use-live-events.ts';
import { NOTICES_KEY, useInbox, useNotice } from '../api/notices.ts';

function Opened({ id }: { id: string }) {
  const client = useQueryClient();
  const notice = useNotice(id);
  const loaded = Boolean(notice.data);
  // Opening marks it read on the server: the unread count follows once it has.
  useEffect(() => {
    if (loaded) void client.invalidateQueries({ queryKey: [NOTICES_KEY, 'inbox'] });
  }, [loaded, client]);
  if (!notice.data) return null;
  return (
    <div className="notice-body" data-testid="notice-body">
      <p>{notice.data.body}</p>
      {notice.data.attachments.map((a) => {
        const href = `/api/notices/${id}/attachments/${a.id}`;
        // Pictures (a poster, a map of the road works) show in the notice; files open on a tap.
        return (
          <a key={a.id} href={href} target="_blank" rel="noreferrer" className="notice-attachment">
            {a.contentType.startsWith('image/') ? <img src={href} alt={a.name} loading="lazy" /> : a.name}
          </a>
        );
      })}
    </div>
  );
}

/** The inbox asked again when a notice reaches me, and after a break in the stream (it may have come then). */
function useLiveInbox() {
  const client = useQueryClient();
  const askAgain = () => void client.invalidateQueries({ queryKey: [NOTICES_KEY, 'inbox'] });
  useCatchUpAfterBreak(useLiveEvents({ [NOTICE_DELIVERED_EVENT]: askAgain }), askAgain);
}

export default function NoticesPage() {
  const { t } = useTranslation();
  const inbox = useInbox();
  useLiveInbox();
  const [open, setOpen] = useState<string>();
  const toggle = (id: string) => setOpen(open === id ? undefined : id);
  // The urgent notices that came unread while this page is open keep their places at the top, in
  // the order first shown.
  const pinned = useRef(new Map<string, number>()).current;
  for (const n of inbox.data?.items ?? []) if (n.urgent && !n.read && !pinned.has(n.id)) pinned.set(n.id, pinned.size);
  const rank = (id: string) => pinned.get(id) ?? Number.POSITIVE_INFINITY;
  const items = [...(inbox.data?.items ?? [])].sort((a, b) => (rank(a.id) === rank(b.id) ? 0 : rank(a.id) < rank(b.id) ? -1 : 1));
  return (
    <div className="phone-page">
      <Panel
        title={t('notices.inbox')}
        extra={
          // No count before the inbox has arrived: "0条未读" while loading would be untrue.
          inbox.data && <Chip colour={inbox.data.unread > 0 ? 'red' : 'default'}>{t('notices.unread', { count: inbox.data.unread })}</Chip>
        }
      >
        {inbox.isLoading && <div className="item-list-empty">…</div>}
        {/* Offline and never loaded, it says so: "nothing there" would be untrue. */}
        {!inbox.isLoading && items.length === 0 && <ListEmpty empty={t('common.noData')} read={inbox} />}
        {items.map((n) => (
          <article key={n.id} className="task-card" data-testid="notice">
            <header>
              <button type="button" className="link-button task-title" onClick={() => toggle(n.id)}>
                {!n.read && (
                  <span className="dot" title={t('notices.new')}>
                    <span className="sr-only">{t('notices.new')}</span>
                  </span>
                )}
                {n.title}
              </button>
              {n.urgent && <Chip colour="red">{t('notices.urgent')}</Chip>}
            </header>
            <div className="muted">{formatWhen(n.sentAt)}</div>
            {open === n.id && <Opened id={n.id} />}
          </article>
        ))}
      </Panel>
    </div>
  );
}
