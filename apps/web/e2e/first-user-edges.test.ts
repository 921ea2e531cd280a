// Rough edges a first real user hit on the phone pages (issue 15), in chromium at 390×844 on the
// demo county: an application waiting for acceptance (待受理) shows no slot without a way to send it;
// the 随手拍 photo step shows a thumbnail (its object URL let go when replaced or removed) with big
// 删除照片 / 重选照片; deadlines read in words (12月10日 12:14, not 12/10 12:14); the 困难申报 tile has
// a drawing of its own; and the cadre's /notices opened on a phone has finger-sized controls, one
// card per notice with its state on screen (no sideways swipe, in either mode) and its time in words,
// and a notice just sent says so at once and 已发送 once it has gone, without a reload.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushDueNotices } from '../../server/src/modules/notices/notices-push.service.ts';
import { signedInPage } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村
const CADRE = '13800000003'; // 胡青松, 平地坝村
const DAY = 86_400_000;

let world: WebWorld;
let baseUrl: string;

beforeAll(async () => {
  world = await startDemoWorld('first-user-edges');
  ({ baseUrl } = world);
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

const photo = (background: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background } })
    .jpeg()
    .toBuffer();

async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not drawn`);
  return found;
}

describe('a service application waiting for acceptance (待受理)', { timeout: 90_000 }, () => {
  it('shows each material as sent or with a picker, and one 提交材料 button that sends what was chosen; its deadline in words', async () => {
    const { db } = world.deps;
    const application = await db
      .selectFrom('service_applications as a')
      .innerJoin('service_items as i', 'i.id', 'a.item_id')
      .select(['a.id', 'i.name'])
      .where('a.state', '=', 'submitted')
      .where('i.name', '=', '个体工商户设立登记')
      .executeTakeFirstOrThrow();
    expect(await db.selectFrom('service_application_files').select('id').where('application_id', '=', application.id).execute()).toEqual(
      [],
    );
    // A promised date a week ahead, as acceptance would set it.
    await db
      .updateTable('service_applications')
      .set({ due_at: Date.now() + 7 * DAY })
      .where('id', '=', application.id)
      .execute();

    const page = await signedInPage(world, VILLAGER);
    await page.goto(`${baseUrl}/m/services/applications/${application.id}`);
    await page.locator('.panel-header', { hasText: application.name }).getByText('待受理').waitFor();
    const facts = page.locator('.panel', { hasText: application.name }).first().locator('.muted').first();
    expect(await facts.textContent()).toMatch(/承诺办结 \d{1,2}月\d{1,2}日 \d\d:\d\d/);
    expect(await facts.textContent()).not.toMatch(/\d\d\/\d\d/);

    const materials = page.locator('.panel', { has: page.getByRole('heading', { name: '申请材料' }) });
    const pickers = materials.getByTestId('file-picker');
    await pickers.first().waitFor();
    const slots = await pickers.count();
    expect(slots).toBeGreaterThan(1);
    // The way to send them is right there, big; tapped with nothing chosen it says what to do.
    const submit = materials.getByRole('button', { name: '提交材料' });
    const submitBox = await submit.boundingBox();
    expect(submitBox && submitBox.height >= 48 && submitBox.width >= 48).toBe(true);
    await submit.click();
    await page.getByText('请先点上面的“选择文件”，选好要交的材料再提交').waitFor();

    const first = (await pickers.first().locator('input[type=file]').getAttribute('aria-label')) as string;
    await pickers
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: await photo('#ddd') });
    // Chosen is not sent: nothing goes until the button is tapped.
    await page.waitForTimeout(300);
    expect(await db.selectFrom('service_application_files').select('id').where('application_id', '=', application.id).execute()).toEqual(
      [],
    );
    await submit.click();
    await materials.getByTestId('materials-sent').getByText('已提交1份材料').waitFor();
    const files = await db
      .selectFrom('service_application_files')
      .select('material')
      .where('application_id', '=', application.id)
      .execute();
    expect(files).toEqual([{ material: first }]);
    // The sent one is said to be sent, with no empty slot left for it.
    await materials.getByTestId('material-sent').filter({ hasText: first }).waitFor();
    expect(await pickers.count()).toBe(slots - 1);
    expect(await materials.getByLabel(first, { exact: true }).count()).toBe(0);
    await page.context().close();
  });
});

describe('the 随手拍 photo', { timeout: 90_000 }, () => {
  it('shows as a thumbnail, not its file name, with big 重选照片 and 删除照片; each thumbnail’s object URL is revoked when replaced or removed', async () => {
    const page = await signedInPage(world, VILLAGER);
    await page.context().addInitScript(() => {
      const revoked: string[] = [];
      (window as unknown as { revoked: string[] }).revoked = revoked;
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.revokeObjectURL = (url: string) => {
        revoked.push(url);
        revoke(url);
      };
    });
    const revoked = () => page.evaluate(() => (window as unknown as { revoked: string[] }).revoked);
    await page.goto(`${baseUrl}/m/report`);
    await page.getByRole('button', { name: '环境卫生' }).click();
    const input = page.locator('input[type=file]');
    await input.waitFor({ state: 'attached' });
    await input.setInputFiles({ name: 'IMG_20261203_101500.jpg', mimeType: 'image/jpeg', buffer: await photo('#c84') });

    const thumbnail = page.getByTestId('photo-thumbnail');
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(64);
    const thumbBox = await thumbnail.boundingBox();
    expect(thumbBox && thumbBox.width >= 80 && thumbBox.height >= 80).toBe(true);
    // The name is for screen readers only: nothing of it is drawn.
    const name = await page.getByText('IMG_20261203_101500.jpg').boundingBox();
    expect(name === null || (name.width <= 1 && name.height <= 1)).toBe(true);
    const firstUrl = (await thumbnail.getAttribute('src')) as string;
    expect(firstUrl).toMatch(/^blob:/);

    // 重选照片: the control's own words once a photo is chosen, a finger's size; a new photo replaces the old.
    expect(await page.locator('.file-picker-button').textContent()).toContain('重选照片');
    const again = await box(page, '.file-picker-button');
    expect(again.width >= 48 && again.height >= 48).toBe(true);
    await input.setInputFiles({ name: 'IMG_20261203_101600.jpg', mimeType: 'image/jpeg', buffer: await photo('#48c') });
    await expect.poll(() => thumbnail.getAttribute('src')).not.toBe(firstUrl);
    const secondUrl = (await thumbnail.getAttribute('src')) as string;
    expect(await page.getByTestId('photo-thumbnail').count()).toBe(1);
    await expect.poll(revoked).toContain(firstUrl);

    const remove = page.getByRole('button', { name: '删除照片' });
    const removeBox = await remove.boundingBox();
    expect(removeBox && removeBox.width >= 48 && removeBox.height >= 48).toBe(true);
    await remove.click();
    await expect.poll(() => page.getByTestId('photo-thumbnail').count()).toBe(0);
    await expect.poll(revoked).toContain(secondUrl);
    expect(await page.getByTestId('file-picker-name').textContent()).toBe('未选择');
    expect(await page.locator('.file-picker-button').textContent()).toContain('选择照片');
    await page.context().close();
  });
});

describe("the villager's home", { timeout: 90_000 }, () => {
  it('gives 困难申报 a drawing of its own in the tiles’ style, not the desk monitor drawn for pages without one', async () => {
    const page = await signedInPage(world, VILLAGER);
    await page.goto(`${baseUrl}/`);
    await page.locator('.home-tile', { hasText: '困难申报' }).waitFor();
    const tiles = await page.locator('.home-tile').evaluateAll((links) =>
      links.map((link) => {
        const svg = link.querySelector('.home-tile-icon svg');
        return {
          label: link.querySelector('.home-tile-label')?.textContent ?? '',
          drawing: [...(svg?.querySelectorAll('path') ?? [])].map((p) => p.getAttribute('d')).join(' '),
          style: `${svg?.getAttribute('viewBox')} ${svg?.getAttribute('fill')}`,
        };
      }),
    );
    const hardship = tiles.find((tile) => tile.label === '困难申报');
    expect(hardship?.drawing).toBeTruthy();
    // The desk monitor (DesktopOutlined), what a page without a drawing gets.
    expect(hardship?.drawing.startsWith('M928 140H96')).toBe(false);
    expect(new Set(tiles.map((tile) => tile.drawing)).size).toBe(tiles.length);
    expect(new Set(tiles.map((tile) => tile.style))).toEqual(new Set(['64 64 896 896 currentColor']));
    await page.context().close();
  });
});

describe("the cadre's /notices on a 390×844 phone", { timeout: 120_000 }, () => {
  it('has every control at least 48×48, states on one line, and a notice just sent says 发送中 at once and 已发送 once gone, without a reload', async () => {
    const page = await signedInPage(world, CADRE);
    await page.goto(`${baseUrl}/notices`);
    await page.getByLabel('标题').waitFor({ timeout: 60_000 });
    await page.getByRole('checkbox', { name: '有老人' }).waitFor();
    await page.getByTestId('audience-size').locator('strong').waitFor();

    // What a finger taps, as phone-measure.ts counts it: a box or a switch through its label, antd's
    // inner parts as their control.
    // The page's own part of the screen (the layout's header and menu are measured elsewhere).
    const small = await page.locator('.app-content [data-read-aloud]').evaluate((root) => {
      const TAPPABLE =
        'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=switch], [role=checkbox], [role=option], [tabindex]:not([tabindex="-1"])';
      const seen = new Set<Element>();
      const breaches: string[] = [];
      for (const candidate of root.querySelectorAll(TAPPABLE)) {
        let el: Element = candidate;
        const label =
          candidate.closest('label') ?? (candidate.id ? document.querySelector(`label[for="${CSS.escape(candidate.id)}"]`) : null);
        if (
          label &&
          (candidate.getAttribute('role') === 'switch' || ['checkbox', 'radio', 'file'].includes((candidate as HTMLInputElement).type))
        )
          el = label;
        el = el.closest('.ant-select, .ant-picker, .ant-input-affix-wrapper, .ant-checkbox-wrapper') ?? el;
        if (seen.has(el)) continue;
        seen.add(el);
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (rect.width === 0 || style.visibility === 'hidden') continue;
        if (rect.width < 47.5 || rect.height < 47.5)
          breaches.push(
            `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.slice(0, 12)}" ${Math.round(rect.width)}×${Math.round(rect.height)}`,
          );
      }
      return breaches;
    });
    expect(small).toEqual([]);

    // The switch turns with a tap on its words too.
    const urgent = page.getByRole('switch', { name: '紧急' });
    expect(await urgent.getAttribute('aria-checked')).toBe('false');
    await page.locator('label[for="notice-urgent"] span').first().tap();
    await expect.poll(() => urgent.getAttribute('aria-checked')).toBe('true');
    await page.locator('label[for="notice-urgent"] span').first().tap();
    await expect.poll(() => urgent.getAttribute('aria-checked')).toBe('false');

    const title = '周六村道清扫';
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('内容').fill('周六上午八点，各组清扫村道，请每户出一人。');
    const sent = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /^\/api\/notices\/[^/]+\/transitions$/.test(new URL(r.url()).pathname),
    );
    await page.getByRole('button', { name: /立即发送/ }).tap();
    expect((await sent).status()).toBeLessThan(300);
    const state = page.getByTestId('notice-card').filter({ hasText: title }).getByTestId('notice-state');
    await state.waitFor();
    expect(await state.textContent()).toBe('发送中');

    // The push job's run (every 10 s in the server; here the test runs it): the list follows by itself.
    await pushDueNotices(world.deps);
    await expect.poll(() => state.textContent(), { timeout: 8_000 }).toBe('已发送');

    // Every state on one line (one box, as tall as one line of its text).
    const lines = await page
      .getByTestId('notice-state')
      .evaluateAll((tags) =>
        tags.map((tag) => ({ text: tag.textContent, boxes: tag.getClientRects().length, height: tag.getBoundingClientRect().height })),
      );
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line, JSON.stringify(line)).toMatchObject({ boxes: 1 });
    for (const line of lines) expect(line.height).toBeLessThan(30);
    await page.context().close();
  });

  for (const elder of [false, true]) {
    it(`shows every notice as a card with its state on screen and its time in words, nothing to swipe sideways (${elder ? 'elder' : 'normal'} mode)`, async () => {
      const page = await signedInPage(world, CADRE, { elder });
      await page.goto(`${baseUrl}/notices`);
      const cards = page.getByTestId('notice-card');
      await cards.first().waitFor({ timeout: 60_000 });
      // What the cadre has published, as the server lists it (the demo's sent ones and the one scheduled for tomorrow).
      const listed = await page.evaluate(async () => {
        const answer = await fetch('/api/notices');
        return ((await answer.json()) as { items: { title: string; state: string }[] }).items;
      });
      expect(listed.map((n) => n.state)).toEqual(expect.arrayContaining(['sent', 'scheduled']));
      await expect.poll(() => cards.count()).toBe(listed.length);
      expect(await page.locator('.notices-desk table').count()).toBe(0);

      // Nothing wider than the phone: the page scrolls only up and down.
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect(widths.page, JSON.stringify(widths)).toBeLessThanOrEqual(widths.screen);

      const words: Record<string, string> = { sent: '已发送', scheduled: '待发送', draft: '草稿', cancelled: '已取消' };
      for (const notice of listed) {
        const card = cards.filter({ hasText: notice.title }).first();
        const state = card.getByTestId('notice-state');
        await state.scrollIntoViewIfNeeded();
        expect(await state.textContent()).toBe(words[notice.state]);
        // Wholly on the screen, left to right, where the eye finds it without a swipe.
        const box = await state.boundingBox();
        expect(box, notice.title).not.toBeNull();
        expect(box?.x).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
        // Its time as the phone pages say it (今天 12:14, 12月10日 12:14), never the desk's 12/10 12:14.
        const text = (await card.textContent()) ?? '';
        expect(text).toMatch(/(今天|昨天|明天|\d+月\d+日) \d\d:\d\d/);
        expect(text).not.toMatch(/\d\d\/\d\d \d\d:\d\d/);
        // Who it is for by name: every notice of the demo is for the cadre's own village or places in it.
        expect(text).toContain('发给：');
        expect(text).not.toMatch(/另\d+处/);
      }
      // The one scheduled for tomorrow says when it will go.
      const scheduled = listed.find((n) => n.state === 'scheduled');
      expect(await cards.filter({ hasText: scheduled?.title }).first().textContent()).toMatch(/定于 明天 \d\d:\d\d 发送/);

      // Who has read a sent one opens under its card.
      const sent = cards.filter({ hasText: listed.find((n) => n.state === 'sent')?.title }).first();
      await sent.getByRole('button', { name: '已读情况' }).tap();
      await sent
        .getByTestId('receipts')
        .getByText(/已读 \d+\/\d+ 人/)
        .waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.context().close();
    });
  }

  it('makes one notice of a double tap on 立即发送', async () => {
    const page = await signedInPage(world, CADRE);
    await page.goto(`${baseUrl}/notices`);
    await page.getByLabel('标题').waitFor({ timeout: 60_000 });
    await page.getByTestId('audience-size').locator('strong').waitFor();
    const title = '明早停电检修';
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('内容').fill('明天上午九点到十一点停电，请提前做好准备。');
    const sent = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /^\/api\/notices\/[^/]+\/transitions$/.test(new URL(r.url()).pathname),
    );
    // Two taps in the same moment, before the page has drawn anything in between.
    await page.getByRole('button', { name: /立即发送/ }).evaluate((button) => {
      (button as HTMLButtonElement).click();
      (button as HTMLButtonElement).click();
    });
    expect((await sent).status()).toBeLessThan(300);
    await page.getByTestId('notice-card').filter({ hasText: title }).first().waitFor();
    await page.waitForTimeout(1_000);
    const made = await world.deps.db.selectFrom('notices').select('id').where('title', '=', title).execute();
    expect(made).toHaveLength(1);
    expect(await page.getByTestId('notice-card').filter({ hasText: title }).count()).toBe(1);
    await page.context().close();
  });
});
