// The phone pages open with no network and show the last data they had, dated; a report saved
// offline survives a session that ran out meanwhile, the person is told why to sign in again, and the
// report goes out once after they have (src/sw.ts, lib/offline-data.ts, lib/outbox.ts).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { sessionCacheOf } from '../../server/src/platform/session-cache.ts';
import { logIn, PHONE_390, phonePage } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011';
const FAMILY = '13800000012';
const SERVICE_HALL = '13800000010';
let world: WebWorld;

beforeAll(async () => {
  world = await startDemoWorld('offline');
}, 180_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const page = await phonePage(world.browser, PHONE_390);
  return { context: page.context(), page };
}

/** Signed in, the service worker installed (shell precached) and in control of the page. */
async function signedInWithWorker(page: Page, userPhone: string): Promise<void> {
  await logIn(page, world.baseUrl, userPhone, DEMO_PASSWORD);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** API answers the service worker keeps that are someone's own (the platform's public facts are anyone's). */
const keptAnswers = (page: Page) =>
  page.evaluate(async () => {
    if (!(await caches.has('cunzhi-data'))) return 0;
    const kept = await (await caches.open('cunzhi-data')).keys();
    return kept.filter((request) => !/\/api\/(platform-info|public\/)/.test(new URL(request.url).pathname)).length;
  });

describe('the phone pages offline', { timeout: 90_000 }, () => {
  it('open with no network after one visit, with the last data and the time it is from', async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, VILLAGER);
    await page.goto(`${world.baseUrl}/m/points`);
    const balance = page.getByTestId('points-balance');
    await balance.waitFor();
    const points = await balance.textContent();
    await page.goto(`${world.baseUrl}/m/cases`);
    await page.getByRole('heading', { name: '我的反映' }).waitFor();
    await page.waitForLoadState('networkidle');
    const myCases = await page.locator('.app-content').textContent();
    await page.goto(`${world.baseUrl}/m/services`);
    await page.getByTestId('service-item').first().waitFor();
    const services = await page.getByTestId('service-item').allTextContents();
    await page.goto(`${world.baseUrl}/notifications`);
    await page.waitForLoadState('networkidle');
    await page.goto(`${world.baseUrl}/`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('offline-banner').count()).toBe(0);

    await context.setOffline(true);
    // A reload and a typed address both open; each page shows what it had, and how old it is.
    await page.reload();
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor();
    // The banner shows at once (the browser says it is offline); the time follows with the first kept answer.
    await expect.poll(() => banner.textContent()).toMatch(/^离线 · 数据更新于 (今天|昨天) \d{2}:\d{2}$/);
    await page.goto(`${world.baseUrl}/m/points`);
    await page.getByTestId('points-balance').waitFor();
    expect(await page.getByTestId('points-balance').textContent()).toBe(points);
    await banner.waitFor();
    await page.goto(`${world.baseUrl}/m/cases`);
    await page.getByRole('heading', { name: '我的反映' }).waitFor();
    await expect.poll(() => page.locator('.app-content').textContent()).toBe(myCases);
    await banner.waitFor();
    // The catalogue was kept too.
    await page.goto(`${world.baseUrl}/m/services`);
    await page.getByTestId('service-item').first().waitFor();
    expect(await page.getByTestId('service-item').allTextContents()).toEqual(services);
    await banner.waitFor();
    await page.goto(`${world.baseUrl}/notifications`);
    await banner.waitFor();
    expect(page.url()).toBe(`${world.baseUrl}/notifications`);

    // Back online, the first fresh answer takes the banner away.
    await context.setOffline(false);
    await page.reload();
    await page.waitForLoadState('networkidle');
    await banner.waitFor({ state: 'detached' });
    await context.close();
  });

  it("says offline that the elder's number cannot be looked up now, not that there is none (newcomer)", async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, FAMILY);
    await page.goto(`${world.baseUrl}/`);
    const call = page.getByRole('button', { name: /^打电话给/ }).first();
    await call.waitFor();
    await page.waitForLoadState('networkidle');
    await context.setOffline(true);
    await page.reload();
    await call.click();
    const problem = page.getByTestId('home-call-problem');
    await expect.poll(() => problem.textContent()).toBe('现在查不到电话号码，请联网后再试');
    await context.close();
  });

  it('says a page the phone does not keep needs the network, not that the app was updated, and opens it once online (newcomer)', async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, FAMILY);
    await page.goto(`${world.baseUrl}/m/family`);
    const video = page.getByTestId('call-elder').first();
    await video.waitFor();
    await page.waitForLoadState('networkidle');
    await context.setOffline(true);
    // The video call's code is not among what the service worker keeps: it needs the network anyway.
    await video.click();
    await page.getByRole('heading', { name: '这个页面要联网才能打开' }).waitFor();
    expect(await page.getByText('应用已经更新').count()).toBe(0);
    expect(await page.getByRole('link', { name: '回到首页' }).count()).toBe(1);
    await context.setOffline(false);
    await page.getByText('网络已经恢复').waitFor();
    await page.getByRole('button', { name: '再试一次' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/m/family/call/'));
    await expect.poll(() => page.getByRole('heading', { name: '这个页面要联网才能打开' }).count()).toBe(0);
    expect(await page.locator('main.error-page').count()).toBe(0);
    await context.close();
  });

  it('a report saved offline outlives a session that ran out: the villager is told why to sign in, and it arrives once after', async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, VILLAGER);
    await page.goto(`${world.baseUrl}/m/report`);
    await page.locator('button.choice').first().waitFor();
    await page.waitForLoadState('networkidle');

    expect(await keptAnswers(page)).toBeGreaterThan(0);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await page.locator('button.choice').first().click();
    const description = '离线测试：村口路灯不亮，登录过期后再发送';
    await page.getByLabel('2. 说说情况').fill(description);
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('当前无网络，已保存，联网后自动发送').waitFor();
    await page.getByTestId('outbox-banner').getByText('1 项').waitFor();

    // Meanwhile the session ends on the server (expired, or ended elsewhere).
    const villager = await world.deps.db.selectFrom('users').select('id').where('phone', '=', VILLAGER).executeTakeFirstOrThrow();
    await world.deps.db.deleteFrom('sessions').where('user_id', '=', villager.id).execute();
    // As a session ending on the server does: the server's few seconds of kept sessions forget it.
    sessionCacheOf(world.deps).forgetUser(villager.id);

    await context.setOffline(false);
    await page.waitForURL('**/login');
    // The 401 that ended the session took what was kept of it; the waiting report is elsewhere and stays.
    await expect.poll(() => keptAnswers(page)).toBe(0);
    const notice = page.getByTestId('sign-in-to-send');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('登录已过期，需要重新登录');
    expect(await notice.textContent()).toContain('1 项操作');
    const reports = () =>
      world.deps.db
        .selectFrom('cases')
        .select('id')
        .where('description', '=', description)
        .execute()
        .then((rows) => rows.length);
    expect(await reports()).toBe(0);

    await page.fill('input[name=phone]', VILLAGER);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expect.poll(reports, { timeout: 10_000 }).toBe(1);
    await notice.waitFor({ state: 'detached' });
    // Sent once, and only once, however often the outbox tries again.
    await page.waitForTimeout(500);
    expect(await reports()).toBe(1);
    await context.close();
  });

  it('what was kept goes at logout, and never shows to the next person', async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, VILLAGER);
    await page.goto(`${world.baseUrl}/m/points`);
    await page.getByTestId('points-balance').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await keptAnswers(page)).toBeGreaterThan(0);

    const logout = page.getByText('退出登录');
    if (!(await logout.isVisible())) await page.getByRole('button', { name: '菜单' }).click();
    await logout.click();
    await page.waitForURL('**/login');
    await expect.poll(() => keptAnswers(page)).toBe(0);
    // Offline now, the villager's page is not there for whoever holds the phone: with no session
    // kept and no server to ask, the page says it needs the network (signing in needs it too).
    await context.setOffline(true);
    await page.goto(`${world.baseUrl}/m/points`);
    await page.getByRole('heading', { name: '这个页面要联网才能打开' }).waitFor();
    expect(await page.getByTestId('points-balance').count()).toBe(0);
    await context.setOffline(false);
    await page.waitForURL('**/login');

    // Another person signs in on the same phone: nothing of the villager's is kept for them to see.
    await page.fill('input[name=phone]', VILLAGER);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${world.baseUrl}/m/points`);
    await page.getByTestId('points-balance').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await keptAnswers(page)).toBeGreaterThan(0);
    const villager = await world.deps.db.selectFrom('users').select('id').where('phone', '=', VILLAGER).executeTakeFirstOrThrow();
    await world.deps.db.deleteFrom('sessions').where('user_id', '=', villager.id).execute();
    // As a session ending on the server does: the server's few seconds of kept sessions forget it.
    sessionCacheOf(world.deps).forgetUser(villager.id);
    await page.goto(`${world.baseUrl}/`);
    await page.waitForURL('**/login');
    await page.fill('input[name=phone]', FAMILY);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const pointsAnswer = await page.evaluate(async () => {
      const cache = await caches.open('cunzhi-data');
      return (await cache.keys()).filter((request) => request.url.includes('/api/points')).length;
    });
    expect(pointsAnswer).toBe(0);
    await context.close();
  });

  it("keeps no desk page's reads and no ID number reveal, and no CSRF token", async () => {
    const { context, page } = await phone();
    await signedInWithWorker(page, SERVICE_HALL);
    await page.goto(`${world.baseUrl}/people`);
    await page.waitForLoadState('networkidle');
    // Someone the service hall may see, with an ID number on file: as the desk page lists them.
    const person = await page.evaluate(async () => {
      const answer = await fetch('/api/org/people?limit=50', { credentials: 'same-origin' });
      const { items } = (await answer.json()) as { items: { id: string; idNumberMasked: string | null }[] };
      return items.find((item) => item.idNumberMasked) ?? { id: 'none' };
    });
    const reveal = (id: string) =>
      page.evaluate(async (path) => (await fetch(path, { credentials: 'same-origin' })).status, `/api/org/people/${id}/id-number`);
    expect(await reveal(person.id)).toBe(200);
    // Asked from a phone page, a reveal is not kept either.
    await page.goto(`${world.baseUrl}/`);
    await page.waitForLoadState('networkidle');
    expect(await reveal(person.id)).toBe(200);
    const kept = await page.evaluate(async () => {
      const cache = await caches.open('cunzhi-data');
      const requests = await cache.keys();
      const current = await cache.match('/api/auth/current');
      return { paths: requests.map((request) => new URL(request.url).pathname), current: current ? await current.text() : undefined };
    });
    expect(kept.paths.filter((path) => path.startsWith('/api/org/people'))).toEqual([]);
    expect(kept.paths.some((path) => path.includes('id-number'))).toBe(false);
    // The home page's own reads are kept, and the session without the token a write must show.
    expect(kept.paths).toContain('/api/auth/current');
    expect(JSON.parse(kept.current ?? '{}').session.csrfToken).toBe('');

    // With the cookie gone and no network, the reveal is not there to be had.
    await context.clearCookies();
    await context.setOffline(true);
    expect(
      await page.evaluate(
        async (path) =>
          fetch(path).then(
            (answer) => answer.status,
            () => 'failed',
          ),
        `/api/org/people/${person.id}/id-number`,
      ),
    ).toBe('failed');
    await context.setOffline(false);
    await context.close();
  });
});
