// A villager's home and 通知 on a 390×844 phone in chromium, on the demo county: each unread notice is
// counted once, on the 通知 tile (the 消息 tile leaves out the messages that only announce a notice);
// the 我的反映 tile says how many answered reports wait for a rating, and the figure follows a rating;
// an urgent unread notice is listed first, and stays where it is while it is read; offline, the
// notices and the points page say they were not loaded yet instead of 暂无数据; the points, services
// and family pages ask for their first reads beside the session, not after it, and once each.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushDueNotices } from '../../server/src/modules/notices/notices-push.service.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { logIn, signedInApi, signedInPage, workerTookOver } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011';
/** Family far away of one of Pingdiba's elders. */
const FAMILY = '13800000012';
/** Pingdiba's cadre, who pushes the village's notices. */
const CADRE = '13800000003';
const NOT_LOADED = '尚未载入：联网后会自动更新';

let world: WebWorld;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  world = await startDemoWorld('villager-home-counts');
  ({ browser, baseUrl } = world);
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

/** A notice to all of Pingdiba, pushed at once. */
async function pushNotice(title: string, urgent: boolean): Promise<string> {
  const cadre = await signedInApi(baseUrl, CADRE, DEMO_PASSWORD);
  const made = await cadre('/api/notices', { title, body: `${title}：详见村委会公告栏。`, urgent, audience: {}, send: true });
  expect(made.status).toBe(201);
  await pushDueNotices(world.deps);
  return ((await made.json()) as { id: string }).id;
}

/** What the villager's own reads say (the figures the tiles must show). */
async function villagerReads() {
  const api = await signedInApi(baseUrl, VILLAGER, DEMO_PASSWORD);
  const read = async <T>(path: string) => (await (await api(path, undefined, 'GET')).json()) as T;
  return {
    messages: await read<{ unread: number; unreadNotices: number }>('/api/notifications?limit=1'),
    notices: await read<{ unread: number }>('/api/notices/inbox'),
    toRate: (await read<{ count: number }>('/api/cases/awaiting-my-rating')).count,
  };
}

/** A replied demo case made the villager's own: it waits for their rating. */
async function repliedCaseOfTheVillager(): Promise<{ id: string; title: string }> {
  const villager = await world.deps.db.selectFrom('users').select('id').where('phone', '=', VILLAGER).executeTakeFirstOrThrow();
  const replied = await world.deps.db
    .selectFrom('cases')
    .select(['id', 'title'])
    .where('state', '=', 'replied')
    .where('merged_into_id', 'is', null)
    .where((eb) => eb.or([eb('reporter_user_id', 'is', null), eb('reporter_user_id', '!=', villager.id)]))
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  await world.deps.db
    .updateTable('cases')
    .set({ reporter_user_id: villager.id, replied_at: Date.now() })
    .where('id', '=', replied.id)
    .execute();
  return replied;
}

const badgeOf = (page: Page, href: string) => page.locator(`a.home-tile[href="${href}"] .home-tile-badge`);

describe("a villager's home", { timeout: 120_000 }, () => {
  it('counts an unread notice on 通知 only, not again on 消息', async () => {
    await pushNotice('村道维修通知', false);
    await pushNotice('山洪转移演练', true);
    const { messages, notices } = await villagerReads();
    // The two just pushed are announced in 消息 too: the figure that would count them twice.
    expect(messages.unreadNotices).toBeGreaterThanOrEqual(2);
    const page = await signedInPage(world, VILLAGER);
    // The messages' figure arrives with its own read: looked at once that read has come.
    const messagesRead = page.waitForResponse((r) => r.url().includes('/api/notifications?limit=1'));
    await page.goto(`${baseUrl}/`);
    await badgeOf(page, '/m/notices').waitFor();
    expect(await badgeOf(page, '/m/notices').textContent()).toBe(`${notices.unread} 条未读`);
    await messagesRead;
    await page.waitForTimeout(500);
    const others = messages.unread - messages.unreadNotices;
    const shown = async () => ((await badgeOf(page, '/notifications').count()) ? await badgeOf(page, '/notifications').textContent() : '');
    await expect.poll(shown).toBe(others > 0 ? `${others} 条未读` : '');
    // 消息 itself says the same figure (a newcomer saw 5 on the tile and 9 on the page), and the
    // notices' messages lead to 通知, where they are read.
    await page.locator('a.home-tile[href="/notifications"]').click();
    await page.getByText('全部已读').waitFor();
    expect(((await page.locator('.count-badge').first().textContent()) ?? '').trim()).toBe(String(others));
    const toNotices = page.getByRole('link', { name: `另有 ${messages.unreadNotices} 条未读通知，去「通知」看 ›` });
    await toNotices.click();
    await page.waitForURL(`${baseUrl}/m/notices`);
    // The page the 通知 tile opens is called 通知 (it said 政务信息).
    await page.getByRole('heading', { name: /^通知/ }).waitFor();
    await page.goBack();
    await page
      .getByRole('link', { name: /山洪转移演练/ })
      .first()
      .click();
    await page.waitForURL(`${baseUrl}/m/notices`);
    await page.context().close();
  });

  it('says on 我的反映 how many answered reports wait for a rating, and one fewer after rating', async () => {
    const { title } = await repliedCaseOfTheVillager();
    const { toRate } = await villagerReads();
    expect(toRate).toBeGreaterThanOrEqual(1);
    const page = await signedInPage(world, VILLAGER);
    await page.goto(`${baseUrl}/`);
    const badge = badgeOf(page, '/m/cases');
    await badge.waitFor();
    expect(await badge.textContent()).toBe(`${toRate} 条待评价`);

    // Rated on 我的反映, the home says one fewer on the way back, without a reload.
    await page.locator('a.home-tile[href="/m/cases"]').click();
    const row = page.locator('li', { has: page.getByRole('link', { name: title, exact: true }) }).first();
    const control = row.getByTestId('rating-control');
    await control.getByLabel('5 星').click();
    await control.getByRole('button', { name: '提交评价' }).click();
    await control.getByTestId('rating-thanks').waitFor();
    await page.goBack();
    await page.waitForURL(`${baseUrl}/`);
    if (toRate > 1) await expect.poll(() => badge.textContent()).toBe(`${toRate - 1} 条待评价`);
    else await expect.poll(() => badge.count()).toBe(0);
    await page.context().close();
  });
});

describe("a villager's 通知", { timeout: 120_000 }, () => {
  it('lists an urgent unread notice first though a newer one came after it, and keeps it in place while it is read', async () => {
    await pushNotice('山洪转移演练', true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await pushNotice('村道维修通知', false);
    const page = await signedInPage(world, VILLAGER);
    await page.goto(`${baseUrl}/m/notices`);
    const titles = () => page.getByTestId('notice').locator('.task-title').allTextContents();
    await page.getByTestId('notice').first().waitFor();
    const first = page.getByTestId('notice').first();
    expect(await first.locator('.task-title').textContent()).toContain('山洪转移演练');
    await first.getByText('紧急').waitFor();
    // Every urgent unread notice comes before every other notice.
    const cards = await page
      .getByTestId('notice')
      .evaluateAll((nodes) =>
        nodes.map((n) => ({ urgent: n.textContent?.includes('紧急') ?? false, unread: n.querySelector('.dot') !== null })),
      );
    const pinned = cards.map((c) => c.urgent && c.unread);
    expect(pinned).toEqual([...pinned].sort((a, b) => Number(b) - Number(a)));
    expect((await titles()).findIndex((t) => t.includes('山洪转移演练'))).toBeLessThan(
      (await titles()).findIndex((t) => t.includes('村道维修通知')),
    );

    // Opened, it is read (no 未读 dot) and stays first under the finger.
    await first.locator('.task-title').click();
    await first.getByTestId('notice-body').waitFor();
    await expect.poll(() => first.locator('.dot').count()).toBe(0);
    expect(await first.locator('.task-title').textContent()).toContain('山洪转移演练');

    // Opened again later, the read notice takes its place by date, after the newer one.
    await page.reload();
    await page.getByTestId('notice').first().waitFor();
    const after = await titles();
    expect(after.findIndex((t) => t.includes('山洪转移演练'))).toBeGreaterThan(after.findIndex((t) => t.includes('村道维修通知')));
    await page.context().close();
  });
});

describe('offline, never loaded', { timeout: 120_000 }, () => {
  /** Signed in with the service worker in control, having opened only the home page online. */
  async function offlinePhone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await logIn(page, baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await workerTookOver(page);
    // The home page's tiles kept the notices' and the points' reads: forget them, as on a phone that never had them.
    await page.evaluate(async () => {
      const kept = await caches.open('cunzhi-data');
      for (const request of await kept.keys()) {
        if (/^\/api\/(notices|points)\//.test(new URL(request.url).pathname)) await kept.delete(request);
      }
    });
    await context.setOffline(true);
    return { context, page };
  }

  it('the notices page and the points page say 尚未载入, not 暂无数据, and fill in once online', async () => {
    const { context, page } = await offlinePhone();
    await page.goto(`${baseUrl}/m/notices`);
    await page.getByTestId('not-loaded').waitFor();
    expect(await page.getByTestId('not-loaded').textContent()).toBe(NOT_LOADED);
    expect(await page.getByText('暂无数据').count()).toBe(0);

    await page.goto(`${baseUrl}/m/points`);
    await page.getByTestId('not-loaded').first().waitFor();
    expect(await page.getByTestId('not-loaded').first().textContent()).toBe(NOT_LOADED);
    expect(await page.getByText('暂无数据').count()).toBe(0);

    // Back online, the notices are read by themselves (no reload).
    await page.goto(`${baseUrl}/m/notices`);
    await page.getByTestId('not-loaded').waitFor();
    await context.setOffline(false);
    await page.getByTestId('notice').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('not-loaded').count()).toBe(0);
    await context.close();
  });
});

describe("a phone page's first reads", { timeout: 120_000 }, () => {
  /**
   * Opens the page with the session's answer held back for a while: the reads that needed nothing
   * from it went out in that time (one round trip less before the page's first figures on a slow
   * network). Answers the API paths asked for while it was held, and all of them asked for by the time
   * the page has drawn `drawn`.
   */
  async function openHoldingSession(who: string, address: string, drawn: string) {
    const page = await signedInPage(world, who);
    const asked: string[] = [];
    const duringHold: string[] = [];
    let holding = true;
    page.on('request', (request) => {
      const { pathname, search } = new URL(request.url());
      if (!pathname.startsWith('/api/')) return;
      asked.push(`${pathname}${search}`);
      if (holding) duringHold.push(pathname);
    });
    await page.route('**/api/auth/current', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      holding = false;
      await route.continue();
    });
    await page.goto(`${baseUrl}${address}`);
    await page.getByTestId(drawn).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.context().close();
    return { duringHold, asked: (prefix: string) => asked.filter((path) => path.startsWith(prefix)) };
  }

  it('the points page asks for its account beside the session, once', async () => {
    const { duringHold, asked } = await openHoldingSession(VILLAGER, '/m/points', 'points-balance');
    expect(duringHold).toContain('/api/points/accounts/mine');
    expect(asked('/api/points/accounts/')).toEqual(['/api/points/accounts/mine']);
  });

  it('the services page asks for my applications and the catalogue beside the session, once each', async () => {
    const { duringHold, asked } = await openHoldingSession(VILLAGER, '/m/services', 'service-item');
    expect(duringHold).toEqual(expect.arrayContaining(['/api/services/applications', '/api/services/items']));
    expect(asked('/api/services/applications')).toHaveLength(1);
    expect(asked('/api/services/items')).toHaveLength(1);
  });

  it("the family page asks for its elders and each elder's readings beside the session, once each", async () => {
    const { duringHold, asked } = await openHoldingSession(FAMILY, '/m/family', 'elder-summary');
    expect(duringHold).toContain('/api/care/elders');
    const readings = asked('/api/care/elders/').filter((path) => path.includes('/readings'));
    expect(readings.length).toBeGreaterThan(0);
    expect(duringHold.filter((path) => path.endsWith('/readings'))).toHaveLength(readings.length);
    expect(new Set(readings.map((path) => path.split('?')[0])).size).toBe(readings.length);
  });
});
