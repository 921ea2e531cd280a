// One name for one thing, and one visit for one form, in chromium on the demo county:
// - the villager's 我要反映: the home tile, the page it opens and the sent message say the same name
//   (the tile said 随手拍); 乱搭乱建 is the one word for unauthorised building in the report's
//   choices (the cameras' own category, then called 违法建设, was offered beside it);
// - a grid worker's home: the work tiles, then the account's pages (两步验证, 登录设备) in a row of
//   their own at the end (两步验证 was a tile among today's tasks and visits);
// - the desk's doctor home visit: a double click, or the outbox sending it again after the answer
//   was lost, is one visit (the form sent no id, so each was a visit).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedInPage } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011';
const GRID_WORKER = '13800000004';
const DOCTOR = '13800000007';

let world: WebWorld;

beforeAll(async () => {
  world = await startDemoWorld('one-name-one-visit');
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

describe('我要反映', { timeout: 120_000 }, () => {
  it('is the name on the home tile, on the page it opens and in the sent message; 乱搭乱建 is the one word for building', async () => {
    const page = await signedInPage(world, VILLAGER);
    await page.goto(`${world.baseUrl}/`);
    const tile = page.locator('.home-tiles a').first();
    await tile.waitFor();
    expect(await tile.textContent()).toContain('我要反映');
    expect(await page.locator('.home-tiles').textContent()).not.toContain('随手拍');
    await tile.click();
    await page.waitForURL('**/m/report');
    await page.getByRole('heading', { level: 1, name: '我要反映' }).waitFor();

    const choices = page.locator('button.choice');
    await choices.first().waitFor();
    const names = await choices.allTextContents();
    expect(names.filter((name) => name.includes('乱搭乱建'))).toEqual(['乱搭乱建']);
    expect(names.join('|')).not.toMatch(/违法建设|违建/);

    await choices.filter({ hasText: '乱搭乱建' }).click();
    await page.getByLabel('2. 说说情况').fill('一名一物：河边有人搭棚子');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    const sent = page.getByTestId('report-sent');
    await sent.getByText('已提交，可在“我的反映”查看进度').waitFor();
    await sent.getByRole('link', { name: '查看我的反映' }).waitFor();
    await page.context().close();
  });

  it('the cameras’ category says 乱搭乱建 too', async () => {
    const names = await world.deps.db.selectFrom('case_categories').select('name').execute();
    const words = names.map((c) => c.name).join('|');
    expect(words).toContain('乱搭乱建');
    expect(words).not.toMatch(/违法建设|违建/);
  });
});

describe("a grid worker's home", { timeout: 120_000 }, () => {
  it('shows the work tiles, then the account row with 登录设备, 修改密码 and 两步验证 at the end', async () => {
    const page = await signedInPage(world, GRID_WORKER);
    await page.goto(`${world.baseUrl}/`);
    await page.locator('.home-tiles a').first().waitFor();
    const tiles = await page.locator('.home-tiles a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(tiles.slice(0, 2)).toEqual(['/m/tasks', '/m/poverty']);
    expect(tiles).not.toContain('/totp-enrolment');
    expect(tiles).not.toContain('/m/devices');

    const account = page.getByRole('navigation', { name: '我的账号' });
    const links = await account.getByRole('link').evaluateAll((all) => all.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(links).toEqual([
      ['/m/devices', '登录设备'],
      ['/password', '修改密码'],
      ['/totp-enrolment', '两步验证'],
    ]);
    // At the end: after the tiles on the page, and nothing of the home's own after it.
    const order = await page.evaluate(() => {
      const home = document.querySelector('.home-page') as Element;
      const row = home.querySelector('.home-account') as Element;
      const tiles = home.querySelector('.home-tiles') as Element;
      return {
        last: home.lastElementChild === row,
        afterTiles: (tiles.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      };
    });
    expect(order).toEqual({ last: true, afterTiles: true });
    await account.getByRole('link', { name: '两步验证' }).click();
    await page.waitForURL('**/totp-enrolment');
    await page.context().close();
  });
});

describe("the desk's doctor home visit", { timeout: 120_000 }, () => {
  async function elderPage(): Promise<{ page: Page; elderId: string }> {
    const page = await signedInPage(world, DOCTOR, { desk: true });
    const elders = (await (await page.request.get(`${world.baseUrl}/api/care/elders`)).json()) as { items: { personId: string }[] };
    const elderId = elders.items[0]?.personId as string;
    expect(elderId).toBeTruthy();
    await page.goto(`${world.baseUrl}/care/elders/${elderId}`);
    await page.getByLabel('随访情况，如：调整降压药').waitFor();
    return { page, elderId };
  }

  const visitsWith = async (note: string) =>
    (await world.deps.db.selectFrom('care_visits').select('id').where('note', '=', note).execute()).length;

  it('records one visit for a double click', async () => {
    const { page } = await elderPage();
    await page.getByLabel('随访情况，如：调整降压药').fill('双击：调整降压药');
    await page.getByRole('button', { name: /记\s*录/ }).dblclick();
    await page.getByText('已保存').waitFor();
    // Give a second request, had one gone, the time to land.
    await page.waitForTimeout(500);
    expect(await visitsWith('双击：调整降压药')).toBe(1);
    await page.context().close();
  });

  it('records one visit when the answer was lost: the outbox sends it again under the same key', async () => {
    const { page } = await elderPage();
    // The first answer is lost on the way back: the server has recorded the visit, the desk sees a network failure.
    let lost = false;
    await page.route('**/api/care/elders/*/visits', async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.fallback();
      lost = true;
      await route.fetch();
      await route.abort('failed');
    });
    await page.getByLabel('随访情况，如：调整降压药').fill('重发：血压平稳');
    await page.getByRole('button', { name: /记\s*录/ }).click();
    // The note waits in the outbox (as a carer's check-in does) and goes again by itself.
    await page.getByTestId('home-visit-done').getByText('已保存').waitFor({ timeout: 20_000 });
    expect(lost).toBe(true);
    expect(await visitsWith('重发：血压平稳')).toBe(1);
    await page.context().close();
  });
});
