// The farm pages in the browser (issue 17), in the demo county: 冉鲜荣 of Pingdiba, on a 390 px
// phone, opens 我的农场 from the home tile, opens her orchard camera's time-lapse from the plot, is told why a head count of 2.5 and a date next week
// are refused (nothing stored), adds a flock of under-forest chickens, records deaths with a photo
// (a text file passed off as a photo is refused first, nothing sent), sees advice the township's
// extension worker sent to households with under-forest chickens, and asks about a sick bird with
// a photo; the extension worker (罗正平) answers it on the desk and the household reads the answer
// in the thread. The farm's phone pages, as the flow leaves them, pass the phone-page
// measurements (phone-measure.ts) in the normal and the elder mode. The extension worker's desk
// pages are visited once each on a 390 px phone: what they show, nothing to scroll sideways, the
// advice library's expand buttons full targets named in Chinese, no control on the weather page
// named in English, the field records of every farm of the township by kind. The demo is loaded
// without the steps no farm page reads (points, care, services, notices, poverty, wall screens).
import type { Farm, ObservationPage } from '@cunzhi/contracts/agri-farms';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STEPS, loadDemoCounty } from '../../server/src/demo-county.ts';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { deskPage, inView, logIn } from './browser.ts';
import { type Mode, measure, type Row, report, settle, trackRequests } from './phone-measure.ts';
import { startWebWorld } from './web-world.ts';

const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村
const EXTENSION_WORKER = '13800000018'; // 罗正平, the township's 农技员

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  // Cases stay (the camera finding's case needs their categories), and the cameras (the farm camera).
  const farmSteps = new Set(['org', 'cases', 'monitoring', 'daxi', 'agri']);
  ({ baseUrl, browser, stop, fresh } = await startWebWorld('agri', async (seeded) => {
    await loadDemoCounty(
      seeded,
      DEMO_STEPS.filter((step) => farmSteps.has(step.name)),
    );
  }));
}, 240_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

/** A 390×844 phone in Chinese, signed in through the API; the service worker kept out (the page is measured, not its cache). */
async function phoneAs(phone: string): Promise<Page> {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    hasTouch: true,
  });
  await context.addInitScript({ content: 'window.__name = (f) => f;' });
  const page = await context.newPage();
  trackRequests(page);
  page.setDefaultTimeout(60_000);
  const answer = await page.request.post(`${baseUrl}/api/auth/login`, { data: { phone, password: DEMO_PASSWORD } });
  expect(answer.status(), `signing in as ${phone}`).toBe(200);
  return page;
}

/** The API as a signed-in person, from the test. */
async function apiAs(phone: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(answer.ok, `${path}: ${answer.status} ${await answer.clone().text()}`).toBe(true);
    return (await answer.json()) as T;
  };
}

const photo = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 120, g: 150, b: 80 } } })
    .jpeg()
    .toBuffer();

describe('farms on the phone and the desk', () => {
  it('a household adds a flock and an observation, sees advice, asks; the extension worker answers', { timeout: 600_000 }, async () => {
    const villager = await apiAs(VILLAGER);
    const { session } = await villager<{ session: { user: { householdId: string } } }>('/api/auth/current');
    const householdId = session.user.householdId;
    const flocks = async () => (await villager<Farm>(`/api/agri/farms/${householdId}`)).flocks;
    const flocksBefore = (await flocks()).length;
    const page = await phoneAs(VILLAGER);

    // From the phone home, one tap.
    await page.goto(`${baseUrl}/`);
    await page.locator('.home-tiles a', { hasText: '我的农场' }).click();
    await page.waitForURL('**/m/agri');
    await page.getByRole('heading', { name: '我的农场' }).waitFor();

    // The demo's plum orchard is watched by a farm camera: its time-lapse is one tap from the plot.
    await page.getByTestId('time-lapse-link').first().click();
    await page.waitForURL(/\/m\/farm\/[0-9a-f-]{36}$/);
    await page.getByTestId('lapse-date').waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: '我的农场' }).waitFor();

    // Bad input is explained under its box, and nothing is stored.
    await page.getByRole('button', { name: /添加禽畜/ }).click();
    const form = page.getByTestId('flock-form');
    await form.getByLabel('名称').fill('林下鸡二群');
    await form.getByLabel('种类').selectOption('forestChicken');
    await form.getByLabel('数量').fill('2.5');
    const nextWeek = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('入栏或孵出日期（可不填）').fill(nextWeek);
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByText('请填整数').waitFor();
    await form.getByText('日期不能在今天之后').waitFor();
    expect((await flocks()).length).toBe(flocksBefore);

    // Mended, it is added and shown with its head count.
    await form.getByLabel('数量').fill('300');
    await form.getByLabel('入栏或孵出日期（可不填）').fill('2026-09-01');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText('已添加“林下鸡二群”').waitFor();
    const card = page.getByTestId('flock-card').filter({ hasText: '林下鸡二群' });
    await card.getByText(/林下鸡 · 300 只/).waitFor();
    const flock = (await flocks()).find((f) => f.name === '林下鸡二群');
    expect(flock?.headCount).toBe(300);

    // An observation with a photo: a text file is refused on the phone first, a photo goes.
    await card.getByRole('link', { name: '记农情' }).click();
    await page.waitForURL(/\/m\/agri\/observe\?flock=/);
    await page.getByRole('button', { name: '死亡' }).click();
    await page.getByLabel('死亡数量').fill('3');
    await page.getByLabel('说明（可不填）').fill('夜里降温，冻死三只');
    await page.getByLabel('照片').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    // Refused at the choice, by name, beside the control and in view; not listed as chosen.
    const refusal = page.getByTestId('photo-picker-note');
    await refusal.getByText('“说明.txt”不是照片，没有选上。', { exact: false }).waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    await expect.poll(() => inView(page, refusal)).toBe(true);
    expect(await page.getByTestId('file-picker-name').textContent()).toBe('未选择');
    expect(await page.getByRole('button', { name: '不用第1张' }).count()).toBe(0);
    // Several photos on one record (up to six): two photos come.
    const chickens = await photo();
    await page.getByLabel('照片').setInputFiles([
      { name: 'chickens.jpg', mimeType: 'image/jpeg', buffer: chickens },
      { name: 'coop.jpg', mimeType: 'image/jpeg', buffer: await photo() },
    ]);
    await page.getByTestId('photo-count').getByText('已选 2 张，最多 6 张').waitFor();
    // The same photo chosen again is kept once, said so; the remove buttons stay one a photo.
    await page.getByLabel('照片').setInputFiles({ name: 'chickens.jpg', mimeType: 'image/jpeg', buffer: chickens });
    await refusal.getByText('“chickens.jpg”已经选过了', { exact: false }).waitFor();
    await page.getByTestId('photo-count').getByText('已选 2 张，最多 6 张').waitFor();
    expect(await page.getByRole('button', { name: /^不用第\d张$/ }).allTextContents()).toEqual(['不用第1张', '不用第2张']);
    await page.getByRole('button', { name: '不用第1张' }).click();
    expect(await page.getByRole('button', { name: /^不用第\d张$/ }).allTextContents()).toEqual(['不用第1张']);
    expect(await page.getByTestId('file-picker-name').textContent()).toBe('coop.jpg');
    await page.getByLabel('照片').setInputFiles({ name: 'chickens.jpg', mimeType: 'image/jpeg', buffer: chickens });
    await page.getByTestId('photo-count').getByText('已选 2 张，最多 6 张').waitFor();
    expect(await page.getByRole('button', { name: /^不用第\d张$/ }).allTextContents()).toEqual(['不用第1张', '不用第2张']);
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('observe-outcome').getByText('已记下“林下鸡二群”的农情').waitFor();
    // Sent through the outbox: the photo first, then the observation naming it.
    await expect
      .poll(async () => (await villager<ObservationPage>(`/api/agri/farms/${householdId}/observations?limit=5`)).items, { timeout: 30_000 })
      .toContainEqual(
        expect.objectContaining({ note: '夜里降温，冻死三只', deaths: 3, photoIds: [expect.any(String), expect.any(String)] }),
      );

    // The extension worker's rule for under-forest chickens reaches this household (its flock).
    const worker = await apiAs(EXTENSION_WORKER);
    const rule = await worker<{ id: string }>('/api/agri/advice-rules', {
      title: '林下鸡防寒保暖',
      body: '夜间气温低于5℃时关好鸡舍门窗，垫干草，饮温水。',
      subjects: ['forestChicken'],
      validDays: 15,
    });
    const run = await worker<{ households: number }>('/api/agri/advice/run', { ruleId: rule.id });
    expect(run.households).toBeGreaterThanOrEqual(1);
    await page.goto(`${baseUrl}/m/agri`);
    await page.getByTestId('advice-received').getByText('林下鸡防寒保暖').waitFor();
    await page.getByTestId('observations').getByText('夜里降温，冻死三只').waitFor();
    await page
      .getByTestId('farm-history')
      .getByText(/新增\s*林下鸡二群/)
      .waitFor();

    // A question with a photo.
    await page.getByRole('link', { name: /问农技员/ }).click();
    await page.waitForURL('**/m/agri/questions');
    await page.getByLabel('关于').selectOption({ label: '林下鸡二群' });
    await page.getByLabel('问题').fill('二群有三只鸡精神不好、不吃食，怎么办？');
    await page.getByLabel('照片').setInputFiles({ name: 'sick.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await page.getByRole('button', { name: '发送问题' }).click();
    await page
      .getByTestId('ask-outcome')
      .getByText(/已发送/)
      .waitFor();
    await page
      .getByTestId('my-questions')
      .getByText(/二群有三只鸡精神不好/)
      .waitFor();

    // The extension worker answers on the desk.
    const desk = await deskPage(browser);
    await logIn(desk, baseUrl, EXTENSION_WORKER, DEMO_PASSWORD);
    await desk.goto(`${baseUrl}/agri/questions`);
    await desk.getByRole('button', { name: /二群有三只鸡精神不好/ }).click();
    const drawer = desk.locator('.ant-drawer');
    await drawer.getByTestId('question-thread').getByText('二群有三只鸡精神不好、不吃食，怎么办？').waitFor();
    expect(await drawer.locator('.agri-photos img').count()).toBe(1);
    await drawer.getByRole('textbox', { name: '答复' }).fill('先隔离病鸡，保暖，饮水中加电解多维；明天我到村里看看。');
    await drawer.getByRole('button', { name: /发送答复/ }).click();
    await desk.getByText('已答复，农户会收到通知').waitFor();
    await desk.context().close();

    // The household reads the answer in the thread.
    await page.goto(`${baseUrl}/m/agri/questions`);
    await page
      .getByTestId('my-questions')
      .getByRole('link', { name: /二群有三只鸡精神不好/ })
      .click();
    await page
      .getByTestId('question-thread')
      .getByText(/先隔离病鸡/)
      .waitFor();
    await page
      .getByTestId('question-thread')
      .getByText(/农技员 罗正平/)
      .waitFor();
    const threadPath = new URL(page.url()).pathname;

    // Every farm phone page as the flow left it, in both modes, by the age-friendly rules.
    const rows: Row[] = [];
    for (const mode of ['normal', 'elder'] as Mode[]) {
      await page.evaluate((on) => {
        if (on) localStorage.setItem('cunzhi.elderMode', '1');
        else localStorage.removeItem('cunzhi.elderMode');
      }, mode === 'elder');
      for (const path of ['/m/agri', `/m/agri/observe?flock=${flock?.id}`, '/m/agri/questions', threadPath]) {
        await page.goto(`${baseUrl}${path}`);
        await page.locator('.agri-title').waitFor();
        await settle(page, path);
        rows.push({ role: 'villager', mode, page: path, ...(await measure(page, mode)) });
      }
    }
    const text = report(rows);
    process.stdout.write(`\nfarm pages\n${text.split('\n').slice(0, 2).join('\n')}\n`);
    expect(rows.flatMap((r) => r.breaches).length, `breaches:\n${text}`).toBe(0);
    await page.context().close();
  });

  it('the extension worker’s desk on a 390 px phone: farms, field records, questions, the advice library with today’s solar term, the weather, the figures as XLSX; nothing sideways, full expand buttons, Chinese names', {
    timeout: 300_000,
  }, async () => {
    // One phone-sized visit of each desk page does both: what the desk shows, and that it fits.
    const page = await phoneAs(EXTENSION_WORKER);
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    /** What sticks out to the right: for a failure's message. */
    const wide = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((e) => `${e.tagName}.${e.className}`.slice(0, 80)),
      );
    /** Control names that are not Chinese (antd's own English names). */
    const english = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[aria-label]')]
          .filter((e) => !e.closest('[aria-hidden="true"]'))
          .map((e) => e.getAttribute('aria-label') ?? '')
          .filter((label) => !/[\u4e00-\u9fff]/.test(label)),
      );
    const open = async (path: string) => {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('.panel').first().waitFor();
      await settle(page, path);
      expect(await sideways(), `${path}: ${(await wide()).join(' | ')}`).toBeLessThanOrEqual(0);
    };

    // The phone's farm pages tell staff, who keep no farm, where field records are kept, with a way there.
    for (const path of ['/m/agri', '/m/agri/observe']) {
      await page.goto(`${baseUrl}${path}`);
      const staff = page.getByTestId('agri-staff-desk');
      await staff.getByText('各户的田间记录在工作台的“农户农场”页记录和查看', { exact: false }).waitFor();
      expect(await page.getByText('您的账号未关联家庭').count()).toBe(0);
    }
    await page.getByRole('link', { name: '去工作台：农户农场' }).click();
    await page.waitForURL(/\/agri$/);

    await open('/agri');
    // Each household is a card saying what it keeps: a flock's head count, never "0 块地" for a flock-only farm.
    const cards = page.getByTestId('farm-card');
    await cards.first().waitFor();
    expect(await page.getByTestId('farm-card-flocks').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('farm-card-flocks').first().textContent()).toMatch(/存栏 \d+/);
    expect((await cards.allTextContents()).filter((text) => /(^|\D)0 块地|0 地块/.test(text))).toEqual([]);
    expect(await english()).toEqual([]);
    await page.getByRole('button', { name: '冉鲜荣' }).first().click();
    await page.getByTestId('farm-detail').getByText('林下鸡').first().waitFor();
    expect(await sideways(), `the farm drawer: ${(await wide()).join(' | ')}`).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');

    // The field records: every farm of the township, deaths only when asked.
    await open('/agri/observations');
    const records = page.getByTestId('field-records');
    await records.locator('li').first().waitFor();
    await page.getByRole('combobox', { name: '记录类别' }).click();
    await page.locator('.ant-select-item-option', { hasText: '死亡' }).click();
    await records
      .getByText(/死亡 \d+/)
      .first()
      .waitFor();
    const lines = await records.locator('li').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.includes('死亡'))).toBe(true);
    expect(new Set(lines.map((line) => line.split('家（')[0])).size).toBeGreaterThan(1);

    await open('/agri/questions');
    expect(await english()).toEqual([]);

    // The library: today's solar term, 20+ rules as cards, open buttons of 48×48 at least named for the rule in Chinese.
    await open('/agri/advice');
    await page
      .getByTestId('solar-term')
      .getByText(/节气：/)
      .waitFor();
    const rule = page.getByTestId('advice-rule-card').filter({ hasText: '林下鸡：首次寒潮来临前' }).first();
    await rule.waitFor();
    expect(await page.getByTestId('advice-rule-card').count()).toBeGreaterThanOrEqual(20);
    const expand = rule.getByRole('button', { name: '展开“林下鸡：首次寒潮来临前”' });
    const box = await expand.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(48);
    expect(box?.height).toBeGreaterThanOrEqual(48);
    await expand.click();
    await page.getByRole('button', { name: '收起“林下鸡：首次寒潮来临前”' }).waitFor();
    await page.getByText(/寒潮来临前一天加固鸡舍/).waitFor();
    // The rule's text and its buttons sit inside the screen, nothing cut off at the right.
    for (const part of [rule.locator('.agri-advice-text'), rule.getByRole('button', { name: '今天会推送给谁' })]) {
      const at = await part.boundingBox();
      expect((at?.x ?? 0) + (at?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    expect(await sideways(), `the open rule: ${(await wide()).join(' | ')}`).toBeLessThanOrEqual(0);

    // The weather: every control's name is Chinese (antd's "Increase Value" and icon names were English).
    await open('/agri/weather');
    await page.getByRole('heading', { name: '近期天气与预报' }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    expect(await english()).toEqual([]);

    await open('/agri/figures');
    const farms = page.getByTestId('figures-farms');
    await farms.waitFor();
    expect(Number(await farms.textContent())).toBeGreaterThan(0);
    const href = await page.getByTestId('figures-xlsx').getAttribute('href');
    const xlsx = await page.request.get(`${baseUrl}${href}`);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    await page.context().close();
  });
});
