// A newcomer's third look at the phone pages (390×844; issue 15): offline, a list never loaded says
// so instead of 暂无数据; a sent 随手拍 report says its number and opens 我的反映; a refused position
// can be asked for again; a bad case address says the case is not there, with the ways back; and an
// address with a file ending that is no file shows our Chinese not-found page as a 404, not JSON.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { logIn, workerTookOver } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011';
let world: WebWorld;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  world = await startDemoWorld('newcomer-third-look');
  ({ browser, baseUrl } = world);
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', hasTouch: true };

/** A fresh phone signed in through the API, without the service worker. */
async function phone(options: BrowserContextOptions & { elder?: boolean } = {}): Promise<Page> {
  const { elder, ...rest } = options;
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block', ...rest });
  if (elder) await context.addInitScript(() => localStorage.setItem('cunzhi.elderMode', '1'));
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const answer = await page.request.post(`${baseUrl}/api/auth/login`, { data: { phone: VILLAGER, password: DEMO_PASSWORD } });
  expect(answer.status()).toBe(200);
  return page;
}

describe('a list never loaded offline', { timeout: 120_000 }, () => {
  /** Signed in with the service worker in control, having opened only the home page online. */
  async function offlinePhone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await logIn(page, baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await workerTookOver(page);
    return { context, page };
  }

  it('says 尚未载入 rather than 暂无数据 on 我的办件 and 我的反映 (no 暂无数据 on the points page either), and fills in once online', async () => {
    // The villager has applications: online, 我的办件 lists them.
    const online = await phone();
    await online.goto(`${baseUrl}/m/services`);
    await online.getByTestId('my-applications').locator('li').first().waitFor();
    const applications = await online.getByTestId('my-applications').locator('li').count();
    expect(applications).toBeGreaterThan(0);
    await online.context().close();

    const { context, page } = await offlinePhone();
    await context.setOffline(true);
    await page.goto(`${baseUrl}/m/services`);
    const mine = page.locator('.panel', { hasText: '我的办件' }).first();
    await mine.getByTestId('not-loaded').waitFor();
    expect(await mine.getByTestId('not-loaded').textContent()).toBe('尚未载入：联网后会自动更新');
    expect(await mine.getByText('暂无数据').count()).toBe(0);

    await page.goto(`${baseUrl}/m/cases`);
    await page.getByTestId('not-loaded').first().waitFor();
    expect(await page.getByText('暂无事项').count()).toBe(0);

    // The points history: the home page kept the account's reads when opened online; forget them,
    // as on a phone that never had them. No false 暂无数据 (the page has nothing to draw yet).
    await page.evaluate(async () => {
      const kept = await caches.open('cunzhi-data');
      for (const request of await kept.keys()) if (new URL(request.url).pathname.startsWith('/api/points/')) await kept.delete(request);
    });
    await page.goto(`${baseUrl}/m/points`);
    await page.getByTestId('offline-banner').waitFor();
    await page.waitForTimeout(3_000);
    expect(await page.getByText('暂无数据').count()).toBe(0);

    // Back online, the page reads again by itself (no reload) and the list appears.
    await page.goto(`${baseUrl}/m/services`);
    await page.getByTestId('not-loaded').first().waitFor();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('my-applications').locator('li').count(), { timeout: 20_000 }).toBe(applications);
    // The page's other lists read again on their own too, each in its own time (the applications may
    // come first): every 尚未载入 goes once its list has come.
    await expect.poll(() => page.getByTestId('not-loaded').count(), { timeout: 20_000 }).toBe(0);
    await context.close();
  });
});

describe('随手拍', { timeout: 120_000 }, () => {
  async function writeReport(page: Page, text: string): Promise<void> {
    await page.goto(`${baseUrl}/m/report`);
    await page.locator('button.choice').first().click();
    await page.getByLabel('2. 说说情况').fill(text);
  }

  it('a sent report says its number, which opens the case, and a big link opens 我的反映', async () => {
    const page = await phone();
    await page.goto(`${baseUrl}/m/report`);
    await page.locator('button.choice').first().click();
    // Before anything is written the grey 提交 says why it waits.
    expect(await page.getByTestId('report-needs-text').textContent()).toBe('写上要反映的事，才能提交。');
    await page.getByLabel('2. 说说情况').fill('第三次看：村口路灯不亮');
    expect(await page.getByTestId('report-needs-text').count()).toBe(0);
    await page.getByRole('button', { name: /提\s*交/ }).click();
    const sent = page.getByTestId('report-sent');
    await sent.getByText('已提交，可在“我的反映”查看进度').waitFor();
    const number = sent.getByTestId('report-number').getByRole('link');
    await number.waitFor({ timeout: 20_000 });
    const made = await world.deps.db
      .selectFrom('cases')
      .select(['id', 'number'])
      .where('description', '=', '第三次看：村口路灯不亮')
      .executeTakeFirstOrThrow();
    expect(await number.textContent()).toBe(`事项编号：${made.number}`);
    expect(await number.getAttribute('href')).toBe(`/cases/${made.id}`);
    const mine = sent.getByRole('link', { name: '查看我的反映' });
    expect((await mine.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
    // The number is a finger-sized link too, and the way home is one tap.
    expect((await number.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
    expect(await sent.getByRole('link', { name: '回到首页' }).getAttribute('href')).toBe('/');
    await mine.click();
    await page.waitForURL('**/m/cases');
    await page.getByRole('link', { name: /第三次看/ }).waitFor();
    await page.context().close();
  });

  it('a report saved offline says it gets a number when sent, and shows it once sent', async () => {
    const page = await phone();
    await writeReport(page, '第三次看：离线时写的');
    await page.context().setOffline(true);
    await page.getByRole('button', { name: /提\s*交/ }).click();
    const sent = page.getByTestId('report-sent');
    await sent.getByText('当前无网络，已保存，联网后自动发送').waitFor();
    expect(await sent.getByTestId('report-number').textContent()).toBe('发出后会得到事项编号，可在“我的反映”查看。');
    await sent.getByRole('link', { name: '查看我的反映' }).waitFor();
    await page.context().setOffline(false);
    await sent
      .getByTestId('report-number')
      .getByRole('link', { name: /^事项编号：/ })
      .waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  it('a refused position can be asked for again, with a big enough button (elder mode bigger)', async () => {
    for (const elder of [false, true]) {
      const page = await phone({ elder });
      await page.context().clearPermissions();
      await writeReport(page, '第三次看：位置');
      await page.getByText(/未获取位置，将按“.*”提交/).waitFor({ timeout: 20_000 });
      const retry = page.getByRole('button', { name: '重新获取位置' });
      expect((await retry.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(elder ? 60 : 48);
      // The villager allows it now (in the browser's settings) and asks again.
      await page.context().grantPermissions(['geolocation'], { origin: baseUrl });
      await page.context().setGeolocation({ latitude: 28.8412, longitude: 108.7731 });
      await retry.click();
      await page.getByText('已获取您的位置').waitFor();
      expect(await retry.count()).toBe(0);
      await page.context().close();
    }
  });
});

describe('addresses that lead nowhere', { timeout: 120_000 }, () => {
  it('a bad case address says 找不到这个事项, with the ways back, not 输入有误', async () => {
    const page = await phone();
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      await page.goto(`${baseUrl}/cases/${id}`);
      await page.getByText('找不到这个事项').waitFor();
      expect(await page.getByText('输入有误').count(), id).toBe(0);
      for (const name of ['查看我的反映', '回到首页']) {
        const link = page.getByRole('link', { name });
        expect((await link.boundingBox())?.height ?? 0, name).toBeGreaterThanOrEqual(48);
      }
    }
    await page.getByRole('link', { name: '查看我的反映' }).click();
    await page.waitForURL('**/m/cases');
    await page.context().close();
  });

  it('an address with a file ending shows our Chinese not-found page, as a 404', async () => {
    const page = await phone();
    for (const address of ['/foo.html', '/m/notices.html', '/admin.php']) {
      const answer = await page.goto(`${baseUrl}${address}`);
      expect(answer?.status(), address).toBe(404);
      await page.getByRole('heading', { name: '找不到这个页面' }).waitFor();
      expect(await page.getByText('route_not_found').count(), address).toBe(0);
    }
    // A missing script is still no page.
    const script = await page.request.get(`${baseUrl}/assets/index-missing.js`);
    expect(script.status()).toBe(404);
    expect(script.headers()['content-type']).not.toContain('text/html');
    await page.context().close();
  });
});
