// Issue 15's newcomer, in chromium on the demo county: a double tap on 签到 is one visit (the form
// mints the visit's id once and waits while sending); the phone's back button closes the 确定退出
// question on /m/devices and the page stays (the duty screen's sound question stays until answered:
// a history entry of its own lost the sign-in page's "session ended" notice); the duty screen's
// 处置情况 box and the case desk's tabs are tap targets (60 px in elder mode, 48 px otherwise).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_GATEWAY_KEY } from '../../server/src/modules/care/care.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInPage } from './browser.ts';
import { startDemoWorld } from './web-world.ts';

const DOCTOR = '13800000007';
const CARETAKER = '13800000008';
const HANDLER = '13800000006';
const SOS = 'HT-SOS-0001';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh } = await startDemoWorld('taps-back-and-sizes'));
}, 240_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

const back = (page: Page) => page.evaluate(() => window.history.back());
const heightOf = async (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().height)));

async function visitsBy(phone: string): Promise<number> {
  const user = await deps.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  const rows = await deps.db.selectFrom('care_visits').select('id').where('by_user_id', '=', user.id).execute();
  return rows.length;
}

describe('checking a visit in', { timeout: 120_000 }, () => {
  it('is one visit however the 签到 button is tapped twice', async () => {
    const page = await signedInPage({ browser, baseUrl }, CARETAKER);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/visits$/.test(request.url())) posts.push(request.headers()['idempotency-key'] ?? '');
    });
    await page.goto(`${baseUrl}/m/rounds`);
    const cards = page.locator('article[data-testid^="round-"]');
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThan(1);
    const before = await visitsBy(CARETAKER);

    // A double tap, as a thumb makes it.
    const first = cards.nth(0);
    await first.getByRole('button', { expanded: false }).click();
    await first.getByRole('button', { name: /签\s*到/ }).dblclick();
    await first.getByTestId('check-in-done').waitFor();
    await expect.poll(() => visitsBy(CARETAKER)).toBe(before + 1);

    // Two taps landing in the same moment, before the page has drawn anything in between.
    const second = cards.nth(1);
    await second.getByRole('button', { expanded: false }).click();
    const button = second.getByRole('button', { name: /签\s*到/ });
    await button.evaluate((node) => {
      (node as HTMLButtonElement).click();
      (node as HTMLButtonElement).click();
    });
    await second.getByTestId('check-in-done').waitFor();
    await expect.poll(() => visitsBy(CARETAKER)).toBe(before + 2);
    // Whatever the outbox still had to send has gone, and nothing more was recorded.
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-testid="outbox-banner"]') === null)).toBe(true);
    await page.waitForTimeout(1000);
    expect(await visitsBy(CARETAKER)).toBe(before + 2);
    expect(new Set(posts).size).toBe(posts.length);
    await page.context().close();
  });
});

describe('the phone back button closes inline questions', { timeout: 120_000 }, () => {
  it('closes 确定退出 on /m/devices and stays on the page', async () => {
    const elsewhere = await signedInPage({ browser, baseUrl }, CARETAKER);
    const page = await signedInPage({ browser, baseUrl }, CARETAKER);
    await page.goto(`${baseUrl}/m/devices`);
    const devices = page.getByTestId('device');
    await expect.poll(() => devices.count()).toBe(2);
    const other = page.locator('[data-testid="device"]:not([data-current])');
    await other.getByRole('button', { name: /^退出 / }).click();
    const question = page.locator('fieldset.device-confirm');
    await question.getByRole('button', { name: '确定退出' }).waitFor();
    await back(page);
    await question.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/m/devices');
    expect(await devices.count()).toBe(2);

    // The question for all the other devices too; and a second back then leaves the page as usual.
    await page.getByRole('button', { name: '退出其他设备' }).click();
    await question.waitFor();
    await back(page);
    await question.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/m/devices');
    expect(await devices.count()).toBe(2);
    await elsewhere.context().close();
    await page.context().close();
  });
});

describe('tap targets', { timeout: 120_000 }, () => {
  it("makes /care's 处置情况 box 60 px in elder mode and 48 otherwise, and /cases' tabs at least 48", async () => {
    const sos = await fetch(`${baseUrl}/api/care/readings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ device: SOS, id: `e2e-${SOS}-${Date.now()}`, kind: 'sos', at: new Date().toISOString() }] }),
    });
    expect(sos.status).toBe(200);
    for (const elder of [true, false]) {
      const page = await signedInPage({ browser, baseUrl }, DOCTOR, { elder });
      await page.goto(`${baseUrl}/care`);
      await page.getByLabel('处置情况').first().waitFor();
      const heights = await heightOf(page, 'input[aria-label="处置情况"]');
      expect(Math.min(...heights), elder ? 'elder mode' : 'normal mode').toBeGreaterThanOrEqual(elder ? 60 : 48);
      await page.context().close();
    }
    const desk = await signedInPage({ browser, baseUrl }, HANDLER, { desk: true });
    await desk.goto(`${baseUrl}/cases`);
    await desk.getByText('我的待办', { exact: true }).waitFor();
    const tabs = await heightOf(desk, '.ant-segmented-item');
    expect(tabs.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...tabs)).toBeGreaterThanOrEqual(48);
    await desk.context().close();
  });
});
