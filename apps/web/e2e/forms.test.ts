import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { seedDemoCare } from '../../server/src/modules/care/care.demo.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { seedDemoPoints } from '../../server/src/modules/points/points.demo.ts';
import { seedDemoServices } from '../../server/src/modules/services/services.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { deskPage as openDeskPage, phonePage as openPhonePage, logIn as signIn } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003';
const VILLAGER = '13800000011';
const KEEPER = '13800000009';
const DOCTOR = '13800000007';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let deps: Deps;
let villagerHouseholdId: string;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('forms', async (seeded) => {
    const demo = await seedDemoOrg(seeded, accountCredentials);
    const keeper = await seeded.db.selectFrom('users').select('id').where('phone', '=', KEEPER).executeTakeFirstOrThrow();
    await seedDemoPoints(seeded, demo.regionsByCode, keeper.id);
    await seedDemoCare(seeded, demo.regionsByCode);
    await seedDemoServices(seeded, demo.regionsByCode);
    const villager = await seeded.db
      .selectFrom('users')
      .innerJoin('people', 'people.id', 'users.person_id')
      .select('people.household_id')
      .where('users.phone', '=', VILLAGER)
      .executeTakeFirstOrThrow();
    villagerHouseholdId = villager.household_id as string;
    await seeded.db.updateTable('households').set({ phone: '13800000011' }).where('id', '=', villagerHouseholdId).execute();
  }));
}, 120_000);

afterAll(() => stop?.());
// Each test starts from the seed, so that none sees what another wrote, in whatever order they run.
beforeEach(() => fresh());

const phonePage = () => openPhonePage(browser);
const deskPage = () => openDeskPage(browser);
const logIn = (page: Page, phone: string) => signIn(page, baseUrl, phone, DEMO_PASSWORD);

describe('forms against the strict server', () => {
  it('a cadre types a wrong phone into a household (shown on the field), then clears it, and the stored phone is cleared', async () => {
    const page = await deskPage();
    await logIn(page, CADRE);
    await page.goto(`${baseUrl}/households/${villagerHouseholdId}`);
    await page
      .getByRole('button', { name: /编\s*辑/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    const phone = dialog.getByLabel('联系电话');
    expect(await phone.inputValue()).toBe('13800000011');
    await phone.fill('abc');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // The server's refusal names body.phone: the message stands under the phone, not only at the top.
    await dialog.locator('.ant-form-item-explain-error', { hasText: '格式不正确' }).waitFor();
    expect(await dialog.getByText('输入有误，请检查后重试').count()).toBe(0);
    await phone.fill('');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/org/households/'));
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toMatchObject({ phone: null });
    await dialog.waitFor({ state: 'detached' });
    const stored = await deps.db.selectFrom('households').select('phone').where('id', '=', villagerHouseholdId).executeTakeFirstOrThrow();
    expect(stored.phone).toBeNull();
    await page.context().close();
  }, 60_000);

  it('a villager asking to have it mailed home is asked for the address first; an item not offered online points to the hall', async () => {
    const page = await phonePage();
    await logIn(page, VILLAGER);
    await page.goto(`${baseUrl}/m/services`);
    const sent: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/services/applications') && sent.push(r.url()));

    const welfare = page.getByTestId('service-item').filter({ hasText: '最低生活保障申请' }).first();
    await page.getByLabel(/搜索事项/).fill('最低生活保障');
    await welfare.getByRole('button', { name: '最低生活保障申请' }).click();
    await welfare
      .getByTestId('not-online')
      .getByText(/暂不能网上申请.*乡镇便民服务中心/)
      .waitFor();
    expect(await welfare.getByRole('button', { name: /提交申请/ }).count()).toBe(0);

    await page.getByLabel(/搜索事项/).fill('yyzz');
    const licence = page.getByTestId('service-item').filter({ hasText: '营业执照核发' });
    await licence.getByRole('button', { name: '营业执照核发' }).click();
    await licence.getByText('冉鲜荣').click();
    await licence.getByText('办结后邮寄到家').click();
    await licence.getByRole('button', { name: /提交申请/ }).click();
    await licence.getByText('选择邮寄到家时，请填写邮寄地址').waitFor();
    expect(sent).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the keeper cannot restock 2.5 of a good: the box takes whole numbers and the server accepts what is sent', async () => {
    const page = await deskPage();
    await logIn(page, KEEPER);
    await page.goto(`${baseUrl}/points`);
    const row = page
      .locator('tbody tr')
      .filter({ has: page.getByRole('spinbutton', { name: /^入库 / }) })
      .first();
    const box = row.getByRole('spinbutton');
    await box.fill('2.5');
    await box.blur();
    expect(await box.inputValue()).toMatch(/^\d+$/);
    const answered = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/goods/'));
    await row.getByRole('button', { name: /^入\s*库$/ }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(Number.isInteger(response.request().postDataJSON().restock)).toBe(true);
    await page.context().close();
  }, 60_000);

  it('the duty screen goes to the login page, saying why, when the session is ended elsewhere', async () => {
    const page = await deskPage();
    await logIn(page, DOCTOR);
    await page.goto(`${baseUrl}/care`);
    await page.getByText('暂无未处理预警').waitFor();
    // Another tab of the same browser logs out: same cookies, through the API.
    const session = await (await page.context().request.get(`${baseUrl}/api/auth/session`)).json();
    const logout = await page.context().request.post(`${baseUrl}/api/auth/logout`, { headers: { 'x-csrf-token': session.csrfToken } });
    expect(logout.status()).toBeLessThan(300);
    await page.waitForURL('**/login', { timeout: 10_000 });
    await page
      .getByTestId('session-ended')
      .getByText(/登录已失效/)
      .waitFor();
    await page.context().close();
  }, 60_000);
});
