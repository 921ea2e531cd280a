// 登录设备 (issue 15 item 4): a villager signed in by texted code on two phones, each staying
// signed in for 30 days, loses one; from the other, one tap from home, they see both and sign the
// lost one out. The lost phone is signed out at its next request, without anyone's password.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/src/platform/deps.ts';
import { measure, type Row, report } from './phone-measure.ts';
import { startTextingWorld, type Texts } from './web-world.ts';

const VILLAGER = '13800000011';
const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 Mobile Safari/537.36 MicroMessenger/8.0.28';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let outbox: Texts;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh, outbox } = await startTextingWorld('signed-in-devices'));
}, 120_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

async function phoneWith(userAgent: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN', userAgent });
  return context.newPage();
}

/** Signs the villager in on this phone by a texted code, staying signed in for 30 days. */
async function signInByCode(page: Page): Promise<void> {
  // A number may ask for a code once a minute: the earlier request is forgotten, as a minute passing would.
  await deps.db.deleteFrom('sms_login_codes').where('phone', '=', VILLAGER).execute();
  const before = outbox.length;
  await page.goto(`${baseUrl}/login`);
  await page
    .locator('input[name=mobile]')
    .waitFor({ timeout: 20_000 })
    .catch(async (error) => {
      await page.screenshot({ path: '/tmp/cunzhi-devices-login.png' });
      throw new Error(`${error}\n${await page.content()}`.slice(0, 3000));
    });
  await page.fill('input[name=mobile]', VILLAGER);
  await page.getByTestId('send-code').click();
  await expect.poll(() => outbox.length).toBe(before + 1);
  const code = outbox.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
  await page.fill('input[name=smsCode]', code);
  await page.getByRole('checkbox', { name: /30天内保持登录/ }).check();
  await page.getByTestId('sms-login').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('signed-in devices', () => {
  it('a villager on two phones signs the other one out from the first, one tap from home, after saying yes', async () => {
    const mine = await phoneWith(ANDROID_WECHAT);
    const lost = await phoneWith(IPHONE_SAFARI);
    await signInByCode(mine);
    await signInByCode(lost);

    // One tap from the phone home.
    await mine.goto(`${baseUrl}/`);
    await mine.getByTestId('home-devices').click();
    await mine.waitForURL('**/m/devices');
    const devices = mine.getByTestId('device');
    await expect.poll(() => devices.count()).toBe(2);
    const current = mine.locator('[data-testid=device][data-current]');
    expect(await current.textContent()).toContain('安卓手机 · 微信');
    expect(await current.textContent()).toContain('本机');
    expect(await current.textContent()).toContain('短信验证码登录');
    // This phone has no 退出 of its own; the other has.
    expect(await current.getByRole('button').count()).toBe(0);
    const other = devices.filter({ hasText: '苹果手机' });
    expect(await other.textContent()).toContain('Safari 浏览器');
    expect(await other.textContent()).toContain('保持登录到');

    // 退出 asks first; 取消 leaves it signed in.
    await other.getByRole('button', { name: /退出/ }).click();
    await other.getByRole('button', { name: '取消' }).click();
    expect(await devices.count()).toBe(2);
    await lost.goto(`${baseUrl}/`);
    await lost.getByTestId('home-devices').waitFor();

    await other.getByRole('button', { name: /退出/ }).click();
    expect(await other.locator('legend').textContent()).toContain('确定让“苹果手机 · Safari 浏览器”退出登录吗');
    await other.getByRole('button', { name: '确定退出' }).click();
    await mine.getByTestId('devices-done').waitFor();
    await expect.poll(() => devices.count()).toBe(1);
    expect(await mine.getByRole('button', { name: '退出其他设备' }).count()).toBe(0);
    expect(await mine.textContent('.devices-page')).toContain('只有本机在登录');

    // The lost phone is signed out at its next request: back to the login page.
    await lost.reload();
    await lost.waitForURL('**/login');
    const asked = await lost.evaluate(async () => (await (await fetch('/api/auth/current')).json()) as { session: unknown });
    expect(asked.session).toBeNull();
    // The first phone is still signed in.
    await mine.reload();
    await expect.poll(() => devices.count()).toBe(1);

    await mine.context().close();
    await lost.context().close();
  }, 120_000);

  it('退出其他设备 signs every other device out after saying yes', async () => {
    const mine = await phoneWith(ANDROID_WECHAT);
    const second = await phoneWith(IPHONE_SAFARI);
    await signInByCode(mine);
    await signInByCode(second);

    await mine.goto(`${baseUrl}/m/devices`);
    await expect.poll(() => mine.getByTestId('device').count()).toBe(2);
    await mine.getByRole('button', { name: '退出其他设备' }).click();
    expect(await mine.locator('fieldset legend').textContent()).toContain('其他 1 台设备');
    await mine.getByRole('button', { name: '确定退出' }).click();
    expect(await mine.getByTestId('devices-done').textContent()).toContain('已让其他 1 台设备退出登录');
    await expect.poll(() => mine.getByTestId('device').count()).toBe(1);

    await second.goto(`${baseUrl}/`);
    await second.waitForURL('**/login');
    await mine.context().close();
    await second.context().close();
  }, 120_000);

  it('keeps the age-friendly sizes with two devices listed and with the question asked, in both modes', async () => {
    const mine = await phoneWith(ANDROID_WECHAT);
    const other = await phoneWith(IPHONE_SAFARI);
    await signInByCode(mine);
    await signInByCode(other);
    const rows: Row[] = [];
    for (const mode of ['normal', 'elder'] as const) {
      await mine.evaluate((on) => {
        if (on) localStorage.setItem('cunzhi.elderMode', '1');
        else localStorage.removeItem('cunzhi.elderMode');
      }, mode === 'elder');
      await mine.goto(`${baseUrl}/m/devices`);
      await expect.poll(() => mine.getByTestId('device').count()).toBe(2);
      rows.push({ role: 'villager', mode, page: '/m/devices', ...(await measure(mine, mode)) });
      await mine.getByTestId('device').filter({ hasText: '苹果手机' }).getByRole('button', { name: /退出/ }).click();
      await mine.locator('fieldset').waitFor();
      rows.push({ role: 'villager', mode, page: '/m/devices (asking)', ...(await measure(mine, mode)) });
    }
    const text = report(rows);
    expect(rows.flatMap((r) => r.breaches).length, text).toBe(0);
    expect(rows.every((r) => r.targets >= 2)).toBe(true);
    await mine.context().close();
    await other.context().close();
  }, 120_000);
});
