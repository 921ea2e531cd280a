// A light list for phone pages: antd's List brings pagination and selects that phones never use.
import type { ReactNode } from 'react';

export type Item = { key: string; title: ReactNode; description?: ReactNode; extra?: ReactNode };

export function ItemList({ items, loading, empty }: { items: Item[]; loading?: boolean; empty: string }) {
  if (loading) return <div className="item-list-empty">…</div>;
  if (items.length === 0) return <div className="item-list-empty">{empty}</div>;
  return (
    <ul className="item-list">
      {items.map((item) => (
        <li key={item.key}>
          <div className="item-list-main">
            <div className="item-list-title">{item.title}</div>
            {item.description && <div className="item-list-description">{item.description}</div>}
          </div>
          {item.extra && <div className="item-list-extra">{item.extra}</div>}
        </li>
      ))}
    </ul>
  );
}
