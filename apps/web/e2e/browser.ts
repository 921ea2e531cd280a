import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium, headless, with nothing that reaches out to the network. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium), or CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The 390×844 phone the issues measured on (phonePage's other size). */
export const PHONE_390 = { width: 390, height: 844 } as const;

/** A fresh phone-sized page (360×740 unless told, Chinese), its own context so cookies never mix. */
export async function phonePage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 360, height: 740 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN' });
  return context.newPage();
}

/** A fresh desk-sized page (1280×800, Chinese). */
export async function deskPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return context.newPage();
}

/** Signs in through the login page and waits to leave it; a failed sign-in leaves a screenshot in the temp folder. */
export async function logIn(page: Page, baseUrl: string, phone: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL('**/login');
  await page.fill('input[name=phone]', phone);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page
    .waitForURL((url) => !url.pathname.startsWith('/login'))
    .catch(async (error) => {
      await page.screenshot({ path: path.join(os.tmpdir(), `cunzhi-login-${phone}.png`) });
      throw error;
    });
}

/**
 * The API as a signed-in person, from a test: signs in with the password and sends the session
 * cookie and CSRF token as the browser does; a body goes as JSON.
 */
export async function signedInApi(baseUrl: string, phone: string, password: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return (route: string, body?: unknown, method = 'POST') =>
    fetch(`${baseUrl}${route}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
}

/**
 * Picks a place in an open antd region tree-select, opening each level along `levels` (county first,
 * the place last). Children load lazily, and a click that lands while a node is still settling can
 * leave it closed: each level is clicked again until its child shows.
 */
export async function pickRegion(page: Page, levels: readonly string[]): Promise<void> {
  const title = (name: string) => page.locator('.ant-select-tree-title', { hasText: new RegExp(`^${name}$`) });
  for (const [i, name] of levels.slice(0, -1).entries()) {
    const child = levels[i + 1] as string;
    for (let attempt = 0; attempt < 5 && !(await title(child).isVisible()); attempt++) {
      await page.locator('.ant-select-tree-treenode', { hasText: name }).last().locator('.ant-select-tree-switcher').click();
      await title(child)
        .waitFor({ timeout: 4000 })
        .catch(() => undefined);
    }
    await title(child).waitFor();
  }
  await title(levels[levels.length - 1] as string).click();
}

/** Whether the element is wholly inside the page's viewport (seen where the person is looking). */
export async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  return !!box && !!viewport && box.y >= 0 && box.y + box.height <= viewport.height;
}

/**
 * A fresh browser (its own context, so cookies never mix) signed in as `who` through the API, with
 * the service worker blocked: a 390×844 touch phone, or the desk's 1280×800 with `desk`; `elder`
 * turns 长辈版 on before the first page draws.
 */
export async function signedInPage(
  world: { browser: Browser; baseUrl: string },
  who: string,
  options: { elder?: boolean; desk?: boolean; password?: string } = {},
): Promise<Page> {
  const context = await world.browser.newContext({
    viewport: options.desk ? { width: 1280, height: 800 } : { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    hasTouch: !options.desk,
    serviceWorkers: 'block',
  });
  if (options.elder) await context.addInitScript(() => localStorage.setItem('cunzhi.elderMode', '1'));
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const answer = await page.request.post(`${world.baseUrl}/api/auth/login`, {
    data: { phone: who, password: options.password ?? DEMO_PASSWORD },
  });
  if (answer.status() !== 200) throw new Error(`signing in as ${who}: ${answer.status()} ${await answer.text()}`);
  return page;
}

/**
 * Waits until the service worker has taken over a fresh page and the page has read its data again
 * through it (lib/offline-data.ts), and the worker has kept that: a test that then forgets some
 * kept answers, as on a phone that never had them, would otherwise see them kept again after.
 */
export async function workerTookOver(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null && document.documentElement.hasAttribute('data-read-again'));
  await page.waitForLoadState('networkidle');
  // The worker keeps an answer just after handing it over (event.waitUntil).
  await page.waitForTimeout(300);
}
