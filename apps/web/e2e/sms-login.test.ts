// A villager signs in the way villagers already do: their phone number, the code texted to it
// (read here from the server's SMS outbox), and the choice to stay signed in on their own phone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/src/platform/deps.ts';
import { phonePage as openPhonePage } from './browser.ts';
import { startTextingWorld, type Texts } from './web-world.ts';

const VILLAGER = '13800000011';
const GRID_WORKER = '13800000004';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let outbox: Texts;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh, outbox } = await startTextingWorld('sms-login'));
}, 120_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

const phonePage = () => openPhonePage(browser);

describe('signing in with a code by text', () => {
  it('offers the two ways plainly, villagers first, and signs a villager in by the texted code for 30 days', async () => {
    const page = await phonePage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('heading', { name: '工作人员：密码登录' }).waitFor();
    const ways = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(ways).toEqual(['村民/家属：手机验证码登录', '工作人员：密码登录']);
    // The elder-mode switch is on the login page, before anything else.
    await page.getByRole('switch').waitFor();

    await page.fill('input[name=mobile]', VILLAGER);
    await page.getByTestId('send-code').click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('验证码已发到手机上');
    // The button waits out the minute before another code may be asked for.
    expect(await page.getByTestId('send-code').isDisabled()).toBe(true);
    await expect.poll(() => outbox.filter((text) => text.phone === VILLAGER).length).toBe(1);
    const code = outbox.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';

    await page.fill('input[name=smsCode]', code);
    await page.getByRole('checkbox', { name: /30天内保持登录/ }).check();
    await page.getByTestId('sms-login').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    const cookie = (await page.context().cookies()).find((c) => c.name === 'cz_session');
    // Kept when the browser closes, for 30 days.
    const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    await page.context().close();
  }, 90_000);

  it('says a wrong code plainly, and texts a staff number nothing while answering the same', async () => {
    const page = await phonePage();
    await page.goto(`${baseUrl}/login`);
    await page.fill('input[name=mobile]', GRID_WORKER);
    await page.getByTestId('send-code').click();
    await page.getByRole('status').waitFor();
    expect(outbox).toHaveLength(0);

    await page.fill('input[name=smsCode]', '123456');
    await page.getByTestId('sms-login').click();
    // What is true: the same code may be typed again while the resend button still waits.
    expect(await page.getByRole('alert').textContent()).toBe('验证码不对或已过期，请核对短信后重新输入；多次输错或已过期需重新获取');
    expect(new URL(page.url()).pathname).toBe('/login');
    // The whole error box is on the screen, not below the fold of an 844 px phone.
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight && el.getBoundingClientRect().top >= 0),
      )
      .toBe(true);
    await page.context().close();
  });

  it('meets the size rules on the login page in normal and elder mode', async () => {
    const page = await phonePage();
    await page.goto(`${baseUrl}/login`);
    for (const elder of [false, true]) {
      if (elder) await page.getByRole('switch').click();
      await expect.poll(() => page.evaluate(() => document.documentElement.hasAttribute('data-elder'))).toBe(elder);
      const minTarget = elder ? 60 : 48;
      const minText = elder ? 18 : 16;
      const targets = await page.$$eval(
        '.login-card button, .login-card input:not([type=checkbox]), .login-card a, .login-check',
        (nodes) =>
          nodes.map((node) => ({ text: node.textContent || node.getAttribute('name'), height: node.getBoundingClientRect().height })),
      );
      for (const target of targets) expect(target.height, `${target.text} (elder ${elder})`).toBeGreaterThanOrEqual(minTarget);
      const texts = await page.$$eval('.login-card label, .login-card p, .login-card h2, .login-card button', (nodes) =>
        nodes.map((node) => ({ text: node.textContent, size: Number.parseFloat(getComputedStyle(node).fontSize) })),
      );
      for (const text of texts) expect(text.size, `${text.text} (elder ${elder})`).toBeGreaterThanOrEqual(minText);
    }
    await page.context().close();
  });
});
