import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { base32Decode, hotp, totpStep } from '../../server/src/platform/totp.ts';
import { phonePage as openPhonePage } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003';

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, stop, fresh } = await startWebWorld(
    'totp',
    async (deps) => {
      await seedDemoOrg(deps, accountCredentials);
    },
    { REQUIRE_STAFF_TOTP: 'true' },
  ));
}, 120_000);

afterAll(() => stop?.());
// Each test starts from the seed, so that none sees what another wrote, in whatever order they run.
beforeEach(() => fresh());

const phonePage = () => openPhonePage(browser);

async function typePassword(page: Page) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=phone]', CADRE);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
}

/** The cadre's authenticator app set up through the API, as the first test does in the page. */
async function enrolThroughTheApi(): Promise<void> {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const login = await post('/api/auth/login', { phone: CADRE, password: DEMO_PASSWORD });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const signedIn = { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const { secret } = (await (await post('/api/auth/totp/enrolment', {}, signedIn)).json()) as { secret: string };
  const confirmed = await post('/api/auth/totp/confirm', { code: hotp(base32Decode(secret), totpStep(Date.now())) }, signedIn);
  expect(confirmed.status).toBe(200);
}

describe('second factor in the browser', () => {
  it('a village cadre sets up the authenticator app at the first login, then logs in with its code', async () => {
    const page = await phonePage();
    await typePassword(page);
    // Nothing else opens until the app is set up.
    await page.waitForURL('**/totp-enrolment');
    await page.getByRole('heading', { name: '绑定验证器应用' }).waitFor();
    expect(await page.getByRole('img', { name: '用于绑定验证器应用的二维码' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const secret = base32Decode(((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, ''));
    const enrolStep = totpStep(Date.now());
    await page.fill('input[name=code]', hotp(secret, enrolStep));
    await page.getByRole('button', { name: '确认绑定' }).click();
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    expect(codes).toHaveLength(10);
    // The recovery codes are acknowledged before the app opens.
    expect(await page.getByRole('button', { name: '继续' }).isDisabled()).toBe(true);
    await page.getByLabel('我已妥善保存这些恢复码').check();
    await page.getByRole('button', { name: '继续' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.context().close();

    const next = await phonePage();
    await typePassword(next);
    const codeBox = next.locator('input[name=code]');
    await codeBox.waitFor();
    expect(await codeBox.getAttribute('inputmode')).toBe('numeric');
    expect(await codeBox.getAttribute('autocomplete')).toBe('one-time-code');
    // The code used at enrolment is spent: the app's next one (within the ±1 step window).
    await codeBox.fill(hotp(secret, Math.max(enrolStep + 1, totpStep(Date.now()))));
    await next.getByRole('button', { name: '验证并登录' }).click();
    await next.waitForURL((url) => !url.pathname.startsWith('/login'));
    expect(new URL(next.url()).pathname).toBe('/');
    // The menu leads staff to the two-step page, which says it is on instead of enrolling again.
    await next.getByRole('button', { name: '菜单' }).click();
    // (the home page has a 两步验证 tile too: the one taken here is the menu's)
    await next.locator('.side-drawer').getByRole('link', { name: '两步验证' }).click();
    await next.waitForURL('**/totp-enrolment');
    await next.getByRole('heading', { name: '两步验证已启用' }).waitFor();
    await next.getByRole('button', { name: '回到首页' }).click();
    await next.waitForURL((url) => url.pathname === '/');
    await next.context().close();
  });

  it('refuses a wrong code in the page and offers a recovery code instead', async () => {
    await enrolThroughTheApi();
    const page = await phonePage();
    await typePassword(page);
    await page.locator('input[name=code]').fill('000000');
    await page.getByRole('button', { name: '验证并登录' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('验证码错误或已使用过');
    await page.getByRole('button', { name: '手机不在身边？使用恢复码' }).click();
    await page.locator('input[name=recoveryCode]').waitFor();
    await page.context().close();
  });
});
