// How the wall writes a figure: read from five metres, a long row of digits is worse than 12.3万.
// Written by hand (not Intl): the first Intl formatter loads ICU data in the first render.

/** 8,431 · 12.3万 · 1.25亿; negative and fractional figures as they come, to one decimal. */
export function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const n = Math.abs(value);
  if (n >= 100_000_000) return `${sign}${trim((n / 100_000_000).toFixed(2))}亿`;
  if (n >= 100_000) return `${sign}${trim((n / 10_000).toFixed(1))}万`;
  // Decimals only where they say something: 24.9 亩, but 1,089 亩.
  const tenths = n >= 100 ? Math.round(n) * 10 : Math.round(n * 10);
  const grouped = String(Math.floor(tenths / 10)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}`;
}

/** A share 0..1 as a percentage with one decimal below 100 (98.6%), '—' when there is nothing to divide. */
export function formatRate(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const percent = Math.min(100, Math.max(0, share * 100));
  return percent >= 99.95 || percent === 0 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

const trim = (text: string) => text.replace(/\.?0+$/, '');

/** Width in ems: a Chinese character (or full-width sign) is one, a Latin letter or digit about 0.6. */
const widthOf = (char: string) => (/[\u2e80-\uffef]/.test(char) ? 1 : 0.6);

/**
 * A name cut to `ems` of width, its ellipsis (one em) included, or as it is when it fits: the wall
 * shortens what does not fit at its smallest size instead of writing it smaller.
 */
export function shorten(text: string, ems: number): string {
  const chars = [...text];
  if (chars.reduce((sum, char) => sum + widthOf(char), 0) <= ems) return text;
  let width = 1;
  let kept = 0;
  while (kept < chars.length && width + widthOf(chars[kept] as string) <= ems) width += widthOf(chars[kept++] as string);
  return `${chars.slice(0, Math.max(1, kept)).join('')}…`;
}
