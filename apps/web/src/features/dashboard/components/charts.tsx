// The wall screen's charts, drawn as plain SVG by us (no chart library, nothing fetched): each one
// scales with its box (viewBox), so the same chart serves a tile at 1920×1080, a rotating section
// and a 4K wall. Every chart carries its figures in words for a screen reader and a test.
import type { ReactNode } from 'react';
import { formatFigure } from './figures.ts';

export type BarItem = { key: string; label: string; value: number; href?: string };

const PALETTE = ['#4cc9f0', '#5ad19a', '#f4b942', '#ff8a65', '#b39ddb', '#80cbc4', '#f48fb1', '#aed581'];
export const colourAt = (i: number) => PALETTE[i % PALETTE.length] as string;

/** A link on a desk screen, plain text on the wall. */
export function MaybeLink({ href, children, className }: { href?: string; children: ReactNode; className?: string }) {
  return href ? (
    <a className={className} href={href}>
      {children}
    </a>
  ) : (
    <span className={className}>{children}</span>
  );
}

/** Horizontal bars, longest first as given: a label on the left, the bar, the figure on the right. */
export function Bars({ items, label, max: limit }: { items: BarItem[]; label: string; max?: number }) {
  const shown = items.slice(0, limit ?? items.length);
  if (shown.length === 0) return <p className="screen-empty">暂无数据</p>;
  const max = Math.max(1, ...shown.map((item) => item.value));
  return (
    <ul className="screen-bars" aria-label={label}>
      {shown.map((item, i) => (
        <li key={item.key}>
          <MaybeLink href={item.href} className="screen-bar-label">
            {item.label}
          </MaybeLink>
          <svg className="screen-bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect x="0" y="0" width="100" height="10" rx="2" fill="rgba(255,255,255,0.08)" />
            <rect x="0" y="0" width={Math.max(0.8, (item.value / max) * 100)} height="10" rx="2" fill={colourAt(i)} />
          </svg>
          <span className="screen-bar-value" data-figure={item.key}>
            {formatFigure(item.value)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A rate (0..1) as a ring with its percentage in the middle and its name under it. */
export function Ring({
  value,
  label,
  figureKey,
  href,
  colour = '#5ad19a',
}: {
  value: number | null;
  label: string;
  figureKey: string;
  href?: string;
  colour?: string;
}) {
  const r = 40;
  const circumference = 2 * Math.PI * r;
  const share = value === null ? 0 : Math.min(1, Math.max(0, value));
  const text = value === null ? '—' : `${(share * 100).toFixed(share >= 0.995 || share === 0 ? 0 : 1)}%`;
  return (
    <MaybeLink href={href} className="screen-ring">
      <svg viewBox="0 0 100 100" role="img" aria-label={`${label} ${text}`}>
        <circle cx="50" cy="50" r={r} fill="none" stroke="rgba(255,255,255,0.1)" strokeWidth="10" />
        <circle
          cx="50"
          cy="50"
          r={r}
          fill="none"
          stroke={colour}
          strokeWidth="10"
          strokeLinecap={share > 0 ? 'round' : 'butt'}
          strokeDasharray={`${share * circumference} ${circumference}`}
          transform="rotate(-90 50 50)"
        />
        <text x="50" y="50" textAnchor="middle" dominantBaseline="central" className="screen-ring-text" data-figure={figureKey}>
          {text}
        </text>
      </svg>
      <span className="screen-ring-label">{label}</span>
    </MaybeLink>
  );
}

/** Shares of a whole as one stacked bar with a legend under it (matters by state). */
export function StackedBar({ items, label }: { items: BarItem[]; label: string }) {
  const total = items.reduce((sum, item) => sum + item.value, 0);
  let x = 0;
  return (
    <figure className="screen-stack" aria-label={label}>
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="0" width="100" height="8" rx="1.5" fill="rgba(255,255,255,0.08)" />
        {total > 0 &&
          items.map((item, i) => {
            const width = (item.value / total) * 100;
            const rect = <rect key={item.key} x={x} y="0" width={width} height="8" fill={colourAt(i)} />;
            x += width;
            return rect;
          })}
      </svg>
      <ul className="screen-legend">
        {items.map((item, i) => (
          <li key={item.key}>
            <span className="screen-swatch" style={{ background: colourAt(i) }} />
            <MaybeLink href={item.href}>{item.label}</MaybeLink>
            <b data-figure={item.key}>{formatFigure(item.value)}</b>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Columns over time (a value per month or day), the last one marked: the label of each under it. */
export function Columns({ items, label }: { items: BarItem[]; label: string }) {
  if (items.length === 0) return <p className="screen-empty">暂无数据</p>;
  const max = Math.max(1, ...items.map((item) => item.value));
  const step = 100 / items.length;
  return (
    <figure className="screen-columns" aria-label={label}>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true">
        {items.map((item, i) => {
          const height = (item.value / max) * 38;
          return (
            <rect
              key={item.key}
              x={i * step + step * 0.18}
              y={40 - height}
              width={step * 0.64}
              height={Math.max(0.4, height)}
              fill={i === items.length - 1 ? '#f4b942' : '#4cc9f0'}
            />
          );
        })}
      </svg>
      <figcaption>
        {items.map((item) => (
          <span key={item.key}>{item.label}</span>
        ))}
      </figcaption>
    </figure>
  );
}
