// The phone-page measurements of issue 15 (the MIIT age-friendly rules), shared by the browser tests
// that hold phone pages to them: phone-accessibility.test.ts measures every phone page as every
// phone role, and a feature's own test (agri.test.ts) measures its pages in the state its flow
// leaves them. In the page, every visible text node's computed font size, its line-height ratio and
// its contrast against the background it is drawn on (WCAG 2 formula, backgrounds composited up the
// tree), and the box of every visible thing one can tap.
//
//   normal mode: text ≥ 16 px, tap targets ≥ 48×48 px, contrast ≥ 4.5:1
//   elder mode:  text ≥ 18 px, line height ≥ 1.3, tap targets ≥ 60×60 px, contrast ≥ 4.5:1
import type { Page, Request } from 'playwright-core';

export type Mode = 'normal' | 'elder';
export const RULES: Record<Mode, { text: number; lineHeight: number | null; target: number; contrast: number }> = {
  normal: { text: 16, lineHeight: null, target: 48, contrast: 4.5 },
  elder: { text: 18, lineHeight: 1.3, target: 60, contrast: 4.5 },
};

export type Breach = { kind: 'text' | 'lineHeight' | 'contrast' | 'target'; element: string; value: string };
export type Measured = { texts: number; targets: number; unknownBackground: number; breaches: Breach[] };

/** What the page has asked the server for and not yet fully received (the live event stream never ends: left out). */
export const inFlight = new WeakMap<Page, Set<Request>>();

export function trackRequests(page: Page): void {
  const open = new Set<Request>();
  inFlight.set(page, open);
  page.on('request', (request) => {
    if (request.resourceType() !== 'eventsource') open.add(request);
  });
  page.on('requestfinished', (request) => open.delete(request));
  page.on('requestfailed', (request) => open.delete(request));
}

/**
 * Waits until the page has its data and has drawn it: nothing asked of the server is still on its
 * way (data, code, pictures), no spinner, skeleton or "…" placeholder, every eager picture loaded,
 * and all of that still so after two animation frames (a late answer's render lands in between). A
 * page that never settles within the minute a busy machine is given fails, naming what it waits for.
 */
export async function settle(page: Page, path: string): Promise<void> {
  const drawn = () =>
    !document.querySelector('.ant-spin-spinning, .ant-skeleton, .page-loading') &&
    ![...document.querySelectorAll('.item-list-empty')].some((placeholder) => placeholder.textContent === '…') &&
    [...document.images].every((image) => image.complete || image.loading === 'lazy');
  const twoFrames = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const waiting = inFlight.get(page)?.size ?? 0;
    if (waiting === 0 && (await page.evaluate(drawn))) {
      await page.evaluate(twoFrames);
      if ((inFlight.get(page)?.size ?? 0) === 0 && (await page.evaluate(drawn))) return;
    }
    if (Date.now() > deadline) {
      await page.screenshot({ path: `/tmp/cunzhi-a11y-${path.replaceAll('/', '_')}.png` }).catch(() => {});
      throw new Error(
        `${path} never settled (${waiting} requests open: ${[...(inFlight.get(page) ?? [])].map((r) => r.url()).join(', ')})`,
      );
    }
    await page.waitForTimeout(50);
  }
}

/** Runs in the page: the measuring itself. Kept free of outside names, since it is sent to the browser as text. */
export function measureInPage(rules: { text: number; lineHeight: number | null; target: number; contrast: number }): Measured {
  type Rgba = [number, number, number, number];
  const parse = (colour: string): Rgba | null => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m?.[1]) return null;
    const parts = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: 0 | 1 | 2) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const f = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
    return (x + 0.05) / (y + 0.05);
  };
  const describe = (el: Element) => {
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).slice(0, 3).join('.')}` : '';
    const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24);
    return `<${el.tagName.toLowerCase()}${cls}> "${label}"`;
  };
  const visible = (el: Element) => {
    if (!(el as HTMLElement).checkVisibility?.({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }))
      return false;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) return false;
    // Clipped away for screen readers only (.sr-only) or pushed off the page.
    const style = getComputedStyle(el);
    if (style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') return false;
    if (rect.right <= 0 || rect.left >= document.documentElement.scrollWidth) return false;
    return !el.closest('[aria-hidden="true"], [inert]');
  };
  /** The colour under an element: its own and its ancestors' backgrounds laid over the white canvas; null under a picture. */
  const background = (el: Element): Rgba | null => {
    const layers: Rgba[] = [];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none' && !style.backgroundImage.startsWith('linear-gradient(rgba(0, 0, 0, 0)')) return null;
      const colour = parse(style.backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] === 1) break;
    }
    let under: Rgba = [255, 255, 255, 1];
    for (const layer of layers.reverse()) under = over(layer, under);
    return under;
  };
  const disabled = (el: Element) => Boolean(el.closest(':disabled, [aria-disabled="true"], .ant-btn-disabled, .ant-input-disabled'));

  const breaches: Breach[] = [];
  let texts = 0;
  let unknownBackground = 0;
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent?.trim() || seen.has(el)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(el.tagName) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    seen.add(el);
    texts++;
    const style = getComputedStyle(el);
    const size = Number.parseFloat(style.fontSize);
    if (size < rules.text - 0.01) breaches.push({ kind: 'text', element: describe(el), value: `${size}px` });
    if (rules.lineHeight !== null) {
      const lineHeight = style.lineHeight === 'normal' ? null : Number.parseFloat(style.lineHeight) / size;
      if (lineHeight === null || lineHeight < rules.lineHeight - 0.005) {
        breaches.push({ kind: 'lineHeight', element: describe(el), value: lineHeight === null ? 'normal' : lineHeight.toFixed(2) });
      }
    }
    if (disabled(el)) continue;
    const under = background(el);
    const fg = parse(style.color);
    if (!under || !fg) {
      unknownBackground++;
      continue;
    }
    const contrast = ratio(over(fg, under), under);
    if (contrast < rules.contrast) {
      breaches.push({
        kind: 'contrast',
        element: describe(el),
        value: `${contrast.toFixed(2)}:1 (${style.color} on rgb(${under.slice(0, 3).map(Math.round).join(', ')}))`,
      });
    }
  }

  // What a finger can tap. A box or radio inside its label is tapped through the label: the label is measured.
  const TAPPABLE =
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=switch], [role=checkbox], [role=radio], [role=tab], [role=link], [role=menuitem], [role=option], [tabindex]:not([tabindex="-1"])';
  let targets = 0;
  const measured = new Set<Element>();
  for (const candidate of document.querySelectorAll(TAPPABLE)) {
    let el: Element = candidate;
    if (candidate instanceof HTMLInputElement && ['checkbox', 'radio', 'file'].includes(candidate.type)) {
      const label =
        candidate.closest('label') ?? (candidate.id ? document.querySelector(`label[for="${CSS.escape(candidate.id)}"]`) : null);
      if (label) el = label;
    }
    // antd's inner parts of one control (the search input inside a select) are one target with it.
    const control = el.closest(
      '.ant-select, .ant-picker, .ant-input-affix-wrapper, .ant-input-number, .ant-checkbox-wrapper, .ant-radio-wrapper',
    );
    if (control) el = control;
    if (measured.has(el) || !visible(el)) continue;
    measured.add(el);
    targets++;
    const rect = el.getBoundingClientRect();
    if (rect.width < rules.target - 0.5 || rect.height < rules.target - 0.5) {
      breaches.push({ kind: 'target', element: describe(el), value: `${Math.round(rect.width)}×${Math.round(rect.height)}` });
    }
  }
  return { texts, targets, unknownBackground, breaches };
}

export async function measure(page: Page, mode: Mode): Promise<Measured> {
  return page.evaluate(measureInPage, RULES[mode]);
}

export type Row = { role: string; mode: Mode; page: string } & Measured;

export function report(rows: Row[]): string {
  const lines = rows.flatMap((row) => row.breaches.map((b) => `  [${row.mode}] ${row.role} ${row.page} ${b.kind} ${b.value} ${b.element}`));
  const summary = (['normal', 'elder'] as const).map((mode) => {
    const of = rows.filter((r) => r.mode === mode);
    const count = (kind: Breach['kind']) => of.reduce((n, r) => n + r.breaches.filter((b) => b.kind === kind).length, 0);
    return `${mode}: ${of.length} pages, ${of.reduce((n, r) => n + r.texts, 0)} texts, ${of.reduce((n, r) => n + r.targets, 0)} targets; breaches: text ${count('text')}, line height ${count('lineHeight')}, contrast ${count('contrast')}, target ${count('target')}; text on pictures not judged: ${of.reduce((n, r) => n + r.unknownBackground, 0)}`;
  });
  return [...summary, ...lines].join('\n');
}
