// A light list for phone pages: antd's List brings pagination and selects that phones never use.
//
// A list with nothing in it because its read never came (no network, nothing kept for offline use)
// says "not loaded yet", never its empty state: a villager offline must not be told they have no
// applications or reports when the phone merely has not fetched them (lib/offline-data.ts).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { notLoadedForNetwork, type ReadState, useSomeReadNotLoaded } from '../lib/offline-data.ts';

/** `below`: drawn under the row across its whole width (the question a tap on the row's button asks). */
export type Item = { key: string; title: ReactNode; description?: ReactNode; extra?: ReactNode; below?: ReactNode };

/**
 * What an empty list says: its empty text, or "not loaded yet" when its read (`read`; without one,
 * any read the page shows) has nothing for want of network.
 */
export function ListEmpty({ empty, read }: { empty: string; read?: ReadState }) {
  const { t } = useTranslation('offline');
  const anyNotLoaded = useSomeReadNotLoaded();
  const notLoaded = read ? notLoadedForNetwork(read) : anyNotLoaded;
  if (notLoaded)
    return (
      <div className="item-list-empty" role="status" data-testid="not-loaded">
        {t('notLoaded')}
      </div>
    );
  return <div className="item-list-empty">{empty}</div>;
}

export function ItemList({ items, loading, empty, read }: { items: Item[]; loading?: boolean; empty: string; read?: ReadState }) {
  if (loading) return <div className="item-list-empty">…</div>;
  if (items.length === 0) return <ListEmpty empty={empty} read={read} />;
  return (
    <ul className="item-list">
      {items.map((item) => (
        <li key={item.key}>
          <div className="item-list-main">
            <div className="item-list-title">{item.title}</div>
            {item.description && <div className="item-list-description">{item.description}</div>}
          </div>
          {item.extra && <div className="item-list-extra">{item.extra}</div>}
          {item.below && <div className="item-list-below">{item.below}</div>}
        </li>
      ))}
    </ul>
  );
}
