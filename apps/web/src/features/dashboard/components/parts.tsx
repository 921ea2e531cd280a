// What every section of the wall screen is made of: its frame (title, when computed) and its big
// figures. On a desk screen (staff signed in) a figure is a link to the list behind it.
import '../words.ts';
import type { ScreenSection } from '@cunzhi/contracts/dashboard';
import { createContext, type ReactNode, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { MaybeLink } from './charts.tsx';
import { formatFigure } from './figures.ts';

/** Whether figures link to their lists (a desk screen) or are plain (the wall). */
export const DeskLinks = createContext(false);

/** The address behind a figure on a desk screen, nothing on the wall. */
export function useLinkTo(): (path: string) => string | undefined {
  const desk = useContext(DeskLinks);
  return (path) => (desk ? path : undefined);
}

export function SectionFrame({ section, children, stale }: { section: ScreenSection; children: ReactNode; stale?: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="screen-section" data-section={section} aria-labelledby={`screen-${section}`}>
      <h2 id={`screen-${section}`}>{t(`screen.sections.${section}`)}</h2>
      {stale && <span className="screen-stale">{t('screen.stale')}</span>}
      <div className="screen-section-body">{children}</div>
    </section>
  );
}

export type KpiProps = { figureKey: string; label: string; value: number | null; unit?: string; href?: string; text?: string };

/** A big figure over its name. `text` replaces the number (a rate already written as 98.6%). */
export function Kpi({ figureKey, label, value, unit, href, text }: KpiProps) {
  return (
    <li className="screen-kpi">
      <MaybeLink href={href} className="screen-kpi-value">
        <span data-figure={figureKey}>{text ?? formatFigure(value)}</span>
        {unit && <small>{unit}</small>}
      </MaybeLink>
      <span className="screen-kpi-label">{label}</span>
    </li>
  );
}

/** Big figures side by side: as many columns as fit, or exactly `columns`. */
export function Kpis({ items, columns }: { items: KpiProps[]; columns?: number }) {
  return (
    <ul className="screen-kpis" style={columns ? { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` } : undefined}>
      {items.map((item) => (
        <Kpi key={item.figureKey} {...item} />
      ))}
    </ul>
  );
}
