// The pictures in the README, taken from the demo county by the real app in chromium: the phone
// home (normal and elder mode), the report flow, the points page and the duty screen. Only with
// SCREENSHOTS=1 (`npm run screenshots`), so that a test run never rewrites docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCounty } from '../../server/src/demo-county.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { startWebWorld } from './web-world.ts';

const OUT = path.resolve(import.meta.dirname, '../../../docs/screenshots');
const VILLAGER = '13800000011';
const DOCTOR = '13800000007';

describe.runIf(process.env.SCREENSHOTS === '1')('README screenshots from the demo county', () => {
  let browser: Browser;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ baseUrl, browser, stop } = await startWebWorld('screenshots', async (deps) => {
      await loadDemoCounty(deps);
    }));
    fs.mkdirSync(OUT, { recursive: true });
  }, 180_000);
  afterAll(() => stop?.());

  async function signedIn(phone: string, viewport: { width: number; height: number }, elder = false): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN' });
    if (elder) await context.addInitScript({ content: "localStorage.setItem('cunzhi.elderMode', '1');" });
    const page = await context.newPage();
    const answer = await page.request.post(`${baseUrl}/api/auth/login`, { data: { phone, password: DEMO_PASSWORD } });
    expect(answer.status()).toBe(200);
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .page-loading'));
    await page.waitForTimeout(500);
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  }

  const PHONE = { width: 390, height: 844 };

  it('the phone home, normal and elder mode', { timeout: 120_000 }, async () => {
    for (const elder of [false, true]) {
      const page = await signedIn(VILLAGER, PHONE, elder);
      await page.goto(`${baseUrl}/`);
      await page.locator('.home-tiles a').first().waitFor();
      await shoot(page, elder ? 'phone-home-elder' : 'phone-home');
      await page.context().close();
    }
  });

  it('the report flow: a category, a few words, sent', { timeout: 120_000 }, async () => {
    const page = await signedIn(VILLAGER, PHONE);
    await page.goto(`${baseUrl}/m/report`);
    await page.locator('.choice').first().click();
    await page.getByLabel('2. 说说情况').fill('村口水井的盖子坏了，小孩子路过很危险，请尽快修一下。');
    await shoot(page, 'phone-report');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('已提交', { exact: false }).first().waitFor();
    await shoot(page, 'phone-report-sent');
    await page.context().close();
  });

  it('the points page', { timeout: 120_000 }, async () => {
    const page = await signedIn(VILLAGER, PHONE);
    await page.goto(`${baseUrl}/m/points`);
    await page.locator('[data-read-aloud] .panel').first().waitFor();
    await shoot(page, 'phone-points');
    await page.context().close();
  });

  it('the duty screen of elder care', { timeout: 120_000 }, async () => {
    const page = await signedIn(DOCTOR, { width: 1280, height: 800 });
    await page.goto(`${baseUrl}/care`);
    await page.locator('[data-read-aloud] > *').first().waitFor();
    await shoot(page, 'desk-care-duty');
    await page.context().close();
  });
});
