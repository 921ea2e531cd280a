import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/** A fresh phone-sized page (360×740, Chinese), its own context so cookies never mix. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
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
