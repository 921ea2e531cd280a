// A light card for phone pages: antd's Card brings tabs and dropdowns along.
import type { ReactNode } from 'react';

export function Panel({ title, extra, children }: { title?: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel">
      {(title || extra) && (
        <header className="panel-header">
          <h2>{title}</h2>
          {extra && <div>{extra}</div>}
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}
