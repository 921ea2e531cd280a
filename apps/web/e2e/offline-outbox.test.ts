// What a grid worker saved offline is never lost: steps queued on /m/tasks, the app reloaded while
// still offline (so the session is the kept copy, without its CSRF token), then back online. Each
// step reaches the case's history once, in order, whatever the token was when the phone came back
// (lib/outbox.ts, lib/api-client.ts). A step the server refuses for good is kept and shown as
// 未能完成, also after a reload, until the person closes the notice.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import { logIn, PHONE_390, phonePage, signedInApi } from './browser.ts';
import { startDemoWorld, type WebWorld } from './web-world.ts';

const GRID_WORKER = '13800000004';
let world: WebWorld;

beforeAll(async () => {
  world = await startDemoWorld('offline-outbox');
}, 180_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const page = await phonePage(world.browser, PHONE_390);
  return { context: page.context(), page };
}

/** One of the grid worker's cases, accepted (so 到场签到 and 记录调解 are offered on /m/tasks). */
async function acceptedCase(): Promise<{ id: string; number: string }> {
  const worker = await world.deps.db.selectFrom('users').select('id').where('phone', '=', GRID_WORKER).executeTakeFirstOrThrow();
  const open = await world.deps.db
    .selectFrom('cases')
    .select(['id', 'number', 'state'])
    .where('assignee_user_id', '=', worker.id)
    .where('state', 'in', ['assigned', 'accepted'])
    .orderBy('deadline_at')
    .executeTakeFirstOrThrow();
  if (open.state === 'assigned') {
    const api = await signedInApi(world.baseUrl, GRID_WORKER, DEMO_PASSWORD);
    const accepted = await api(`/api/cases/${open.id}/transitions`, { action: 'accept' });
    if (accepted.status !== 200) throw new Error(`accepting ${open.number}: ${accepted.status} ${await accepted.text()}`);
  }
  return { id: open.id, number: open.number };
}

const history = (caseId: string) =>
  world.deps.db
    .selectFrom('case_events')
    .select('action')
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((row) => row.action).filter((action) => action === 'checkIn' || action === 'recordMediation'));

/** The grid worker on /m/tasks on a phone, the service worker in control, one accepted case's card shown. */
async function tasksOnPhone() {
  const caseItem = await acceptedCase();
  const { context, page } = await phone();
  await logIn(page, world.baseUrl, GRID_WORKER, DEMO_PASSWORD);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto(`${world.baseUrl}/m/tasks`);
  const card = page.locator(`article[data-case="${caseItem.number}"]`);
  await card.waitFor();
  await page.waitForLoadState('networkidle');
  return { caseItem, context, page, card };
}

describe('the outbox after an offline start', { timeout: 120_000 }, () => {
  it('sends a check-in and a mediation queued offline, across a reload offline, each once and in order', async () => {
    const { caseItem, context, page, card } = await tasksOnPhone();

    await context.setOffline(true);
    await card.getByRole('button', { name: '到场签到' }).click();
    await page.getByTestId('outbox-banner').getByText('1 项').waitFor();
    await card.getByRole('button', { name: '记录调解' }).click();
    await card.getByLabel('当事人（用逗号分隔）').fill('张三，李四');
    await card.getByLabel('调解协议').fill('离线测试：双方同意各让一步');
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('outbox-banner').getByText('2 项').waitFor();
    await card
      .getByTestId('waiting')
      .getByText(/待发送/)
      .waitFor();

    // Reloaded with no network: the session is the kept copy, which holds no CSRF token.
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('outbox-banner').getByText('2 项').waitFor();
    expect(await history(caseItem.id)).toEqual([]);

    // Back online, the phone's network takes a moment to answer the service worker, which then serves
    // the kept session (no token) to the page: as a village signal coming back does, and as it did
    // when the newcomer saw a queued check-in refused 403 and dropped.
    let slowUntil = Date.now() + 2500;
    let keptSessionsServed = 0;
    await context.route('**/api/auth/current', async (route) => {
      if (Date.now() >= slowUntil) return route.continue();
      keptSessionsServed++;
      return route.abort('internetdisconnected');
    });
    slowUntil = Date.now() + 2500;
    await context.setOffline(false);
    await expect.poll(() => history(caseItem.id), { timeout: 40_000 }).toEqual(['checkIn', 'recordMediation']);
    expect(keptSessionsServed).toBeGreaterThan(0);
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.getByText('未能完成').count()).toBe(0);
    // The person is told that what waited went, one line each, until they close it.
    const told = page.getByTestId('outbox-sent');
    await expect
      .poll(() => told.allTextContents())
      .toEqual([expect.stringContaining('先前保存的已发出'), expect.stringContaining('先前保存的已发出')]);
    await told.first().getByRole('button').click();
    await expect.poll(() => told.count()).toBe(1);
    // However often the outbox tries again, each step is in the history once.
    await page.waitForTimeout(500);
    expect(await history(caseItem.id)).toEqual(['checkIn', 'recordMediation']);
    await context.close();
  });

  it('keeps a step the server refused for good, and says so after a reload, until the person closes it', async () => {
    const { caseItem, context, page, card } = await tasksOnPhone();

    await context.setOffline(true);
    await card.getByRole('button', { name: '到场签到' }).click();
    await page.getByTestId('outbox-banner').getByText('1 项').waitFor();
    // Meanwhile the case is resolved from another device: a check-in no longer fits it.
    const api = await signedInApi(world.baseUrl, GRID_WORKER, DEMO_PASSWORD);
    expect((await api(`/api/cases/${caseItem.id}/transitions`, { action: 'handle', note: '已在电脑上办结' })).status).toBe(200);

    await context.setOffline(false);
    const refused = page.getByText(`未能完成：到场签到 · ${caseItem.number}`);
    await refused.waitFor({ timeout: 20_000 });
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached' });
    expect(await history(caseItem.id)).toEqual([]);

    // The notice is kept with the step, not only in the page's memory.
    await page.reload();
    await refused.waitFor();
    await page.locator('.notice', { hasText: '未能完成' }).getByRole('button', { name: 'close' }).click();
    await refused.waitFor({ state: 'detached' });
    await page.reload();
    await card.waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('未能完成').count()).toBe(0);
    await context.close();
  });
});
