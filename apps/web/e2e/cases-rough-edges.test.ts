// What a first user tripped over in 民事直说 / 随手拍 (issue 15), tried again in chromium: a double
// tap, a huge photo and a text file sent as one, the phone's position allowed and refused, a draft
// left by going back, buttons a person may not use, the desk's search, "my reports" order, and
// the public exposure board's titles.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoCases } from '../../server/src/modules/cases/cases.demo.ts';
import type { RegionRecord } from '../../server/src/modules/org/regions.repository.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../server/test/factories.ts';
import { inView, logIn as signIn } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const VILLAGER = '13900000101';
const WORKER = '13900000102';
const CADRE = '13900000103';
/** The demo's department handler: the cases demo puts this phone at the transport commission. */
const HANDLER = '13800000006';
const WORKER_NAME = '李网格';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let deps: Deps;
let tree: Tree;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('cases-rough-edges', async (seeded) => {
    tree = await buildTree(seeded);
    const home = await buildHousehold(seeded, { region: tree.groupA1 });
    const person = await buildPerson(seeded, { region: tree.groupA1, householdId: home.id });
    await buildUser(seeded, { role: 'villager', region: tree.villageA, personId: person.id, phone: VILLAGER, name: '王小明' });
    await buildUser(seeded, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA, phone: WORKER, name: WORKER_NAME });
    await buildUser(seeded, { role: 'villageCadre', region: tree.villageA, phone: CADRE, name: '胡村干' });
    await buildUser(seeded, { role: 'departmentHandler', region: tree.county, phone: HANDLER, name: '交通局小张' });
    const regionsByCode = new Map<string, RegionRecord>(
      Object.values(tree).flatMap((r) => (typeof r === 'string' ? [] : [[r.code, r] as [string, RegionRecord]])),
    );
    // The demo's categories and departments, and a year of cases, some on the exposure board.
    await seedDemoCases(seeded, regionsByCode, { count: 80 });
  }));
}, 120_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' };

async function phone(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, ...options });
  return context.newPage();
}
async function desk(): Promise<Page> {
  // Service workers blocked: a request the worker answers would pass by page.route.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', serviceWorkers: 'block' });
  return context.newPage();
}
const logIn = (page: Page, who: string) => signIn(page, baseUrl, who, PASSWORD);

const casesDescribed = (description: string) =>
  deps.db.selectFrom('cases').select(['id', 'latitude', 'longitude', 'region_id']).where('description', '=', description).execute();

/** Opens the report page, picks the first category routed to the grid and writes the text. */
async function startReport(page: Page, text: string): Promise<void> {
  await page.goto(`${baseUrl}/m/report`);
  await page.getByRole('button', { name: '环境卫生' }).click();
  await page.getByLabel('2. 说说情况').fill(text);
}
const submitButton = (page: Page) => page.getByRole('button', { name: /提\s*交/ });

describe('reporting on a phone', { timeout: 120_000 }, () => {
  it('makes one case of a double-tapped 提交, and the next form is the next case, shown first in 我的反映', async () => {
    const page = await phone();
    await logIn(page, VILLAGER);
    await startReport(page, '双击测试：垃圾池满了');
    await submitButton(page).dblclick();
    await page.getByText('已提交，可在“我的反映”查看进度').waitFor();
    await expect.poll(async () => (await casesDescribed('双击测试：垃圾池满了')).length, { timeout: 5_000 }).toBe(1);
    // Give a stray second send every chance to land before counting again.
    await page.waitForTimeout(1_500);
    expect(await casesDescribed('双击测试：垃圾池满了')).toHaveLength(1);

    await startReport(page, '第二件：路灯不亮');
    await submitButton(page).click();
    await expect.poll(async () => (await casesDescribed('第二件：路灯不亮')).length, { timeout: 5_000 }).toBe(1);
    await page.goto(`${baseUrl}/m/cases`);
    const titles = page.locator('.item-list a');
    await titles.first().waitFor();
    expect(await titles.first().textContent()).toContain('第二件：路灯不亮');
    expect(await titles.nth(1).textContent()).toContain('双击测试：垃圾池满了');
    await page.context().close();
  });

  it('shrinks a 14 MB photo before sending it, and refuses a text file sent as a photo with one message, sending nothing', async () => {
    const page = await phone();
    await logIn(page, VILLAGER);
    const width = 4000;
    const height = 3000;
    // Noise does not compress: a camera-sized picture of 10+ MB, as a phone's camera makes.
    const noise = randomBytes(width * height * 3);
    const huge = await sharp(noise, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(huge.length).toBeGreaterThan(10 * 1_048_576);
    // Given as a file on disk: the browser reads it there, as a phone's file picker would.
    const hugeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-photo-')), 'IMG_0001.jpg');
    fs.writeFileSync(hugeFile, huge);

    await startReport(page, '大照片：河沟里有垃圾');
    await page.locator('input[type=file]').setInputFiles(hugeFile);
    await submitButton(page).click();
    // Decoding and drawing a 12-megapixel picture is slow on a loaded test machine, as on a cheap phone.
    await page.getByText('已提交，可在“我的反映”查看进度').waitFor({ timeout: 45_000 });
    await expect
      .poll(
        async () =>
          deps.db
            .selectFrom('case_photos as p')
            .innerJoin('cases as c', 'c.id', 'p.case_id')
            .select(['p.width', 'p.height', 'p.bytes'])
            .where('c.description', '=', '大照片：河沟里有垃圾')
            .execute(),
        { timeout: 30_000 },
      )
      .toEqual([{ width: 1600, height: 1200, bytes: expect.any(Number) }]);
    expect(await page.getByText('请求内容过大').count()).toBe(0);

    await startReport(page, '假照片：路边杂草');
    // A text file named .jpg is refused at the choice, by name, beside the control and in view.
    await page.locator('input[type=file]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是照片') });
    const refusal = page.getByTestId('photo-picker-note');
    await refusal.getByText('“photo.jpg”不是照片，没有选上。').waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    await expect.poll(() => inView(page, refusal)).toBe(true);
    expect(await page.getByTestId('file-picker-name').textContent()).toBe('未选择');
    // One with a JPEG's first bytes that does not decode is refused at the send, beside the button, in view.
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) });
    await page.getByTestId('file-picker-name').getByText('broken.jpg').waitFor();
    await submitButton(page).click();
    const outcome = page.getByTestId('report-outcome');
    await outcome.getByText('所选文件不是照片，未提交').waitFor();
    expect(await outcome.getAttribute('role')).toBe('alert');
    await expect.poll(() => inView(page, outcome)).toBe(true);
    expect(await page.getByText('已提交').count()).toBe(0);
    await page.waitForTimeout(1_000);
    expect(await casesDescribed('假照片：路边杂草')).toHaveLength(0);
    // The text is still there: take the photo away and send.
    expect(await page.getByLabel('2. 说说情况').inputValue()).toBe('假照片：路边杂草');
    await page.getByRole('button', { name: '删除照片' }).click();
    await submitButton(page).click();
    await page.getByText('已提交，可在“我的反映”查看进度').waitFor();
    await expect.poll(async () => (await casesDescribed('假照片：路边杂草')).length, { timeout: 5_000 }).toBe(1);
    await page.context().close();
    fs.rmSync(path.dirname(hugeFile), { recursive: true, force: true });
  });

  it('sends the position when the phone allows it, and the group alone when it does not', async () => {
    const allowed = await phone({ permissions: ['geolocation'], geolocation: { latitude: 28.8412, longitude: 108.7731 } });
    await logIn(allowed, VILLAGER);
    await startReport(allowed, '有位置：垃圾池满了');
    await allowed.getByText('已获取您的位置').waitFor();
    await submitButton(allowed).click();
    await expect
      .poll(async () => casesDescribed('有位置：垃圾池满了'), { timeout: 5_000 })
      .toEqual([expect.objectContaining({ latitude: 28.8412, longitude: 108.7731, region_id: tree.groupA1.id })]);
    await allowed.context().close();

    const refused = await phone();
    await refused.context().clearPermissions();
    await logIn(refused, VILLAGER);
    await startReport(refused, '无位置：垃圾池满了');
    await refused.getByText(/未获取位置，将按“.*”提交/).waitFor({ timeout: 15_000 });
    await submitButton(refused).click();
    await expect
      .poll(async () => casesDescribed('无位置：垃圾池满了'), { timeout: 5_000 })
      .toEqual([expect.objectContaining({ latitude: null, longitude: null, region_id: tree.groupA1.id })]);
    await refused.context().close();
  });

  it('keeps a half-written report when the villager goes back, and says the photo is not kept', async () => {
    const page = await phone();
    await logIn(page, VILLAGER);
    await startReport(page, '写了一半的反映');
    await page.getByText('照片不保存').waitFor();
    await page.goto(`${baseUrl}/m/cases`);
    await page.goBack();
    await page.waitForURL('**/m/report');
    expect(await page.getByLabel('2. 说说情况').inputValue()).toBe('写了一半的反映');
    expect(await page.getByRole('button', { name: '环境卫生' }).getAttribute('aria-pressed')).toBe('true');
    // Sent, the draft is gone: the next visit starts empty.
    await submitButton(page).click();
    await page.getByText('已提交，可在“我的反映”查看进度').waitFor();
    await page.reload();
    await page.getByRole('button', { name: '环境卫生' }).click();
    expect(await page.getByLabel('2. 说说情况').inputValue()).toBe('');
    await page.context().close();
  });
});

describe('each person sees what they may do', { timeout: 120_000 }, () => {
  it('offers 接单 to the grid worker and not the reporter, rating stars to the reporter (none chosen) and not the department handler', async () => {
    const villager = await phone();
    await logIn(villager, VILLAGER);
    await startReport(villager, '谁能做什么：垃圾池满了');
    await submitButton(villager).click();
    await expect.poll(async () => (await casesDescribed('谁能做什么：垃圾池满了')).length, { timeout: 5_000 }).toBe(1);
    const [mine] = await casesDescribed('谁能做什么：垃圾池满了');
    await villager.goto(`${baseUrl}/cases/${mine?.id}`);
    await villager.getByTestId('case-handler').waitFor();
    expect(await villager.getByTestId('case-handler').textContent()).toBe(WORKER_NAME);
    expect(await villager.getByRole('button', { name: /接\s*单/ }).count()).toBe(0);
    expect(await villager.getByText('无权执行此操作').count()).toBe(0);

    const worker = await phone();
    await logIn(worker, WORKER);
    await worker.goto(`${baseUrl}/cases/${mine?.id}`);
    await worker.getByRole('button', { name: /接\s*单/ }).click();
    await worker
      .getByRole('button', { name: /办\s*结/ })
      .first()
      .waitFor();
    expect(await worker.locator('fieldset.stars').count()).toBe(0);
    await worker.context().close();

    // A department's case, replied: the handler gets no stars; the reporter's have none chosen.
    const road = await deps.db.selectFrom('case_categories').select('id').where('code', '=', 'road').executeTakeFirstOrThrow();
    await deps.db
      .updateTable('cases')
      .set({ category_id: road.id, state: 'replied', assignee_user_id: null, replied_at: Date.now() })
      .set((eb) => ({
        assignee_department_id: eb.selectFrom('departments').select('id').where('name', '=', '县交通运输委员会').limit(1),
      }))
      .where('id', '=', mine?.id as string)
      .execute();
    const handler = await desk();
    await logIn(handler, HANDLER);
    await handler.goto(`${baseUrl}/cases/${mine?.id}`);
    await handler.getByTestId('case-handler').waitFor();
    expect(await handler.getByTestId('case-handler').textContent()).toBe('县交通运输委员会');
    expect(await handler.locator('fieldset.stars').count()).toBe(0);
    expect(await handler.getByRole('button', { name: /评\s*价/ }).count()).toBe(0);
    await handler.context().close();

    await villager.reload();
    await villager.locator('fieldset.stars').waitFor();
    expect(await villager.locator('fieldset.stars input:checked').count()).toBe(0);
    expect(await villager.locator('fieldset.stars').textContent()).not.toContain('★');
    const rate = villager.getByRole('button', { name: /评\s*价/ });
    expect(await rate.isDisabled()).toBe(true);
    await villager.locator('fieldset.stars label').nth(3).click();
    expect(await rate.isDisabled()).toBe(false);
    await rate.click();
    await expect
      .poll(
        async () =>
          await deps.db
            .selectFrom('cases')
            .select(['rating', 'state'])
            .where('id', '=', mine?.id as string)
            .executeTakeFirst(),
        {
          timeout: 5_000,
        },
      )
      .toEqual({ rating: 4, state: 'closed' });
    await villager.context().close();
  });
});

describe('the desk and the public pages', { timeout: 120_000 }, () => {
  it('searches the desk by words and narrows by a village typed into the region picker', async () => {
    const page = await desk();
    await logIn(page, CADRE);
    await page.goto(`${baseUrl}/cases`);
    await page.getByText('辖区事项').click();
    const titles = page.locator('.item-list a');
    await titles.first().waitFor();
    const words = (await titles.first().textContent())?.slice(0, 3) ?? '';
    await page.getByLabel('搜索标题、内容或编号').fill(words);
    await expect
      .poll(async () => {
        const shown = await titles.allTextContents();
        return shown.length > 0 && shown.every((title) => title.includes(words));
      })
      .toBe(true);
    await page.getByRole('button', { name: '清除筛选' }).click();

    // The picker is typed into: a village is found by its name without opening the tree. Opening
    // it loads the villages of every township; here the township's villages are held back until
    // the name has been typed, as on a slow phone line, and the village must still be shown.
    const picker = page.getByRole('search').locator('.ant-select').filter({ hasText: '村/组' });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const asked = new Promise<void>((resolve) => {
      void page.route(`**/api/org/regions?parentId=${tree.townshipA.id}*`, async (route) => {
        resolve();
        await held;
        await route.continue();
      });
    });
    await picker.click();
    await asked;
    await page.keyboard.type('平地坝');
    expect(await page.locator('.ant-select-tree-title', { hasText: '平地坝村' }).count()).toBe(0);
    const villagesLoaded = page.waitForResponse((r) => r.url().includes(`parentId=${tree.townshipA.id}`));
    release();
    await villagesLoaded;
    const narrowed = page.waitForResponse((r) => r.url().includes(`regionId=${tree.villageA.id}`) && r.status() === 200);
    await page.locator('.ant-select-tree-title', { hasText: '平地坝村' }).first().click();
    await narrowed;
    await expect
      .poll(async () => {
        const shown = await titles.count();
        const places = await page.locator('.item-list').first().textContent();
        return shown > 0 && places !== null && places.includes('平地坝村');
      })
      .toBe(true);
    await page.context().close();
  });

  it('shows a title and a text for every entry of a demo village exposure board', async () => {
    const busiest = await deps.db
      .selectFrom('cases')
      .select(['village_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('public_state', '=', 'published')
      .groupBy('village_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const page = await phone();
    await page.goto(`${baseUrl}/public/villages/${busiest.village_id}`);
    const entries = page.locator('article.task-card');
    await entries.first().waitFor();
    expect(await entries.count()).toBeGreaterThan(0);
    for (const entry of await entries.all()) {
      expect((await entry.locator('.task-title').textContent())?.trim()).not.toBe('');
      expect((await entry.locator('p').first().textContent())?.trim()).not.toBe('');
    }
    await page.context().close();
  });
});
