// Issue 15 ("one form, one key"), in chromium on the demo county on a 390×844 phone: a double tap
// on 到场签到 (/m/tasks) is one check-in in the case's history, also when the two taps land in the
// same moment and when the second comes after the first was saved; a double tap on 接警 (/care,
// said without antd's space) takes the alarm on once and shows no error under it; a button that
// cannot be used yet (提交申请 on /m/points, 发送到家中音箱 on /m/family) still reads at 4.5:1 or
// more. A double tap on 提交申请 (/m/points) files one claim, on 发送到家中音箱 queues one
// reminder, and on 接单 takes the case on once without an error.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_GATEWAY_KEY } from '../../server/src/modules/care/care.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInPage } from './browser.ts';
import { startDemoWorld } from './web-world.ts';

const GRID_WORKER = '13800000004';
const DOCTOR = '13800000007';
const VILLAGER = '13800000011';
const FAMILY = '13800000012';
const SOS = 'HT-SOS-0001';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh } = await startDemoWorld('one-tap-one-step'));
}, 240_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

async function checkInsOf(caseNumber: string): Promise<number> {
  const caseItem = await deps.db.selectFrom('cases').select('id').where('number', '=', caseNumber).executeTakeFirstOrThrow();
  const rows = await deps.db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseItem.id)
    .where('action', '=', 'checkIn')
    .execute();
  return rows.length;
}

/** Nothing is left to send: the outbox's banner has gone. */
const outboxEmpty = (page: Page) => page.evaluate(() => document.querySelector('[data-testid="outbox-banner"]') === null);

/** A card of the grid worker's queue with 到场签到 on it, taking a case on (接单) first if none has it yet. */
async function cardToCheckIn(page: Page, skip: string[] = []): Promise<{ card: Locator; number: string }> {
  const cards = page.locator(`article.task-card${skip.map((n) => `:not([data-case="${n}"])`).join('')}`);
  await cards.first().waitFor();
  const open = (name: RegExp) => cards.filter({ has: page.getByRole('button', { name }) });
  if ((await open(/到场签到/).count()) === 0) {
    const assigned = open(/^接\s*单$/).first();
    const number = (await assigned.getAttribute('data-case')) as string;
    await assigned.getByRole('button', { name: /^接\s*单$/ }).click();
    await page
      .locator(`article[data-case="${number}"]`)
      .getByRole('button', { name: /到场签到/ })
      .waitFor();
  }
  const number = (await open(/到场签到/)
    .first()
    .getAttribute('data-case')) as string;
  // Pinned by its number, so the card stays the same one whatever the queue does around it.
  return { card: page.locator(`article[data-case="${number}"]`), number };
}

describe('到场签到 on /m/tasks', { timeout: 120_000 }, () => {
  it('records one check-in for a double tap, for two taps in the same moment, and for a tap after the first was saved', async () => {
    const page = await signedInPage({ browser, baseUrl }, GRID_WORKER);
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/transitions$/.test(request.url()) && request.postData()?.includes('checkIn'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await page.goto(`${baseUrl}/m/tasks`);

    // A double tap, as a thumb makes it.
    const first = await cardToCheckIn(page);
    const before = await checkInsOf(first.number);
    await first.card.getByRole('button', { name: /到场签到/ }).dblclick();
    await first.card.getByTestId('checked-in').waitFor();
    // Sent at once (the phone is online): the notice says nothing of keeping it for a network.
    expect(await first.card.getByTestId('checked-in').locator('.notice-body').textContent()).toMatch(/^已签到（.*）。$/);
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await expect.poll(() => checkInsOf(first.number)).toBe(before + 1);
    // Sent by the tap itself, it is no step that waited: no 先前保存的已发出 line.
    expect(await page.getByTestId('outbox-sent').count()).toBe(0);

    // A third tap while 已签到 still shows is the same check-in: sent again under its key, recorded once.
    await first.card.getByRole('button', { name: /到场签到/ }).click();
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await page.waitForTimeout(500);
    expect(await checkInsOf(first.number)).toBe(before + 1);
    expect(new Set(keys).size).toBe(1);
    expect(await first.card.getByRole('alert').count()).toBe(0);

    // Two taps landing in the same moment, before the page has drawn anything in between.
    const second = await cardToCheckIn(page, [first.number]);
    const secondBefore = await checkInsOf(second.number);
    await second.card.getByRole('button', { name: /到场签到/ }).evaluate((node) => {
      (node as HTMLButtonElement).click();
      (node as HTMLButtonElement).click();
    });
    await second.card.getByTestId('checked-in').waitFor();
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await page.waitForTimeout(500);
    expect(await checkInsOf(second.number)).toBe(secondBefore + 1);

    // Closing the notice starts a new check-in (a second visit to the place): it is recorded.
    await first.card.getByTestId('checked-in').getByRole('button', { name: 'close' }).click();
    await first.card.getByRole('button', { name: /到场签到/ }).click();
    await first.card.getByTestId('checked-in').waitFor();
    await expect.poll(() => checkInsOf(first.number)).toBe(before + 2);
    await page.context().close();
  });
});

describe('more double taps the newcomer made (2026-12-03)', { timeout: 120_000 }, () => {
  it('提交申请 on /m/points files one claim', async () => {
    const page = await signedInPage({ browser, baseUrl }, VILLAGER);
    await page.goto(`${baseUrl}/m/points`);
    const note = `双击测试 ${Date.now()}`;
    await page.getByLabel('选择积分项目').selectOption({ index: 1 });
    await page.getByLabel('说明（做了什么）').fill(note);
    await page.getByRole('button', { name: /提交申请/ }).dblclick();
    await page
      .getByText(/已提交|已保存/)
      .first()
      .waitFor();
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await page.waitForTimeout(500);
    const claims = await deps.db.selectFrom('points_claims').select('id').where('note', '=', note).execute();
    expect(claims).toHaveLength(1);
    await page.context().close();
  });

  it('发送到家中音箱 on /m/family queues the reminder once', async () => {
    const page = await signedInPage({ browser, baseUrl }, FAMILY);
    await page.goto(`${baseUrl}/m/family`);
    const text = `双击测试 ${Date.now()}`;
    await page.getByLabel('提醒内容').fill(text);
    await page.getByRole('button', { name: '发送到家中音箱' }).dblclick();
    await page.getByText('提醒已发出').waitFor();
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await page.waitForTimeout(500);
    const commands = await deps.db.selectFrom('care_commands').select(['id', 'payload']).execute();
    expect(commands.filter((c) => c.payload.includes(text))).toHaveLength(1);
    await page.context().close();
  });

  it('接单 on /m/tasks takes the case on once and shows no 未能完成', async () => {
    const page = await signedInPage({ browser, baseUrl }, GRID_WORKER);
    await page.goto(`${baseUrl}/m/tasks`);
    const assigned = page
      .locator('article.task-card')
      .filter({ has: page.getByRole('button', { name: /^接\s*单$/ }) })
      .first();
    await assigned.waitFor();
    const number = (await assigned.getAttribute('data-case')) as string;
    const card = page.locator(`article[data-case="${number}"]`);
    await card.getByRole('button', { name: /^接\s*单$/ }).dblclick();
    await card.getByRole('button', { name: /到场签到/ }).waitFor();
    await expect.poll(() => outboxEmpty(page)).toBe(true);
    await page.waitForTimeout(500);
    expect(await page.getByText('未能完成').count()).toBe(0);
    const caseItem = await deps.db.selectFrom('cases').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    const accepts = await deps.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', caseItem.id)
      .where('action', '=', 'accept')
      .execute();
    expect(accepts).toHaveLength(1);
    await page.context().close();
  });
});

describe('接警 on /care', { timeout: 120_000 }, () => {
  it('takes the alarm on once for a double tap and shows no error under it', async () => {
    const sos = await fetch(`${baseUrl}/api/care/readings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ device: SOS, id: `e2e-${SOS}-${Date.now()}`, kind: 'sos', at: new Date().toISOString() }] }),
    });
    expect(sos.status).toBe(200);
    const page = await signedInPage({ browser, baseUrl }, DOCTOR);
    await page.goto(`${baseUrl}/care`);
    const alarm = page
      .locator('article[data-alarm="sos"]')
      .filter({ has: page.getByRole('button', { name: /接\s*警/ }) })
      .first();
    await alarm.waitFor();
    // Its words as written: antd's button put a space between two Chinese characters (接 警).
    expect(await alarm.getByRole('button', { name: /接\s*警/ }).innerText()).toBe('接警');
    const taken = async () =>
      (await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'care.alarm.acknowledge').execute()).length;
    const before = await taken();
    // 处置完毕 waits for a note: disabled (antd's button), and still read at 4.5:1 or more.
    const resolve = alarm.getByRole('button', { name: /处置完毕/ });
    const colours = await coloursOf(resolve);
    expect(colours.disabled).toBe(true);
    // ...and says why, in words, under it.
    expect(await alarm.getByTestId('resolve-why').textContent()).toBe('先在框里写下怎么处置的，再点“处置完毕”');
    expect(contrast(colours.color, colours.background), `${colours.color} on ${colours.background}`).toBeGreaterThanOrEqual(4.5);
    await alarm.getByRole('button', { name: /接\s*警/ }).dblclick();
    const inHand = page.locator('article[data-alarm="sos"]').first();
    await inHand.getByRole('button', { name: /接\s*警/ }).waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect(await inHand.getByRole('alert').count()).toBe(0);
    expect(await taken()).toBe(before + 1);
    await page.context().close();
  });
});

type Colours = { color: string; background: string; disabled: boolean };

/** WCAG 2 contrast of two opaque computed colours (`rgb(r, g, b)`). */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = (colour.match(/[\d.]+/g) ?? []).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const coloursOf = (button: Locator): Promise<Colours> =>
  button.evaluate((node) => {
    const style = getComputedStyle(node);
    return { color: style.color, background: style.backgroundColor, disabled: (node as HTMLButtonElement).disabled };
  });

describe('a button that cannot be used yet', { timeout: 120_000 }, () => {
  it('looks disabled and still reads at 4.5:1 or more (提交申请 on /m/points, 发送到家中音箱 on /m/family)', async () => {
    const cases: [string, string, RegExp][] = [
      [VILLAGER, '/m/points', /提交申请/],
      [FAMILY, '/m/family', /发送到家中音箱/],
    ];
    for (const [who, path, name] of cases) {
      const page = await signedInPage({ browser, baseUrl }, who);
      await page.goto(`${baseUrl}${path}`);
      const button = page.getByRole('button', { name }).first();
      await button.waitFor();
      const colours = await coloursOf(button);
      expect(colours.disabled, `${path} ${name}`).toBe(true);
      // Grey on grey, as before: it looks unusable, only darker.
      expect(colours.background, path).toBe('rgb(243, 244, 246)');
      expect(contrast(colours.color, colours.background), `${path}: ${colours.color} on ${colours.background}`).toBeGreaterThanOrEqual(4.5);
      await page.context().close();
    }
  });
});
