// A new staff account's first sign-in, in the browser: the password the administrator handed over
// opens only the page that changes it, on a phone, in large Chinese words; then the app opens.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { logIn, phonePage, signedInApi } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const SECURITY_ADMIN = '13800000014';
const VILLAGER = '13800000011';
const NEWCOMER = '13911113333';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, stop, fresh } = await startWebWorld('password-change', async (deps) => {
    await seedDemoOrg(deps, accountCredentials);
  }));
}, 120_000);
afterAll(() => stop?.());
beforeEach(() => fresh());

/** The security administrator makes a township doctor's account with a password to hand over. */
async function makeDoctor(password: string): Promise<void> {
  const api = await signedInApi(baseUrl, SECURITY_ADMIN, DEMO_PASSWORD);
  const roots = (await (await api('/api/org/regions', undefined, 'GET')).json()) as { items: { id: string }[] };
  const county = roots.items[0]?.id as string;
  const townships = (await (await api(`/api/org/regions?parentId=${county}`, undefined, 'GET')).json()) as { items: { id: string }[] };
  const created = await api('/api/org/users', { phone: NEWCOMER, displayName: '新来的村医', password });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await api(`/api/org/users/${id}/role-assignments`, { role: 'doctor', regionId: townships.items[0]?.id })).status).toBe(201);
}

const heightOf = async (page: Page, name: string | RegExp) => (await page.getByRole('button', { name }).boundingBox())?.height ?? 0;

describe('changing a password an administrator set', () => {
  it('opens nothing but the change page until the newcomer has chosen a password of their own', async () => {
    await makeDoctor('Given2026pw');
    const page = await phonePage(browser);
    await logIn(page, baseUrl, NEWCOMER, 'Given2026pw');
    await page.waitForURL('**/password');
    await page.getByRole('heading', { name: '修改密码' }).waitFor();
    expect(await page.getByText('您的密码是管理员设置的').isVisible()).toBe(true);
    // Whose password it is, on a phone someone may share.
    expect(await page.getByTestId('password-account').textContent()).toBe(`账号：新来的村医（${NEWCOMER}）`);
    // The authenticator's set-up waits for the new password too.
    await page.goto(`${baseUrl}/totp-enrolment`);
    await page.waitForURL('**/password');
    // Another page, typed in, comes back here.
    await page.goto(`${baseUrl}/care`);
    await page.waitForURL('**/password');

    // Large enough for an older doctor on a cheap phone: 16 px words, 48 px targets.
    const fontSize = await page
      .getByLabel('新密码', { exact: true })
      .evaluate((input) => Number.parseFloat(getComputedStyle(input).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(16);
    expect(await heightOf(page, '确认修改')).toBeGreaterThanOrEqual(48);
    expect(await heightOf(page, '退出登录')).toBeGreaterThanOrEqual(48);

    // Said in words before anything is sent.
    await page.getByLabel('现在的密码').fill('Given2026pw');
    await page.getByLabel('新密码', { exact: true }).fill('Mine2026only');
    await page.getByLabel('再输一次新密码').fill('Mine2026onlx');
    await page.getByRole('button', { name: '确认修改' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('两次输入的新密码不一样，请重新输入');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('再输一次新密码').fill('short');
    await page.getByRole('button', { name: '确认修改' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('新密码至少8位，要有字母，也要有数字');

    // The server's refusal of a wrong current password, in this page's words (no phone number here).
    await page.getByLabel('现在的密码').fill('Wrong2026pw');
    await page.getByLabel('新密码', { exact: true }).fill('Mine2026only');
    await page.getByLabel('再输一次新密码').fill('Mine2026only');
    await page.getByRole('button', { name: '确认修改' }).click();
    await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '').toBe('现在的密码不对，请重新输入现在的密码');
    expect(await page.getByLabel('现在的密码').inputValue()).toBe('');

    await page.getByLabel('现在的密码').fill('Given2026pw');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.getByRole('heading', { name: '密码已修改' }).waitFor();
    await page.getByRole('link', { name: '回到首页' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: /欢迎/ }).waitFor();
    // The app opens now: the doctor's duty page loads, and home has the way back to this page.
    expect(await page.getByTestId('home-password').textContent()).toBe('修改密码');
    await page.context().close();

    const next = await phonePage(browser);
    await logIn(next, baseUrl, NEWCOMER, 'Mine2026only');
    await next.waitForURL((url) => url.pathname === '/');
    await next.context().close();
  });

  it('offers the change page to staff from home, and not to a villager who signs in by a texted code', async () => {
    const staff = await phonePage(browser);
    await logIn(staff, baseUrl, SECURITY_ADMIN, DEMO_PASSWORD);
    await staff.getByTestId('home-password').click();
    await staff.waitForURL('**/password');
    // Asked by choice, it says what a change does; nothing holds the page.
    await staff.getByText('改好后，您在其他手机和电脑上的登录会退出').waitFor();
    await staff.getByRole('link', { name: '回到首页' }).click();
    await staff.waitForURL((url) => url.pathname === '/');
    await staff.context().close();

    const villager = await phonePage(browser);
    await logIn(villager, baseUrl, VILLAGER, DEMO_PASSWORD);
    await villager.getByTestId('home-devices').waitFor();
    expect(await villager.getByTestId('home-password').count()).toBe(0);
    await villager.context().close();
  });
});
