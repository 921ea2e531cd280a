// The desk page of wall screen keys (大屏密钥) on a 390 px phone: Pingdiba's village cadre issues a key
// for the village committee hall's screen, the wall opens with the address shown once (in another
// browser), the cadre revokes the key after the confirmation and the wall turns to our own
// "key revoked" message by itself; a grid worker, who holds no screen.manage, has no menu entry
// and the API refuses them. Only the org and screens steps of the demo are loaded.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STEPS, loadDemoCounty } from '../../server/src/demo-county.ts';
import { stopFollowing } from '../../server/src/modules/dashboard/dashboard-live.service.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { logIn, signedInApi } from './browser.ts';
import { startWebWorld, type WebWorld } from './web-world.ts';

const CADRE = '13800000003';
const GRID_WORKER = '13800000004';

const newPhone = async (world: WebWorld) =>
  (await world.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();

/** The page scrolls sideways, or a button or link is smaller than 48×48. */
async function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth > window.innerWidth) found.push(`page is ${root.scrollWidth} px wide`);
    for (const element of document.querySelectorAll<HTMLElement>('main button, main a, main .ant-btn')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.width < 48 || box.height < 48) found.push(`${element.textContent?.trim()}: ${box.width}×${box.height}`);
    }
    return found;
  });
}

describe('wall screen keys on the desk', () => {
  let world: WebWorld;

  beforeAll(async () => {
    world = await startWebWorld('screen-keys', (deps) =>
      loadDemoCounty(
        deps,
        DEMO_STEPS.filter((step) => step.name === 'org' || step.name === 'screens'),
      ).then(() => undefined),
    );
  }, 240_000);
  afterAll(() => world?.stop());

  it('the cadre issues a key, the wall opens with it, and goes dark when the cadre revokes it', { timeout: 120_000 }, async () => {
    await world.fresh();
    stopFollowing(world.deps);
    const desk = await newPhone(world);
    await logIn(desk, world.baseUrl, CADRE, DEMO_PASSWORD);
    // The cadre's home, on a machine running three test files at once, took over 30 s to draw.
    await desk.getByText('大屏密钥', { exact: true }).first().waitFor({ timeout: 60_000 });
    await desk.goto(`${world.baseUrl}/screen-keys`);
    // The demo's own screen of the village is listed, issued by no one (the system).
    await desk.locator('[data-testid="screen-key"]', { hasText: '平地坝村村委会大屏' }).waitFor();
    expect(await desk.locator('[data-testid="screen-key"]').first().textContent()).toContain('系统');

    // The place is the cadre's own village already; naming the screen is enough.
    await desk.fill('input[name="screen-name"]', '村委会大厅');
    await desk.getByRole('button', { name: '发放密钥' }).click();
    const address = await desk.locator('[data-testid="wall-address"]').inputValue();
    expect(address).toMatch(/\/screen\/[\w-]+#key=scr_/);
    expect(await desk.locator('[data-testid="issued-key"]').textContent()).toContain('只显示这一次');
    expect(await misfits(desk)).toEqual([]);
    const card = desk.locator('[data-testid="screen-key"]', { hasText: '村委会大厅' });
    await card.waitFor();
    expect(await card.textContent()).toContain('胡青松');
    expect(await card.textContent()).toContain('平地坝村');
    expect(await card.getByRole('link', { name: '打开大屏' }).getAttribute('href')).toBe(new URL(address).pathname);

    // The wall: another browser, nobody signed in, only the address.
    const wallContext = await world.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const wall = await wallContext.newPage();
    await wall.goto(address);
    await wall.locator('[data-section="overview"]').waitFor();
    expect(wall.url()).not.toContain('#key=');
    await wall.locator('[data-testid="screen-live"][data-state="open"]').waitFor();

    // Revoking asks first, and says what happens.
    await card.getByRole('button', { name: /^停\s?用$/ }).click();
    const confirm = card.locator('[data-testid="revoke-confirm"]');
    expect(await confirm.textContent()).toContain('立即黑屏');
    expect(await misfits(desk)).toEqual([]);
    await confirm.getByRole('button', { name: '确认停用' }).click();
    await desk.getByText('“村委会大厅”的密钥已停用').waitFor();
    // The card stays a while, marked revoked, with nothing left to press.
    await card.getByText('已停用', { exact: true }).waitFor();
    expect(await card.getByRole('button').count()).toBe(0);
    expect(await card.getByRole('link').count()).toBe(0);

    // The wall turns dark by itself: its stream ends and the reconnection is refused.
    await wall.locator('[data-testid="screen-message"][data-problem="revoked"]').waitFor({ timeout: 20_000 });
    expect(await wall.locator('[data-testid="screen-message"]').textContent()).toContain('此屏幕的密钥已停用');
    await wallContext.close();
    await desk.context().close();
  });

  it('a grid worker has no screen keys in the menu, and the API refuses them', { timeout: 60_000 }, async () => {
    await world.fresh();
    const phone = await newPhone(world);
    await logIn(phone, world.baseUrl, GRID_WORKER, DEMO_PASSWORD);
    await phone.getByText('我的任务').first().waitFor();
    expect(await phone.getByText('大屏密钥').count()).toBe(0);
    await phone.context().close();

    const api = await signedInApi(world.baseUrl, GRID_WORKER, DEMO_PASSWORD);
    expect((await api('/api/screen/keys', undefined, 'GET')).status).toBe(403);
    const village = await world.deps.db.selectFrom('regions').select('id').where('code', '=', '500242105201').executeTakeFirstOrThrow();
    const refused = await api('/api/screen/keys', { regionId: village.id, name: '网格员的大屏' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('网格员的大屏');
  });
});
