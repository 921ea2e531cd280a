import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_GATEWAY_KEY, seedDemoCare } from '../../server/src/modules/care/care.demo.ts';
import { seedDemoCases } from '../../server/src/modules/cases/cases.demo.ts';
import { seedDemoNotices } from '../../server/src/modules/notices/notices.demo.ts';
import { pushDueNotices } from '../../server/src/modules/notices/notices-push.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { seedDemoPoints } from '../../server/src/modules/points/points.demo.ts';
import { seedDemoServices } from '../../server/src/modules/services/services.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { deskPage as openDeskPage, phonePage as openPhonePage, pickRegion, logIn as signIn } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003';
const VILLAGER = '13800000011';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let otherHouseholdId: string;
let deps: Deps;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('app', async (seeded) => {
    const demo = await seedDemoOrg(seeded, accountCredentials);
    await seedDemoCases(seeded, demo.regionsByCode, { count: 50 });
    const keeper = await seeded.db.selectFrom('users').select('id').where('phone', '=', '13800000009').executeTakeFirstOrThrow();
    await seedDemoPoints(seeded, demo.regionsByCode, keeper.id);
    await seedDemoCare(seeded, demo.regionsByCode);
    await seedDemoServices(seeded, demo.regionsByCode);
    const cadre = await seeded.db.selectFrom('users').select('id').where('phone', '=', '13800000003').executeTakeFirstOrThrow();
    await seedDemoNotices(seeded, demo.regionsByCode, cadre.id);
    const other = await seeded.db.selectFrom('households').select('id').where('head_name', '=', '何易光').executeTakeFirstOrThrow();
    otherHouseholdId = other.id;
  }));
}, 120_000);

afterAll(() => stop?.());
// Each test starts from the seed, so that none sees what another wrote, in whatever order they run.
beforeEach(() => fresh());

const phonePage = () => openPhonePage(browser);
const deskPage = () => openDeskPage(browser);
const logIn = (page: Page, phone: string) => signIn(page, baseUrl, phone, DEMO_PASSWORD);

describe('the web app in chromium on a 360 px phone', () => {
  it('a village cadre logs in, opens a household and sees masked ID numbers only', async () => {
    const page = await phonePage();
    await logIn(page, CADRE);
    await page.getByText('欢迎，胡青松').waitFor();
    await page.goto(`${baseUrl}/households`);
    await page.locator('.item-list a').first().click();
    await page.waitForURL('**/households/*');
    const idNumber = page.getByTestId('id-number').first();
    await idNumber.waitFor();
    // First and last character only: region and birth date would rebuild the number (GB 11643-1999).
    expect(await idNumber.textContent()).toMatch(/^5\*{16}[0-9X]$/);
    // A village cadre has no right to the full number, so no button offers it.
    expect(await page.getByText('查看完整号码').count()).toBe(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-household-phone.png') });
    await page.context().close();
  });

  it('a villager sees their own household and cannot open another one', async () => {
    const page = await phonePage();
    await logIn(page, VILLAGER);
    await page.getByRole('button', { name: '菜单' }).click();
    // (the home page has a 我的家庭 tile too: the one taken here is the menu's)
    await page.locator('.side-drawer').getByRole('link', { name: '我的家庭' }).click();
    await page.getByRole('heading', { name: '冉鲜荣' }).waitFor();

    await page.goto(`${baseUrl}/households/${otherHouseholdId}`);
    await page.getByText('未找到该户').waitFor();
    expect(await page.getByText('何易光').count()).toBe(0);
    await page.context().close();
  });

  it('refuses a wrong password in the page and switches to English', async () => {
    const page = await phonePage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Cunzhi' }).waitFor();
    await page.fill('input[name=phone]', CADRE);
    await page.fill('input[name=password]', 'wrong-password-1');
    await page.click('button[type=submit]');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong phone number or password');
    // A demo server says so on the login page, in both languages, where nobody can miss it.
    expect(await page.getByRole('note').textContent()).toContain('演示模式 Demo mode');
    await page.context().close();
  });
});

describe('cases on phones', () => {
  it('a villager reports in three taps; the grid worker handles it with the network cut, and each step lands once', async () => {
    const villager = await phonePage();
    await logIn(villager, VILLAGER);
    await villager.goto(`${baseUrl}/m/report`);
    const category = await deps.db
      .selectFrom('case_categories')
      .select('name')
      .where('route_to', '=', 'grid')
      .orderBy('sort_order')
      .executeTakeFirstOrThrow();
    await villager.getByRole('button', { name: category.name }).click();
    await villager.getByLabel('2. 说说情况').fill('浏览器测试：三组水井的盖子坏了');
    const picture = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6a8' } })
      .jpeg()
      .toBuffer();
    await villager.locator('input[type=file]').setInputFiles({ name: 'well.jpg', mimeType: 'image/jpeg', buffer: picture });
    await villager.getByRole('button', { name: /提\s*交/ }).click();
    await villager.getByText('已提交，可在“我的反映”查看进度').waitFor();
    // The photo follows the report in the same send, not at the next retry.
    await expect
      .poll(
        async () =>
          (
            await deps.db
              .selectFrom('case_photos as p')
              .innerJoin('cases as c', 'c.id', 'p.case_id')
              .select('p.id')
              .where('c.description', '=', '浏览器测试：三组水井的盖子坏了')
              .execute()
          ).length,
        { timeout: 5_000 },
      )
      .toBe(1);
    await villager.goto(`${baseUrl}/m/cases`);
    await villager.getByText('浏览器测试：三组水井的盖子坏了').first().waitFor();
    await villager.context().close();

    const created = await deps.db
      .selectFrom('cases')
      .innerJoin('users', 'users.id', 'cases.assignee_user_id')
      .select(['cases.id', 'cases.number', 'users.phone'])
      .where('cases.description', '=', '浏览器测试：三组水井的盖子坏了')
      .executeTakeFirstOrThrow();

    const worker = await phonePage();
    await logIn(worker, created.phone);
    await worker.goto(`${baseUrl}/m/tasks`);
    const card = worker.locator(`article[data-case="${created.number}"]`);
    await card.waitFor();

    // No network: the steps are kept on the phone and the page goes on as if they were done.
    await worker.context().setOffline(true);
    await card.getByRole('button', { name: /接\s*单/ }).click();
    await worker.getByTestId('outbox-banner').getByText('1 项').waitFor();
    await card.getByText('办理中').waitFor();
    // 到场签到 says it was done, when, whether the position came with it (this phone gives none),
    // and, while it waits for a network, that it is kept and sent later.
    await card.getByRole('button', { name: '到场签到' }).click();
    await card
      .getByTestId('checked-in')
      .getByText(/已签到（.*未取得位置）。 现在没有网络/)
      .waitFor();
    await worker.getByTestId('outbox-banner').getByText('2 项').waitFor();
    await card.getByRole('button', { name: /办\s*结/ }).click();
    await card.getByLabel('处理结果').fill('已更换井盖');
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await worker.getByTestId('outbox-banner').getByText('3 项').waitFor();
    await card.getByText('已办理').waitFor();
    const state = async () =>
      (await deps.db.selectFrom('cases').select('state').where('id', '=', created.id).executeTakeFirstOrThrow()).state;
    expect(await state()).toBe('assigned');

    // Back online: the outbox sends both, in order, and empties.
    await worker.context().setOffline(false);
    await worker.getByTestId('outbox-banner').waitFor({ state: 'detached' });
    expect(await state()).toBe('handled');

    // The answer to the reply is lost on the way back: the server did it, the phone does not know.
    let lost = 0;
    await worker.route('**/transitions', async (route) => {
      await route.fetch();
      lost++;
      await route.abort('connectionreset');
    });
    await card.getByRole('button', { name: /答\s*复/ }).click();
    await card.getByLabel('答复内容').fill('井盖已换好，请放心使用');
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => lost).toBe(1);
    expect(await state()).toBe('replied');
    await worker.unroute('**/transitions');
    // The phone sends it again (when it is back online), with the same key: done once, answered the same.
    await worker.context().setOffline(true);
    await worker.context().setOffline(false);
    await worker.getByTestId('outbox-banner').waitFor({ state: 'detached' });
    const actions = (
      await deps.db.selectFrom('case_events').select('action').where('case_id', '=', created.id).orderBy('id').execute()
    ).map((e) => e.action);
    expect(actions).toEqual(['create', 'assign', 'addPhoto', 'accept', 'checkIn', 'handle', 'reply']);
    expect(await worker.getByText('未能完成').count()).toBe(0);
    await worker.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-grid-tasks-phone.png') });
    await worker.context().close();
  }, 90_000);
});

describe('the points bank on phones and at the desk', () => {
  it('a villager claims points without signal, the cadre approves at the desk, and the villager redeems soy sauce', async () => {
    const villager = await phonePage();
    await logIn(villager, VILLAGER);
    await villager.goto(`${baseUrl}/m/points`);
    const balance = villager.getByTestId('points-balance');
    await balance.waitFor();
    const before = Number(await balance.textContent());
    expect(Number(await villager.getByTestId('points-last-month').textContent())).toBeGreaterThanOrEqual(0);
    // The month's sum in words adds up to the balance shown (a newcomer could not see where 85 came from).
    const sum = (await villager.getByTestId('points-reconcile').textContent())?.match(
      /月初结余 (-?\d+) 分，获得 (-?\d+) 分，使用 (-?\d+) 分，现有 (-?\d+) 分/,
    );
    expect(sum, 'the month in words').toBeTruthy();
    const [opening, earned, spent, now] = (sum as RegExpMatchArray).slice(1).map(Number) as [number, number, number, number];
    expect(opening + earned - spent).toBe(now);
    expect(now).toBe(before);

    await villager.context().setOffline(true);
    await villager.getByLabel('选择积分项目').selectOption({ label: '招商引资 +5' });
    await villager.getByLabel('说明（做了什么）').fill('浏览器测试：介绍了一家柑橘收购商');
    await villager.getByRole('button', { name: /提交申请/ }).click();
    await villager.getByText('已保存，联网后自动提交').waitFor();
    await villager.getByTestId('outbox-banner').getByText('1 项').waitFor();
    await villager.context().setOffline(false);
    await villager.getByTestId('outbox-banner').waitFor({ state: 'detached' });
    const claims = await deps.db
      .selectFrom('points_claims')
      .select(['id', 'state'])
      .where('note', '=', '浏览器测试：介绍了一家柑橘收购商')
      .execute();
    expect(claims).toEqual([expect.objectContaining({ state: 'submitted' })]);

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const cadre = await desk.newPage();
    await logIn(cadre, CADRE);
    await cadre.locator('.nav-list').getByRole('link', { name: '积分管理' }).click();
    const row = cadre.locator('.item-list li', { hasText: '招商引资 +5' }).filter({ hasText: '浏览器测试' });
    await row.getByRole('button', { name: /^通\s*过$/ }).click();
    await row.waitFor({ state: 'detached' });
    await desk.close();

    await villager.reload();
    await expect.poll(async () => Number(await villager.getByTestId('points-balance').textContent())).toBe(before + 5);
    const soy = villager.locator('.item-list li', { hasText: '酱油' });
    await soy.getByRole('button', { name: /兑\s*换/ }).click();
    // Redeeming asks first (what, for how many points, the balance after); nothing is spent before.
    await villager.getByTestId('redeem-confirm').getByRole('button', { name: '确认兑换' }).click();
    await expect.poll(async () => Number(await villager.getByTestId('points-balance').textContent())).toBe(before + 5 - 10);
    await villager
      .locator('.item-list li', { hasText: '酱油 × 1' })
      .filter({ has: villager.getByRole('button', { name: '取消兑换' }) })
      .waitFor();
    const width = await villager.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await villager.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-points-phone.png'), fullPage: true });
    // Cancelling asks too: 不取消 keeps the exchange, 确认取消兑换 gives the points back.
    const pending = villager.locator('.item-list li', { hasText: '酱油 × 1' });
    await pending.getByRole('button', { name: '取消兑换' }).click();
    await villager.getByTestId('cancel-confirm').getByRole('button', { name: '不取消，留着领取' }).click();
    await pending.getByRole('button', { name: '取消兑换' }).click();
    await villager.getByTestId('cancel-confirm').getByRole('button', { name: '确认取消兑换' }).click();
    await villager.getByText('已取消兑换“酱油”，10 分已退回').waitFor();
    await expect.poll(async () => Number(await villager.getByTestId('points-balance').textContent())).toBe(before + 5);
    await villager.context().close();
  }, 90_000);
});

describe('elder care on the duty screen', () => {
  it("shows a bracelet's SOS to the doctor without reloading, within a second, and closes it with a note", async () => {
    const page = await deskPage();
    await logIn(page, '13800000007');
    await page.locator('.nav-list').getByRole('link', { name: '关爱老人' }).click();
    await page.getByText('暂无未处理预警').waitFor();
    await page.locator('.item-list li').first().waitFor();
    const sent = Date.now();
    const response = await fetch(`${baseUrl}/api/care/readings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ device: 'HT-SOS-0002', id: 'e2e-sos', kind: 'sos', at: new Date().toISOString() }] }),
    });
    expect(response.status).toBe(200);
    const alarm = page.locator('article[data-alarm="sos"]');
    await alarm.waitFor({ timeout: 2000 });
    expect(Date.now() - sent).toBeLessThan(1500);
    await alarm.getByRole('button', { name: /接\s*警/ }).click();
    await alarm.getByText('处置中').waitFor();
    await alarm.getByLabel('处置情况').fill('已电话联系，看护员上门，老人无恙');
    await alarm.getByRole('button', { name: /处置完毕/ }).click();
    await alarm.waitFor({ state: 'detached' });
    const stored = await deps.db.selectFrom('care_alarms').select(['state', 'note']).where('cause', '=', 'sos').execute();
    expect(stored).toEqual([{ state: 'resolved', note: '已电话联系，看护员上门，老人无恙' }]);
    await page.context().close();
  }, 60_000);
});

describe('elder care on phones', () => {
  it('a caretaker checks a visit in with the blood pressure taken, and the visit shows as done', async () => {
    const page = await phonePage();
    await logIn(page, '13800000008');
    await page.goto(`${baseUrl}/m/rounds`);
    const card = page.locator('article[data-testid^="round-"]').first();
    await card.getByText('日常探访 · 待完成').waitFor();
    const before = await deps.db.selectFrom('care_visits').select('id').where('systolic', '=', 138).execute();
    // A compact card per elder: a tap opens the check-in.
    await card.getByRole('button', { expanded: false }).click();
    await card.getByText('量了血压').click();
    await card.getByLabel('收缩压（高压）').fill('138');
    await card.getByLabel('舒张压（低压）').fill('82');
    await card.getByLabel('情况记录').fill('精神好，午饭吃了一碗');
    await card.getByRole('button', { name: /签\s*到/ }).click();
    await card.getByText('日常探访 · 已完成').waitFor();
    const after = await deps.db.selectFrom('care_visits').select(['note', 'diastolic']).where('systolic', '=', 138).execute();
    expect(after.length).toBe(before.length + 1);
    expect(after).toContainEqual({ note: '精神好，午饭吃了一碗', diastolic: 82 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  }, 60_000);

  it("a family member sees their mother's latest readings and visits, and a reminder reaches her speaker", async () => {
    const page = await phonePage();
    await logIn(page, '13800000012');
    await page.goto(`${baseUrl}/m/family`);
    const latest = page.getByTestId('elder-latest');
    await latest.waitFor();
    await expect.poll(async () => (await latest.locator('strong').first().textContent()) ?? '').toMatch(/^\d+\/\d+$/);
    await page.getByTestId('elder-visits').getByText('日常探访').first().waitFor();
    await page.getByLabel('提醒内容').fill('妈，降温了，记得穿厚点');
    await page.getByRole('button', { name: '发送到家中音箱' }).click();
    await page.getByText('提醒已发出').waitFor();
    // The speaker polls with its own key, plays the reminder and acknowledges it.
    const headers = { authorization: 'Bearer demo-speaker-key', 'content-type': 'application/json' };
    let commands: { id: string; text: string }[] = [];
    await expect
      .poll(async () => {
        commands = (await (await fetch(`${baseUrl}/api/care/device/commands`, { headers })).json()).items;
        return commands.map((c) => c.text);
      })
      .toContain('妈，降温了，记得穿厚点');
    for (const command of commands) {
      await fetch(`${baseUrl}/api/care/device/commands/${command.id}/ack`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ outcome: 'delivered' }),
      });
    }
    const state = await deps.db
      .selectFrom('care_commands')
      .select('state')
      .where('payload', 'like', '%记得穿厚点%')
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('delivered');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-family-phone.png'), fullPage: true });
    await page.context().close();
  }, 60_000);
});

describe('services and notices on a phone', () => {
  it('a villager finds a service by pinyin initials, applies for themself, and follows the application', async () => {
    const page = await phonePage();
    await logIn(page, VILLAGER);
    await page.goto(`${baseUrl}/m/services`);
    await page.getByLabel(/搜索事项/).fill('yyzz');
    const item = page.getByTestId('service-item').filter({ hasText: '营业执照核发' });
    await item.getByRole('button', { name: '营业执照核发' }).click();
    await item.getByText('冉鲜荣').click();
    // The first material goes with the application, photographed on the phone.
    const stored = await deps.db
      .selectFrom('service_items')
      .select('materials')
      .where('name', '=', '营业执照核发')
      .executeTakeFirstOrThrow();
    const firstMaterial = (JSON.parse(stored.materials) as { name: string }[])[0]?.name as string;
    const photo = await sharp({ create: { width: 60, height: 80, channels: 3, background: '#eee' } })
      .jpeg()
      .toBuffer();
    await item.getByLabel(firstMaterial, { exact: true }).setInputFiles({ name: '申请书.jpg', mimeType: 'image/jpeg', buffer: photo });
    await item.getByRole('button', { name: /提交申请/ }).click();
    const mine = page.getByTestId('my-applications');
    await mine.getByText('营业执照核发').waitFor();
    const files = await deps.db.selectFrom('service_application_files').select('material').execute();
    expect(files).toEqual([{ material: firstMaterial }]);
    await mine.getByRole('link', { name: '营业执照核发' }).click();
    await page.getByTestId('application-history').getByText('提交').waitFor();
    const applications = await deps.db.selectFrom('service_applications').select(['state', 'channel']).execute();
    expect(applications).toEqual([{ state: 'submitted', channel: 'online' }]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  }, 60_000);

  it('a villager sees the unread notices of the village and reads the urgent one', async () => {
    const page = await phonePage();
    await logIn(page, VILLAGER);
    await page.goto(`${baseUrl}/m/notices`);
    // Two notices for the whole village, and one more if the household keeps chickens.
    const count = page.getByText(/^\d+条未读$/);
    await count.waitFor();
    const before = Number.parseInt((await count.textContent()) ?? '', 10);
    expect(before).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: /暴雨橙色预警/ }).click();
    await page
      .getByTestId('notice-body')
      .getByText(/大暴雨/)
      .waitFor();
    await page.getByText(`${before - 1}条未读`).waitFor();
    await page.context().close();
  }, 60_000);
});

describe('notices on a desk screen', () => {
  it('a village cadre writes a notice with a picture for the chicken keepers and sends it', async () => {
    const page = await deskPage();
    await logIn(page, CADRE);
    await page.goto(`${baseUrl}/notices`);
    await page.getByLabel('标题').fill('鸡瘟防治讲座');
    await page.getByLabel('内容').fill('周五上午在村委会讲鸡瘟防治，请养鸡户参加。');
    await page.getByRole('checkbox', { name: '养鸡户' }).check();
    const picture = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    await page.locator('input[type=file]').setInputFiles({ name: '海报.png', mimeType: 'image/png', buffer: picture });
    await page.getByRole('button', { name: /立即发送/ }).click();
    await page.getByRole('status').filter({ hasText: '已发送' }).waitFor();
    const stored = await deps.db
      .selectFrom('notices')
      .select(['state', 'attachments', 'audience'])
      .where('title', '=', '鸡瘟防治讲座')
      .executeTakeFirstOrThrow();
    expect(stored.state).toBe('scheduled');
    expect(JSON.parse(stored.attachments)).toEqual([expect.objectContaining({ name: '海报.png', contentType: 'image/jpeg' })]);
    expect(JSON.parse(stored.audience).traits).toEqual(['keepsChickens']);
    await page.context().close();
  }, 60_000);

  it('a village cadre sends a notice with a picture to one villager group and to a villager found by name, who sees the picture', async () => {
    const page = await deskPage();
    await logIn(page, CADRE);
    await page.goto(`${baseUrl}/notices`);
    await page.getByLabel('标题').fill('二组修路占道通知');
    await page.getByLabel('内容').fill('下周二组修路，请绕行。');
    await page.getByLabel(/发送范围/).click();
    await page.locator('.ant-select-item-option', { hasText: '平地坝村二组' }).click();
    await page.keyboard.press('Escape');
    // The villager who will read it on a phone, found by name and told apart by their group.
    const villager = await deps.db
      .selectFrom('users as u')
      .innerJoin('people as p', 'p.id', 'u.person_id')
      .innerJoin('regions as r', 'r.id', 'p.region_id')
      .select(['p.id', 'p.name', 'r.name as regionName'])
      .where('u.phone', '=', VILLAGER)
      .executeTakeFirstOrThrow();
    await page.getByLabel(/指定人员/).fill(villager.name);
    await page
      .locator('.ant-select-item-option', { hasText: `${villager.name}（${villager.regionName}）` })
      .first()
      .click();
    await page.keyboard.press('Escape');
    const picture = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#48c' } })
      .png()
      .toBuffer();
    await page.locator('input[type=file]').setInputFiles({ name: '绕行路线.png', mimeType: 'image/png', buffer: picture });
    await page.getByRole('button', { name: /立即发送/ }).click();
    await page.getByRole('status').filter({ hasText: '已发送' }).waitFor();
    const stored = await deps.db.selectFrom('notices').select('audience').where('title', '=', '二组修路占道通知').executeTakeFirstOrThrow();
    const group = await deps.db.selectFrom('regions').select('id').where('name', '=', '平地坝村二组').executeTakeFirstOrThrow();
    const audience = JSON.parse(stored.audience);
    expect(audience.regionIds).toEqual([group.id]);
    expect(audience.personIds).toHaveLength(1);
    const named = await deps.db
      .selectFrom('people')
      .select(['name', 'region_id'])
      .where('id', '=', audience.personIds[0])
      .executeTakeFirstOrThrow();
    expect(named.name).toBe(villager.name);
    await page.context().close();

    // The push job sends it; the villager opens it on a phone and sees the picture in the notice.
    await pushDueNotices(deps);
    const phone = await phonePage();
    await logIn(phone, VILLAGER);
    await phone.goto(`${baseUrl}/m/notices`);
    await phone.getByRole('button', { name: /二组修路占道通知/ }).click();
    const shown = phone.getByTestId('notice-body').getByRole('img', { name: '绕行路线.png' });
    await shown.waitFor();
    expect(await shown.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(80);
    await phone.context().close();
  }, 60_000);
});

describe('the web app on a desk screen', () => {
  it('a village cadre registers a household and a member; a wrong ID number is refused in the form', async () => {
    const page = await deskPage();
    await logIn(page, CADRE);
    await page.locator('.nav-list').getByRole('link', { name: '户籍' }).click();
    await page.getByRole('button', { name: '新增户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('户主').fill('浏览器新户');
    await dialog.getByLabel('所属区域').click();
    await pickRegion(page, ['酉阳土家族苗族自治县', '黑水镇', '平地坝村']);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL('**/households/*');
    await page.getByRole('heading', { name: '浏览器新户' }).waitFor();

    await page.getByRole('button', { name: '新增成员' }).click();
    const memberDialog = page.getByRole('dialog');
    await memberDialog.getByLabel('姓名').fill('浏览器新户');
    await memberDialog.getByLabel('身份证号').fill('500242196005170010');
    await memberDialog.getByRole('button', { name: /保\s*存/ }).click();
    await memberDialog.getByText('身份证号校验位不正确，请核对号码').waitFor();
    await memberDialog.getByLabel('身份证号').fill('11010519491231002X');
    await memberDialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('id-number').waitFor();
    expect(await page.getByTestId('id-number').textContent()).toBe('1****************X');
    await page.context().close();
  }, 60_000);

  it('an appeals agent takes a phone appeal, answers it on the spot, and reads the statistics with their exports', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await logIn(page, '13800000005');
    await page.locator('.nav-list').getByRole('link', { name: '事项办理' }).click();
    await page.getByRole('button', { name: '登记诉求' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('诉求人姓名').fill('李大姐');
    await dialog.getByLabel('联系电话').fill('13711112222');
    await dialog.getByLabel('类型').click();
    await page.locator('.ant-select-item-option').first().click();
    await dialog.getByLabel('所在村/组').click();
    await pickRegion(page, ['酉阳土家族苗族自治县', '黑水镇', '平地坝村']);
    await dialog.getByLabel('标题').fill('咨询养老保险缴费');
    await dialog.getByLabel('诉求内容').fill('来电咨询今年城乡居民养老保险怎么缴');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page.getByText('李大姐 13711112222').waitFor();
    await page.getByRole('button', { name: '现场答复' }).click();
    await page.locator('.chip', { hasText: '现场解释答疑' }).first().waitFor();

    await page.locator('.nav-list').getByRole('link', { name: '诉求统计' }).click();
    const rate = page.getByTestId('on-time-rate');
    await rate.waitFor();
    expect(await rate.textContent()).toMatch(/^\d+\.\d{2}%$/);
    await page.locator('canvas').first().waitFor();
    const xlsx = await page.getByRole('link', { name: '导出 Excel' }).getAttribute('href');
    const download = await page.request.get(`${baseUrl}${xlsx}`);
    expect(download.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await page.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-statistics-desk.png') });
    await context.close();
  }, 60_000);

  it('anyone opens a village public page without logging in: completion rate, matters, exposure board', async () => {
    const page = await phonePage();
    await page.goto(`${baseUrl}/public`);
    await page.getByRole('link', { name: '平地坝村' }).click();
    const rate = page.getByTestId('completion-rate');
    await rate.waitFor();
    expect(await rate.textContent()).toMatch(/^\d+\.\d%$/);
    await page.getByRole('heading', { name: '曝光台' }).waitFor();
    expect(await page.locator('.item-list li').count()).toBeGreaterThan(0);
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toMatch(/1[3-9]\d{9}/);
    await page.context().close();
  });

  it('the audit administrator searches the audit log from the menu; the system administrator sets the county up', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await logIn(page, '13800000015');
    await page.locator('.nav-list').getByRole('link', { name: '审计日志' }).click();
    // Actions read as words (登录), each with its code kept in the tooltip for searching.
    await page.getByRole('cell', { name: '登录', exact: true }).first().waitFor();
    // A search shows only what it asked for: an exact action, then a prefix ending in a dot.
    const shownActions = async () =>
      (await page
        .locator('.ant-table-tbody tr.ant-table-row td:nth-child(4) span[title]')
        .evaluateAll((spans) => spans.map((span) => span.getAttribute('title') ?? ''))) as string[];
    const search = async (action: string) => {
      await page.getByPlaceholder('操作（如 person. 前缀）').fill(action);
      await page.getByRole('button', { name: /搜\s*索/ }).click();
    };
    await search('demo.seed');
    await expect.poll(async () => [...new Set(await shownActions())]).toEqual(['demo.seed']);
    await search('auth.');
    await expect.poll(async () => [...new Set((await shownActions()).map((action) => action.split('.')[0]))]).toEqual(['auth']);
    expect(await shownActions()).toContain('auth.login');
    await page.screenshot({ path: path.join(os.tmpdir(), 'cunzhi-audit-desk.png') });
    expect(await page.getByRole('link', { name: '事项设置' }).count()).toBe(0);
    await context.close();
    // The county's case categories and working calendar are set on one page, the audit log is not in its menu.
    const systemContext = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
    const system = await systemContext.newPage();
    await logIn(system, '13800000013');
    await system.locator('.nav-list').getByRole('link', { name: '事项设置' }).click();
    await system.getByRole('cell', { name: '环境卫生' }).waitFor();
    await system.getByText('节假日（每行一个日期）').waitFor();
    expect(await system.getByRole('link', { name: '审计日志' }).count()).toBe(0);
    await systemContext.close();
  });
});
