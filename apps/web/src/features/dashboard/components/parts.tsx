// What every section of the wall screen is made of: its frame (title, when computed), its big
// figures and the wall's rules for words. On a desk screen (staff signed in) a figure is a link to
// the list behind it. Nothing on the wall is smaller than the tile's own 24 px (1em): what does not
// fit at that size is shortened here, with the whole text in its title, rather than made smaller.
import '../words.ts';
import type { ScreenSection } from '@cunzhi/contracts/dashboard';
import { type CSSProperties, createContext, type ReactNode, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { MaybeLink, RingGlyph } from './charts.tsx';
import { formatFigure, formatRate } from './figures.ts';

/** Whether figures link to their lists (a desk screen) or are plain (the wall). */
export const DeskLinks = createContext(false);

/** The address behind a figure on a desk screen, nothing on the wall. */
export function useLinkTo(): (path: string) => string | undefined {
  const desk = useContext(DeskLinks);
  return (path) => (desk ? path : undefined);
}

/**
 * A label whose part in brackets (环境事项（含乱搭乱建）) goes to the next line whole when the
 * line is full, never broken inside a word; `before` (a rate's ring) stays with the first word.
 */
export function Words({ text, before }: { text: string; before?: ReactNode }) {
  const at = text.search(/[（(]/);
  if (at <= 0)
    return (
      <span className="screen-words">
        {before}
        {text}
      </span>
    );
  return (
    <>
      <span className="screen-words">
        {before}
        {text.slice(0, at)}
      </span>
      <span className="screen-words">{text.slice(at)}</span>
    </>
  );
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

export type KpiProps = {
  figureKey: string;
  label: string;
  value: number | null;
  unit?: string;
  href?: string;
  /** Replaces the number (12 / 12). */
  text?: string;
  /** A rate 0..1: written as 93.4% with a ring before its name showing the share. */
  rate?: { colour?: string };
};

/** A big figure over its name. */
export function Kpi({ figureKey, label, value, unit, href, text, rate }: KpiProps) {
  return (
    <li className="screen-kpi">
      <MaybeLink href={href} className="screen-kpi-value">
        <span data-figure={figureKey} style={rate ? { color: rate.colour ?? '#5ad19a' } : undefined}>
          {text ?? (rate ? formatRate(value) : formatFigure(value))}
        </span>
        {unit && <small>{unit}</small>}
      </MaybeLink>
      <span className="screen-kpi-label">
        <Words text={label} before={rate && <RingGlyph value={value} colour={rate.colour ?? '#5ad19a'} />} />
      </span>
    </li>
  );
}

/** Big figures side by side, one column each (or `columns`), each at least as wide as its words. */
export function Kpis({ items, columns }: { items: KpiProps[]; columns?: number }) {
  return (
    <ul className="screen-kpis" style={{ '--columns': columns ?? items.length } as CSSProperties}>
      {items.map((item) => (
        <Kpi key={item.figureKey} {...item} />
      ))}
    </ul>
  );
}
