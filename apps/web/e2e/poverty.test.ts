// Return-to-poverty monitoring in the browser (issue 18): the village cadre opens the desk, finds
// the household waiting for the village review, reads its economics and passes the review, and
// the procedure moves on to the public notice; a villager reports a difficulty on the phone with
// big checkboxes and is told the grid worker will come, seeing their own household's report (and
// on the grid worker's page, our own page with a way home); the grid worker records a home visit
// offline with a note, a photo and a confirmation, is told what comes next, and it arrives once
// when the network is back; the desk list fits a 390 px phone.
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { seedDemoPoverty } from '../../server/src/modules/poverty/poverty.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { deskPage, inView, logIn, phonePage } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003'; // 胡青松, 平地坝村
const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村
const GRID_WORKER = '13800000004'; // 白小梅, 平地坝村第1网格

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let deps: Deps;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('poverty', async (seeded) => {
    const org = await seedDemoOrg(seeded, accountCredentials);
    await seedDemoPoverty(seeded, org.regionsByCode);
  }));
}, 120_000);

afterAll(async () => {
  await stop?.();
});
beforeEach(() => fresh());

describe('poverty monitoring in the browser', () => {
  it('lets the village cadre pass the village review from the desk, the file showing the economics', async () => {
    const page = await deskPage(browser);
    await logIn(page, baseUrl, CADRE, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/poverty`);
    await page.getByTestId('poverty-desk').waitFor();
    const row = page.locator('tr', { hasText: '村级民主评议' }).first();
    await row.getByTestId('monitored-link').click();
    await page.getByTestId('poverty-file').waitFor();
    // The economics are read (and audited) with the file: 5200 a head, under the line.
    await expect.poll(() => page.getByTestId('per-capita-last12').textContent(), { timeout: 15_000 }).toBe('5200');
    expect(await page.getByTestId('file-next-step').textContent()).toBe('村级民主评议');
    await page.getByTestId('step-form').getByRole('textbox').last().fill('村民代表会议评议通过');
    await page.getByTestId('step-approve').click();
    await expect.poll(() => page.getByTestId('file-next-step').textContent(), { timeout: 15_000 }).toBe('村内公示');
    const audited = await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'poverty.economics.read').execute();
    expect(audited.length).toBeGreaterThan(0);
    await page.context().close();
  }, 120_000);

  it('takes a villager’s own report of a difficulty from the phone', async () => {
    const page = await phonePage(browser);
    await logIn(page, baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/m/poverty/report`);
    await page.getByTestId('poverty-self-report').waitFor();
    // Her family reported the flood yesterday: she sees how her own report stands, nobody else's.
    await page.getByTestId('own-self-report').getByText('入户核查').waitFor({ timeout: 15_000 });
    // ...and what she reported, in her words (no office jargon among the choices either).
    expect(await page.getByTestId('own-self-report-reasons').textContent()).toContain('遭受自然灾害');
    expect(await page.getByText('看病、上学等大笔开支').count()).toBe(1);
    expect(await page.getByText('刚性支出').count()).toBe(0);
    // Targets a thumb can hit, words an elder can read.
    const line = await page.locator('.check-line').first().boundingBox();
    expect(line?.height).toBeGreaterThanOrEqual(48);
    expect(
      await page
        .locator('.check-line')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    await page.getByText('遭受自然灾害', { exact: true }).click();
    await page.getByText('家庭成员患重病').click();
    await page.locator('textarea').fill('房屋被洪水冲毁，老人住院');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByTestId('self-report-sent').waitFor({ timeout: 15_000 });
    const reported = await deps.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'poverty.self_report').execute();
    expect(reported.map((r) => r.outcome)).toEqual(['ok']);
    const rows = await deps.db.selectFrom('poverty_monitored').select(['reasons']).execute();
    expect(rows.some((r) => r.reasons.includes('seriousIllness') && r.reasons.includes('disaster'))).toBe(true);
    await page.context().close();
  }, 120_000);

  it('shows a villager who opens the grid worker’s page our own page with a big button home', async () => {
    const page = await phonePage(browser);
    await logIn(page, baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/m/poverty`);
    const own = page.getByTestId('poverty-not-yours');
    await own.waitFor({ timeout: 15_000 });
    expect(await own.locator('h1').textContent()).toBe('这是网格员的走访页面');
    expect(await page.getByText('无权执行此操作').count()).toBe(0);
    const home = page.getByTestId('poverty-home');
    expect(await home.textContent()).toContain('回到首页');
    // The button she came for is the filled one, home the plain one.
    expect(await page.getByTestId('poverty-own-report').getAttribute('class')).toContain('big-button-primary');
    expect(await home.getAttribute('class')).not.toContain('big-button-primary');
    const box = await home.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(48);
    await home.click();
    await page.waitForURL(`${baseUrl}/`);
    await page.context().close();
  }, 120_000);

  it('records a grid worker’s home visit offline with a note, a photo and a confirmation, once, and says what comes next', async () => {
    const page = await phonePage(browser);
    const context = page.context();
    await logIn(page, baseUrl, GRID_WORKER, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/m/poverty`);
    await page.getByTestId('poverty-visits').waitFor();
    const due = page
      .getByTestId('poverty-task')
      .filter({ has: page.getByRole('button', { name: '记录入户走访' }) })
      .first();
    // Found again by the household's name: the button it was found by goes once the form opens.
    const head = (await due.locator('header strong').textContent()) as string;
    const card = page.getByTestId('poverty-task').filter({ hasText: head }).first();
    await card.getByRole('button', { name: '记录入户走访' }).click();
    const form = card.getByTestId('home-visit-form');
    await form.waitFor();
    // No note, no next step: the button waits for what was found.
    expect(await form.getByRole('button', { name: '下一步：核对' }).isDisabled()).toBe(true);
    const note = '房屋被洪水冲毁一间，一家四口暂住亲戚家，需要临时救助';
    await form.getByRole('textbox').fill(note);
    const picture = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 90, g: 110, b: 140 } } })
      .jpeg()
      .toBuffer();
    const input = form.locator('input[type=file]');
    // Four photos for a form that takes three: three are kept and the page says so.
    await input.setInputFiles(['1', '2', '3', '4'].map((n) => ({ name: `room${n}.jpg`, mimeType: 'image/jpeg', buffer: picture })));
    await form.getByTestId('photo-count').getByText('已选 3 张，最多 3 张。 多出的没有加上：一次走访最多 3 张照片。').waitFor();
    expect(await form.getByRole('button', { name: /^不用第\d张$/ }).allTextContents()).toEqual(['不用第1张', '不用第2张', '不用第3张']);
    // Each photo is taken back on its own.
    await form.getByRole('button', { name: '不用第2张' }).click();
    expect(await form.getByTestId('file-picker-name').textContent()).toBe('room1.jpg、room3.jpg');
    await form.getByRole('button', { name: '不用第1张' }).click();
    await form.getByRole('button', { name: '不用第1张' }).click();
    expect(await form.getByRole('button', { name: /^不用第\d张$/ }).count()).toBe(0);
    // A good photo and a fake one: the fake one is named and left out, in view.
    await input.setInputFiles([
      { name: 'house.jpg', mimeType: 'image/jpeg', buffer: picture },
      { name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是照片') },
    ]);
    const refusal = form.getByTestId('photo-picker-note');
    await refusal.getByText('“假照片.jpg”不是照片，没有选上。', { exact: false }).waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    await expect.poll(() => inView(page, refusal)).toBe(true);
    expect(await form.getByTestId('file-picker-name').textContent()).toBe('house.jpg');
    await form.getByRole('button', { name: '下一步：核对' }).click();
    const confirm = card.getByTestId('home-visit-confirm');
    await confirm.getByText(note).waitFor();
    await confirm.getByText('照片 1 张').waitFor();

    await context.setOffline(true);
    await confirm.getByTestId('home-visit-save').click();
    await card.getByTestId('visit-saved').getByText('已保存在手机上，有网络时会自动发送').waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('visit-next-step').textContent()).toContain('授权书');
    const stored = () =>
      deps.db
        .selectFrom('poverty_step_events')
        .select(['id', 'monitored_id'])
        .where('step', '=', 'homeVisit')
        .where('note', '=', note)
        .execute();
    expect(await stored()).toEqual([]);

    await context.setOffline(false);
    await expect.poll(async () => (await stored()).length, { timeout: 45_000 }).toBe(1);
    const [event] = await stored();
    const evidence = await deps.db
      .selectFrom('poverty_evidence')
      .select(['step_event_id', 'content_type'])
      .where('monitored_id', '=', event?.monitored_id as string)
      .execute();
    expect(evidence).toEqual([{ step_event_id: event?.id, content_type: 'image/jpeg' }]);
    // The next step, the signed authorisation, has a way forward on the phone: what to do and a link to the file.
    await page.reload();
    const next = page.getByTestId('poverty-task').filter({ hasText: head }).filter({ hasText: '签署授权书' }).first();
    await next.getByTestId('poverty-step-on-file').getByText('请户主签署《授权书》，拍照后在这户的档案页上传。').waitFor();
    expect(await next.getByRole('link', { name: '打开档案办理' }).getAttribute('href')).toBe(`/poverty/monitored/${event?.monitored_id}`);
    // Every card says what is due before the date: never a bare "· 到期 …".
    for (const what of await page.getByTestId('poverty-task-what').allTextContents()) expect(what).not.toMatch(/^\s*·|^\s*$/);
    await context.close();
  }, 180_000);

  it('fits the desk list of monitored households on a 390 px phone, opening on the households still followed', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await logIn(page, baseUrl, CADRE, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/poverty`);
    await page.getByTestId('poverty-desk').waitFor();
    await page.getByTestId('monitored-link').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('filter-status').textContent()).toContain('跟踪中');
    expect(await page.getByText('风险已消除').count()).toBe(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `the page is ${width} px wide`).toBeLessThanOrEqual(390);
    // Each household is a card whose category, status, next step and open link are all on screen.
    const card = page.getByTestId('monitored-card').first();
    for (const word of ['监测类型', '状态', '下一环节', '查看档案']) {
      const box = await card.getByText(word, { exact: true }).boundingBox();
      expect(box, word).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), `${word} ends within the screen`).toBeLessThanOrEqual(390);
    }
    expect(await page.locator('table').count()).toBe(0);
    await context.close();
  }, 120_000);
});
