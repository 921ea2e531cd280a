// Two pages a newcomer met in English or without a way on: an unknown address, signed in, reads in
// Chinese first with the 长辈版 switch and one big 回到首页; a password locked after wrong tries
// warns before, says the texted code still signs villagers in, and the login page leads to it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { phonePage, signedInPage } from './browser.ts';
import { startTextingWorld, type Texts } from './web-world.ts';

const VILLAGER = '13800000011';
// The lock test's own number: the lock is kept in the server's memory, across tests.
const FAMILY = '13800000012';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let outbox: Texts;

beforeAll(async () => {
  ({ baseUrl, browser, stop, fresh, outbox } = await startTextingWorld('not-found-and-lock-words'));
}, 120_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

describe('an unknown address and a locked password, in the villager’s words', () => {
  it('an unknown address reads in Chinese first, with the 长辈版 switch and one big 回到首页', async () => {
    const page = await signedInPage({ browser, baseUrl }, VILLAGER);
    await page.goto(`${baseUrl}/no/such/page`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('找不到这个页面');
    // What is read first, top to bottom, is Chinese: the English comes after the button.
    const text = ((await page.locator('main').textContent()) ?? '').trim();
    expect(text.indexOf('找不到这个页面')).toBeLessThan(text.indexOf('Page not found'));
    expect(text.indexOf('回到首页')).toBeLessThan(text.indexOf('Page not found'));
    expect(text.startsWith('长辈版')).toBe(true);
    // The switch works here too.
    const elder = page.getByRole('switch', { name: /长辈版/ });
    await elder.click();
    expect(await page.locator('html').getAttribute('data-elder')).not.toBeNull();
    // One big button home, said in Chinese.
    const home = page.getByRole('link', { name: '回到首页' });
    expect(await home.count()).toBe(1);
    const box = await home.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(60);
    await home.click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator('.home-tiles').waitFor();
    await page.context().close();
  }, 90_000);

  it('says a number too short to be a mobile in words at the password form, and asks nothing of the server', async () => {
    const page = await phonePage(browser);
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/login')) asked++;
    });
    await page.goto(`${baseUrl}/login`);
    await page.fill('input[name=phone]', '1380000');
    await page.fill('input[name=password]', 'Cunzhi2026');
    await page.click('button[type=submit]');
    const error = page.locator('form[aria-labelledby=login-way-password] .login-error');
    await expect.poll(() => error.textContent()).toBe('请输入11位手机号');
    expect(await page.getByText('输入有误').count()).toBe(0);
    expect(asked).toBe(0);
    // Spaces as people type them are fine.
    await page.fill('input[name=phone]', '138 0000 0011');
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/');
    await page.context().close();
  }, 60_000);

  it('warns a family member on the last two wrong passwords, and the lock leads to the texted code, which signs in', async () => {
    const page = await phonePage(browser);
    page.setDefaultTimeout(30_000);
    await page.goto(`${baseUrl}/login`);
    await page.fill('input[name=phone]', FAMILY);
    await page.fill('input[name=password]', 'Wrong12345');
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.click('button[type=submit]');
      await answered;
      await expect.poll(() => page.locator('form[aria-labelledby=login-way-password] .login-error').textContent()).toBeTruthy();
      said.push((await page.locator('form[aria-labelledby=login-way-password] .login-error').textContent()) ?? '');
    }
    expect(said.slice(0, 2)).toEqual(['手机号或密码错误', '手机号或密码错误']);
    expect(said[2]).toContain('再错2次，密码登录将锁定15分钟');
    expect(said[3]).toContain('再错1次，密码登录将锁定15分钟');
    expect(said[4]).toContain('锁定15分钟');
    expect(said[4]).toContain('用短信验证码登录');

    // The way to the code, from the lock: the number is filled in, the code is a tap away.
    await page.getByRole('button', { name: '用短信验证码登录' }).click();
    // The number arrives with the form's next render, not with the click's answer.
    await expect.poll(() => page.inputValue('input[name=mobile]')).toBe(FAMILY);
    await page.getByTestId('send-code').click();
    await expect.poll(() => outbox.filter((text) => text.phone === FAMILY).length).toBe(1);
    const code = outbox.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
    await page.fill('input[name=smsCode]', code);
    await page.getByTestId('sms-login').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.context().close();
  }, 90_000);
});
