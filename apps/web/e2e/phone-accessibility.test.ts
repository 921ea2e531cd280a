// The phone pages measured against the age-friendly rules they promise (issue 15; MIIT age-friendly
// app specification, 2021), in the demo county, on a 390×844 phone, as each phone role, in the
// normal and the elder mode (长辈版). Nothing is judged by eye: in the page, every visible text
// node's computed font size, its line-height ratio and its contrast against the background it is
// drawn on (WCAG 2 formula, backgrounds composited up the tree), and the box of every visible
// thing one can tap (phone-measure.ts). A breach is listed with page, mode, element and value, and fails the test.
//
//   normal mode: text ≥ 16 px, tap targets ≥ 48×48 px, contrast ≥ 4.5:1
//   elder mode:  text ≥ 18 px, line height ≥ 1.3, tap targets ≥ 60×60 px, contrast ≥ 4.5:1
//
// It also checks our own error pages: an unknown address and a page whose code fails to load.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCounty } from '../../server/src/demo-county.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { type Mode, measure, type Row, report, settle, trackRequests } from './phone-measure.ts';
import { startWebWorld } from './web-world.ts';

const PHONE_ROLES = [
  { role: 'villager', phone: '13800000011' },
  { role: 'gridWorker', phone: '13800000004' },
  { role: 'caretaker', phone: '13800000008' },
  { role: 'familyMember', phone: '13800000012' },
] as const;

const PHONE_PAGES = [
  '/',
  '/m/report',
  '/m/cases',
  '/m/tasks',
  '/m/points',
  '/m/services',
  '/m/notices',
  '/m/family',
  '/m/rounds',
  '/m/cameras',
  '/m/farm',
  '/notifications',
  '/m/devices',
];

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, stop, fresh } = await startWebWorld('phone-a11y', async (deps) => {
    await loadDemoCounty(deps);
  }));
}, 180_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

/** Signed in through the API. The offline service worker is kept out: what is measured is the page, not its cache. */
async function phoneAs(phone: string, serviceWorkers: 'allow' | 'block' = 'block'): Promise<Page> {
  const context = await browser.newContext({
    serviceWorkers,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    hasTouch: true,
  });
  // The test runner names the functions it sends to the page with a helper the page lacks.
  await context.addInitScript({ content: 'window.__name = (f) => f;' });
  const page = await context.newPage();
  trackRequests(page);
  // The machine running the tests may be busy: a slow first load is not a breach.
  page.setDefaultTimeout(60_000);
  const answer = await page.request.post(`${baseUrl}/api/auth/login`, { data: { phone, password: DEMO_PASSWORD } });
  expect(answer.status(), `signing in as ${phone}`).toBe(200);
  return page;
}

/** Sets the mode the app reads when it next starts (on the app's own origin: a blank page has no storage). */
async function setMode(page: Page, mode: Mode): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/`);
  await page.evaluate((on) => {
    if (on) localStorage.setItem('cunzhi.elderMode', '1');
    else localStorage.removeItem('cunzhi.elderMode');
  }, mode === 'elder');
}

/** Opens the page with a full load and waits for its data. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('[data-read-aloud], .error-page', { state: 'attached', timeout: 60_000 }).catch(async (error: Error) => {
    await page.screenshot({ path: `/tmp/cunzhi-a11y-${path.replaceAll('/', '_')}.png` }).catch(() => {});
    throw new Error(`${path} did not open (at ${page.url()}): ${error.message}`);
  });
  await settle(page, path);
}

/**
 * Goes to the page inside the running app, as its own links do (the router follows the address on
 * popstate), which spares a full load of the app per page, and waits until the page before it has
 * left and the new one has its data.
 */
async function navigate(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    for (const old of document.querySelectorAll('[data-read-aloud] > *')) old.setAttribute('data-a11y-left', '');
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page
    .waitForFunction(
      (to) =>
        location.pathname === to &&
        !document.querySelector('[data-a11y-left]') &&
        document.querySelector('[data-read-aloud] > *, .error-page') !== null,
      path,
      { timeout: 60_000 },
    )
    .catch(async (error: Error) => {
      await page.screenshot({ path: `/tmp/cunzhi-a11y-${path.replaceAll('/', '_')}.png` }).catch(() => {});
      throw new Error(`${path} did not open (at ${page.url()}): ${error.message}`);
    });
  await settle(page, path);
}

/**
 * The camera findings pages, for those who may see findings (the live view's map links to them on
 * the phone): the list, and one finding when there is one.
 */
async function cameraFindings(page: Page): Promise<string[]> {
  const first = await page.evaluate(async () => {
    const answer = await fetch('/api/monitoring/findings?limit=1');
    if (!answer.ok) return null;
    return ((await answer.json()) as { items: { id: string }[] }).items[0]?.id ?? '';
  });
  if (first === null) return [];
  return first ? ['/cameras/findings', `/cameras/findings/${first}`] : ['/cameras/findings'];
}

/** A case this person may open, for the case page: one they reported, one of their tasks, or one in their area. */
async function someCaseId(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => {
    for (const view of ['reported', 'mine', 'region']) {
      const answer = await fetch(`/api/cases?view=${view}&limit=1`);
      if (!answer.ok) continue;
      const page = (await answer.json()) as { items: { id: string }[] };
      if (page.items[0]) return page.items[0].id;
    }
    return undefined;
  });
}

describe('phone pages meet the age-friendly rules in both modes', () => {
  for (const { role, phone } of PHONE_ROLES) {
    it(`as a ${role}: every phone page, normal and elder mode`, { timeout: 600_000 }, async () => {
      const page = await phoneAs(phone);
      const rows: Row[] = [];
      for (const mode of ['normal', 'elder'] as const) {
        await setMode(page, mode);
        const caseId = await someCaseId(page);
        const findings = await cameraFindings(page);
        const pages = [...PHONE_PAGES, ...findings, ...(caseId ? [`/cases/${caseId}`] : [])];
        // The first page with a full load (the mode is read when the app starts), the others inside the app.
        for (const [index, path] of pages.entries()) {
          if (index === 0) await open(page, path);
          else await navigate(page, path);
          // The mode really is on: the switch says so in words, not only in colour.
          expect(await page.locator('.elder-switch-state').first().textContent()).toBe(mode === 'elder' ? '已开启' : '未开启');
          const shown = path.startsWith('/cases/') ? '/cases/:id' : path.startsWith('/cameras/findings/') ? '/cameras/findings/:id' : path;
          rows.push({ role, mode, page: shown, ...(await measure(page, mode)) });
          // The header is one row at 390 px (菜单 首页 … 长辈版 朗读), not two above every page (113 px, 137 in elder mode).
          if (path !== '/') await page.locator('.app-header .read-aloud-button').waitFor();
          expect((await page.locator('.app-header').boundingBox())?.height, `${mode} ${shown}`).toBeLessThanOrEqual(90);
        }
      }
      const text = report(rows);
      process.stdout.write(`\n${role}\n${text.split('\n').slice(0, 2).join('\n')}\n`);
      expect(rows.flatMap((r) => r.breaches).length, `breaches as ${role}:\n${text}`).toBe(0);
      await page.context().close();
    });
  }
});

describe("the village cadre's notices page on a phone", () => {
  // The cadre writes and follows notices from their phone as often as from the village office's
  // desk: /notices is a desk page, held to the phone's rules at 390 px (its table becomes cards).
  it('/notices as the cadre, normal and elder mode', { timeout: 300_000 }, async () => {
    const page = await phoneAs('13800000003');
    const rows: Row[] = [];
    for (const mode of ['normal', 'elder'] as const) {
      await setMode(page, mode);
      await open(page, '/notices');
      await page.getByTestId('audience-size').locator('strong').waitFor();
      await settle(page, '/notices');
      expect(await page.locator('.elder-switch-state').first().textContent()).toBe(mode === 'elder' ? '已开启' : '未开启');
      rows.push({ role: 'villageCadre', mode, page: '/notices', ...(await measure(page, mode)) });
    }
    const text = report(rows);
    process.stdout.write(`\nvillageCadre /notices\n${text}\n`);
    expect(rows.flatMap((r) => r.breaches).length, `breaches on /notices:\n${text}`).toBe(0);
    await page.context().close();
  });
});

describe('the phone home', () => {
  it('a villager finds 我要反映 first, sees unread figures in words, and is one tap from home on every page', {
    timeout: 120_000,
  }, async () => {
    const page = await phoneAs('13800000011');
    await open(page, '/');
    const tiles = page.locator('.home-tiles a');
    expect(await tiles.first().textContent()).toContain('我要反映');
    const labels = await tiles.allTextContents();
    for (const word of ['我的反映', '我的积分', '办事', '通知', '我的家人']) expect(labels.join('|')).toContain(word);
    await tiles.first().click();
    await page.waitForURL('**/m/report');
    await page.getByRole('link', { name: /首页/ }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.context().close();
  });

  it('elder mode is switched on the home page, is remembered after a reload, and makes the text larger', { timeout: 120_000 }, async () => {
    const page = await phoneAs('13800000011');
    await setMode(page, 'normal');
    await open(page, '/');
    const size = () =>
      page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('.home-tile-label') as Element).fontSize));
    const before = await size();
    await page.locator('.home-greeting .elder-switch').click();
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-elder'))).toBe(true);
    await page.reload();
    await open(page, '/m/points');
    expect(await page.locator('.elder-switch-state').first().textContent()).toBe('已开启');
    await open(page, '/');
    expect(await size()).toBeGreaterThan(before);
    await page.context().close();
  });

  it('the 朗读 button reads the page text in Chinese through speech synthesis, and says so when there is none', {
    timeout: 120_000,
  }, async () => {
    const page = await phoneAs('13800000011');
    await page.addInitScript(() => {
      const spoken: { text: string; lang: string }[] = [];
      (window as unknown as { spoken: typeof spoken }).spoken = spoken;
      Object.defineProperty(window, 'speechSynthesis', {
        configurable: true,
        value: {
          speaking: false,
          getVoices: () => [],
          speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang }),
          cancel: () => {},
          addEventListener: () => {},
          removeEventListener: () => {},
        },
      });
    });
    await open(page, '/');
    await page.locator('.home-greeting .read-aloud-button').click();
    const spoken = await page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
    expect(spoken.map((s) => s.text).join('')).toContain('欢迎');
    expect(spoken.map((s) => s.text).join('')).toContain('我要反映');
    // The 长辈版 switch beside the greeting is a control, not text of the page.
    expect(spoken.map((s) => s.text).join('')).not.toContain('长辈版');
    expect(new Set(spoken.map((s) => s.lang))).toEqual(new Set(['zh-CN']));
    await page.context().close();

    const without = await phoneAs('13800000011');
    await without.addInitScript(() => {
      delete (window as { speechSynthesis?: unknown }).speechSynthesis;
      Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined });
    });
    await open(without, '/');
    await without.locator('.home-greeting .read-aloud-button').click();
    await without.getByText('这台手机不支持朗读').first().waitFor();
    await without.context().close();
  });

  it('a family member sees their elder on the home page with a call button', { timeout: 120_000 }, async () => {
    const page = await phoneAs('13800000012');
    await open(page, '/');
    const elder = page.locator('.elder-state').first();
    await elder.waitFor();
    await expect.poll(() => elder.locator('.elder-state-line').count()).toBeGreaterThan(1);
    expect(await elder.getByRole('button', { name: /打电话给/ }).count()).toBe(1);
    await page.context().close();
  });
});

describe('our own error pages', () => {
  it('an unknown address shows our Chinese page with a way home, signed in or not', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const stranger = await context.newPage();
    stranger.setDefaultTimeout(60_000);
    await stranger.goto(`${baseUrl}/no/such/page`);
    await stranger.getByRole('heading', { name: '找不到这个页面' }).waitFor();
    expect(await stranger.getByText('Page not found').count()).toBe(1);
    expect(await stranger.getByText('Unexpected Application Error').count()).toBe(0);
    // A missing file is a 404, never the app's page: a browser or the service worker would take
    // index.html for the script and the app would hang on 正在打开….
    for (const file of ['/assets/index-missing.js', '/icons/missing.png']) {
      const missing = await context.request.get(`${baseUrl}${file}`);
      expect(missing.status()).toBe(404);
      expect(missing.headers()['content-type']).not.toContain('text/html');
    }
    await context.close();

    const page = await phoneAs('13800000011');
    await page.goto(`${baseUrl}/m/nothing-here`);
    await page.getByRole('heading', { name: '找不到这个页面' }).waitFor();
    await page.getByRole('link', { name: '回到首页' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator('.home-tiles').waitFor();
    await page.context().close();
  });

  it('a page whose code fails to load shows our page, not the router developer page', { timeout: 120_000 }, async () => {
    // Without the offline service worker, which would serve the page's code from its cache.
    const page = await phoneAs('13800000011', 'block');
    await open(page, '/');
    // The points page's code cannot be fetched (a new version replaced it, or the network broke off).
    await page.route(/\/assets\/MyPointsPage-[^/]+\.js$/, (route) => route.abort());
    await page
      .locator('.home-tiles a[href="/m/points"]')
      .click({ timeout: 20_000 })
      .catch(async (error: Error) => {
        await page.screenshot({ path: '/tmp/cunzhi-code-fails.png' });
        throw error;
      });
    await page.getByRole('heading', { name: '页面出错了' }).waitFor();
    expect(await page.getByText('Unexpected Application Error').count()).toBe(0);
    expect(await page.getByRole('link', { name: '回到首页' }).count()).toBe(1);
    await page.context().close();
  });
});
