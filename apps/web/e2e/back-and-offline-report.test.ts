// Issue 15, two rough edges a newcomer met on a 390×844 phone:
// - the phone's back button closes the open menu drawer, dialog or confirmation and the page stays (SideDrawer's
//   useBackCloses); a layer closed by its own button leaves no extra step in history;
// - a villager whose phone never opened 随手拍 (/m/report) online can still write one offline: the
//   service worker kept what the form reads after sign-in (src/sw.ts warmReportForm), and the report
//   waits in the outbox and arrives when the phone is back online.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCounty } from '../../server/src/demo-county.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { logIn } from './browser.ts';
import { startWebWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011';
const COUNTY_ADMIN = '13800000001';
let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld('back-and-offline-report', async (deps) => void (await loadDemoCounty(deps)), { DEMO_CAMERAS: 'false' });
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

async function phone(options: { worker?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    hasTouch: true,
    serviceWorkers: options.worker ? 'allow' : 'block',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}

/** The phone's back button, as Android's sends it: one step back in history. */
const back = (page: Page) => page.evaluate(() => window.history.back());
const path = (page: Page) => new URL(page.url()).pathname;

describe('the back button on a phone', { timeout: 90_000 }, () => {
  it('closes the open menu drawer and stays on the page; closed by its ✕, back leaves the page as before', async () => {
    const { context, page } = await phone();
    await logIn(page, world.baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.goto(`${world.baseUrl}/`);
    await page.goto(`${world.baseUrl}/m/report`);
    await page.locator('button.choice').first().waitFor();
    // Something half-written: back must not lose it (nor the page).
    await page.locator('button.choice').first().click();
    await page.getByLabel('2. 说说情况').fill('返回键测试：水沟堵了');

    const drawer = page.locator('dialog.side-drawer');
    await page.getByRole('button', { name: '菜单' }).click();
    await expect.poll(() => drawer.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    await back(page);
    await expect.poll(() => drawer.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/m/report');
    expect(await page.getByLabel('2. 说说情况').inputValue()).toBe('返回键测试：水沟堵了');

    // Opened and closed by its own button: no entry is left behind, one back leaves the page.
    await page.getByRole('button', { name: '菜单' }).click();
    await expect.poll(() => drawer.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    await page.getByRole('button', { name: '关闭菜单' }).click();
    await expect.poll(() => drawer.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/m/report');
    await back(page);
    await page.waitForURL((url) => url.pathname === '/');

    // A page opened from the drawer takes the drawer's place: back returns to where it was opened.
    await page.getByRole('button', { name: '菜单' }).click();
    await drawer.getByRole('link', { name: '我的反映' }).click();
    await page.waitForURL('**/m/cases');
    await expect.poll(() => drawer.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await back(page);
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });

  it('closes an open dialog and stays on the page', async () => {
    const { context, page } = await phone();
    await logIn(page, world.baseUrl, COUNTY_ADMIN, DEMO_PASSWORD);
    await page.goto(`${world.baseUrl}/households`);
    const dialog = page.locator('.ant-modal');
    await page.getByRole('button', { name: '新增户' }).click();
    await dialog.waitFor();
    await back(page);
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/households');
    await page.getByRole('button', { name: '新增户' }).waitFor();

    // Cancelled by its own button: the next back leaves the page, with no step left over.
    await page.getByRole('button', { name: '新增户' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/households');
    await back(page);
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });
});

describe('the back button on a phone, a confirmation', { timeout: 90_000 }, () => {
  it('cancels the redeeming question and stays in the shop; answered, it leaves no step behind', async () => {
    const { context, page } = await phone();
    await logIn(page, world.baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.goto(`${world.baseUrl}/m/points`);
    await page.getByTestId('points-balance').waitFor();
    const redemptions = async () => (await world.deps.db.selectFrom('points_redemptions').select('id').execute()).length;
    const before = await redemptions();
    const redeem = page.getByRole('button', { name: /^兑\s*换$/ }).first();
    const confirm = page.getByTestId('redeem-confirm');
    await redeem.click();
    await confirm.waitFor();
    await back(page);
    await confirm.waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/m/points');
    expect(await redemptions()).toBe(before);

    await redeem.click();
    await confirm.getByRole('button', { name: '确认兑换' }).click();
    await page.getByText(/已兑换“.+”，请到村积分超市领取/).waitFor();
    await expect.poll(redemptions).toBe(before + 1);
    await page.waitForTimeout(300);
    expect(path(page)).toBe('/m/points');
    await back(page);
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });
});

describe('随手拍 offline on a phone that never opened it online', { timeout: 120_000 }, () => {
  it('is written and queued offline, and arrives when the phone is back online', async () => {
    const { context, page } = await phone({ worker: true });
    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await logIn(page, world.baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // The home page only: the report form and its reads were never opened by the page.
    await page.waitForLoadState('networkidle');
    expect(asked.filter((p) => p === '/m/report' || p === '/api/cases/categories')).toEqual([]);
    // The worker keeps what the form needs ahead, dated like every kept answer.
    const kept = () =>
      page.evaluate(async () => {
        if (!(await caches.has('cunzhi-data'))) return [];
        const cache = await caches.open('cunzhi-data');
        const out: { path: string; storedAt: number }[] = [];
        for (const request of await cache.keys()) {
          const answer = await cache.match(request);
          out.push({ path: new URL(request.url).pathname, storedAt: Number(answer?.headers.get('x-cunzhi-stored-at')) });
        }
        return out;
      });
    await expect
      .poll(async () => (await kept()).map((k) => k.path).filter((p) => /^\/api\/(cases\/categories|org\/households\/)/.test(p)).length, {
        timeout: 15_000,
      })
      .toBe(2);
    for (const answer of await kept()) expect(answer.storedAt, answer.path).toBeGreaterThan(Date.now() - 120_000);
    // The session is kept so that the page opens, without the token a write must show.
    const keptSession = await page.evaluate(async () => {
      const answer = await (await caches.open('cunzhi-data')).match('/api/auth/current');
      return answer ? ((await answer.json()) as { session: { csrfToken: string } }).session.csrfToken : undefined;
    });
    expect(keptSession).toBe('');
    // Nothing personal beyond the allowlist: no reveal was kept.
    expect((await kept()).filter((k) => /id-number|push-key|evidence-key|package/.test(k.path))).toEqual([]);

    await context.setOffline(true);
    await page.goto(`${world.baseUrl}/m/report`);
    await page.getByTestId('offline-banner').waitFor();
    await page.locator('button.choice').first().click();
    const description = '离线随手拍：从没在线打开过，村口垃圾没人收';
    await page.getByLabel('2. 说说情况').fill(description);
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('当前无网络，已保存，联网后自动发送').waitFor();
    await page.getByTestId('outbox-banner').getByText('1 项').waitFor();
    const reports = () =>
      world.deps.db
        .selectFrom('cases')
        .select(['id', 'region_id', 'reporter_household_id'])
        .where('description', '=', description)
        .execute();
    expect(await reports()).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(async () => (await reports()).length, { timeout: 20_000 }).toBe(1);
    // Placed in the villager's own village, as a report written online is.
    const [report] = await reports();
    const household = await world.deps.db
      .selectFrom('households')
      .select('region_id')
      .where('id', '=', report?.reporter_household_id as string)
      .executeTakeFirstOrThrow();
    expect(report?.region_id).toBe(household.region_id);
    await context.close();
  });
});
