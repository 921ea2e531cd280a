// The wall screen's charts, drawn as plain SVG by us (no chart library, nothing fetched): each one
// scales with its box (viewBox), so the same chart serves a tile at 1920×1080, a rotating section
// and a 4K wall. Every chart carries its figures in words for a screen reader and a test. Their
// words are HTML, never SVG text: an SVG's text shrinks with its picture, below what a wall can show.
import type { ReactNode } from 'react';
import { formatFigure, shorten } from './figures.ts';
import { useWholeStage } from './stage.tsx';

/** `title`: the whole name when `label` is a short one. */
export type BarItem = { key: string; label: string; value: number; href?: string; title?: string };

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

/**
 * A name shortened to `ems` when longer, its whole self in the title; `title` makes it an
 * abbreviation (边缘户 for 边缘易致贫户).
 */
export function Shortened({ text, ems, title }: { text: string; ems: number; title?: string }) {
  const shown = shorten(text, ems);
  if (title) return <abbr title={title}>{shown}</abbr>;
  return shown === text ? text : <span title={text}>{shown}</span>;
}

/**
 * Horizontal bars, longest first as given: a label on the left, the bar, the figure on the right;
 * the labels share one column as wide as the longest, shortened to `labelEms` (full name in the title).
 */
export function Bars({ items, label, max: limit, labelEms = 7 }: { items: BarItem[]; label: string; max?: number; labelEms?: number }) {
  // A section alone on the stage has twice a tile's width in ems.
  const ems = useWholeStage() ? labelEms * 2 : labelEms;
  const shown = items.slice(0, limit ?? items.length);
  if (shown.length === 0) return <p className="screen-empty">暂无数据</p>;
  const max = Math.max(1, ...shown.map((item) => item.value));
  return (
    <ul className="screen-bars" aria-label={label}>
      {shown.map((item, i) => (
        <li key={item.key}>
          <MaybeLink href={item.href} className="screen-bar-label">
            <Shortened text={item.label} ems={ems} title={item.title} />
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

/** A rate (0..1) as a small ring beside its name (the figure itself is written above it). */
export function RingGlyph({ value, colour }: { value: number | null; colour: string }) {
  const r = 38;
  const circumference = 2 * Math.PI * r;
  const share = value === null ? 0 : Math.min(1, Math.max(0, value));
  return (
    <svg className="screen-ring" viewBox="0 0 100 100" aria-hidden="true">
      <circle cx="50" cy="50" r={r} fill="none" stroke="rgba(255,255,255,0.14)" strokeWidth="20" />
      <circle
        cx="50"
        cy="50"
        r={r}
        fill="none"
        stroke={colour}
        strokeWidth="20"
        strokeDasharray={`${share * circumference} ${circumference}`}
        transform="rotate(-90 50 50)"
      />
    </svg>
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

/**
 * Columns over time (a value per month or day), the last one marked, labelled under it: every
 * `labelEvery`th label counted back from the last (the others kept as room, not drawn).
 */
export function Columns({ items, label, labelEvery = 1 }: { items: BarItem[]; label: string; labelEvery?: number }) {
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
        {items.map((item, i) => (
          <span key={item.key} data-shown={(items.length - 1 - i) % labelEvery === 0}>
            <span>{item.label}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
