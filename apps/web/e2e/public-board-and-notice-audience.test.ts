// Two things a newcomer met on the demo county (issue 15): 平地坝村's public exposure board (and
// then its matters, 50 at once) read in no date order and all on one 10,000 px page; the cadre's
// notices said 平地坝村全体 for farm advice that reached a few plum or prickly-ash households.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PHONE_390, phonePage, signedInPage } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const CADRE = '13800000003';
let world: WebWorld;

beforeAll(async () => {
  world = await startDemoWorld('public-board-and-notice-audience');
}, 180_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

describe("the demo county's public board and notice cards", () => {
  it('shows the exposure board newest first, 20 at a time, with a 查看更多 a thumb can hit', { timeout: 120_000 }, async () => {
    const page = await phonePage(world.browser, PHONE_390);
    await page.goto(`${world.baseUrl}/public`);
    await page.getByRole('link', { name: '平地坝村' }).click();
    await page.getByRole('heading', { name: '曝光台' }).waitFor();
    const cards = page.locator('article.task-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(20);
    const more = page.getByTestId('board-more');
    expect(await more.textContent()).toBe('查看更多');
    const box = await more.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(48);
    await more.click();
    await expect.poll(() => cards.count()).toBeGreaterThan(20);
    // Each card ends "number · category · YYYY-MM-DD": the dates never go up the page.
    const days = (await cards.locator('span.muted').allTextContents()).map((text) => text.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? '');
    expect(days.every((d) => d !== '')).toBe(true);
    expect(days).toEqual([...days].sort().reverse());
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toMatch(/1[3-9]\d{9}/);
    await page.context().close();
  });

  it('lists the village’s matters newest first by date, 20 at a time, with their own 查看更多', { timeout: 120_000 }, async () => {
    const page = await phonePage(world.browser, PHONE_390);
    await page.goto(`${world.baseUrl}/public`);
    await page.getByRole('link', { name: '平地坝村' }).click();
    const matters = page.getByTestId('matters').locator('li');
    await matters.first().waitFor();
    expect(await matters.count()).toBe(20);
    const more = page.getByTestId('matters-more');
    expect(await more.textContent()).toBe('查看更多');
    await more.click();
    await expect.poll(() => matters.count()).toBeGreaterThan(20);
    const days = (await matters.locator('.item-list-description').allTextContents()).map(
      (text) => text.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? '',
    );
    expect(days.every((d) => d !== '')).toBe(true);
    expect(days).toEqual([...days].sort().reverse());
    await page.context().close();
  });

  it("says whom the farm advice went to on the cadre's notice cards, not 全体", { timeout: 120_000 }, async () => {
    const page = await signedInPage(world, CADRE);
    await page.goto(`${world.baseUrl}/notices`);
    const advice = page.getByTestId('notice-card').filter({ hasText: '【农技指导】' });
    await advice.first().waitFor();
    for (const line of await advice.allTextContents()) {
      expect(line).not.toContain('全体');
      expect(line).toMatch(/发给：平地坝村 · (种|养)\S+的户/);
    }
    await page.context().close();
  });
});
