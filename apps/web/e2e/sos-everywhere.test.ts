// An SOS is seen wherever the people of the elder look (issue 15 items 1–4), on a 390×844 phone in
// chromium on the demo county: the caretaker's home says "N 条报警待处理" on the 关爱老人 tile without
// a reload, the family page opens with a red banner in words (who, what, state, time) and the buttons
// to call and to video call, the caretaker's round puts the elder first and says 待接警 on the card,
// and a blood pressure of 151/88 is said to be 偏高, not shown in the normal green.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInPage } from './browser.ts';
import { sendDemoReadings, startDemoWorld } from './web-world.ts';

const CARETAKER = '13800000008';
const FAMILY = '13800000012';
/** The demo family member's mother (the first elder in care in 何家岩村, in the caretaker's round too). */
const MOTHERS_SOS = 'HT-SOS-0001';
const MOTHERS_BRACELET = 'HT-BR-0001';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh } = await startDemoWorld('sos-everywhere'));
}, 240_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

const send = (readings: Record<string, unknown>[]) => sendDemoReadings(baseUrl, readings);

const sos = () => send([{ device: MOTHERS_SOS, id: `e2e-sos-${Date.now()}`, kind: 'sos', at: new Date().toISOString() }]);

const mother = async () => {
  const device = await deps.db
    .selectFrom('care_devices')
    .select('elder_person_id')
    .where('serial', '=', MOTHERS_SOS)
    .executeTakeFirstOrThrow();
  const person = await deps.db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('id', '=', device.elder_person_id as string)
    .executeTakeFirstOrThrow();
  return person;
};

/** Font size and box of an element, to hold the phone rules (16 px text, 48 px targets; 18/60 in elder mode). */
const measure = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((nodes) =>
    nodes.map((n) => {
      const box = n.getBoundingClientRect();
      return { font: Number.parseFloat(getComputedStyle(n).fontSize), height: box.height, text: n.textContent ?? '' };
    }),
  );

describe("the caretaker's home", { timeout: 120_000 }, () => {
  it('puts the open alarms on the 关爱老人 tile, in the family home’s words, live after an SOS', async () => {
    const page = await signedInPage({ browser, baseUrl }, CARETAKER);
    await page.goto(`${baseUrl}/`);
    const tile = page.locator('a[href="/care"]');
    await tile.waitFor();
    await page.locator('a[href="/m/rounds"] .home-tile-badge').waitFor();
    expect(await tile.locator('.home-tile-badge').count()).toBe(0);
    // The live stream is open before the SOS is pressed; no reload after it.
    await page.waitForTimeout(500);
    await sos();
    const badge = tile.locator('.home-tile-badge');
    await badge.getByText('1 条报警待处理').waitFor({ timeout: 5_000 });
    const [shown] = await measure(page, 'a[href="/care"] .home-tile-badge');
    expect(shown?.font).toBeGreaterThanOrEqual(16);
    await page.context().close();
  });
});

describe('the family page', { timeout: 120_000 }, () => {
  for (const elder of [false, true]) {
    it(`opens with a red banner for each open alarm, in words, with call and video buttons, live${elder ? ' (长辈版)' : ''}`, async () => {
      const { id, name } = await mother();
      const page = await signedInPage({ browser, baseUrl }, FAMILY, { elder });
      await page.goto(`${baseUrl}/m/family`);
      // Loaded, with no alarm open (the demo mother's blood pressure may read 偏高: the card then says so).
      await page.locator('[data-testid="elder-summary"]:not([data-tone="alarm"])').first().waitFor();
      expect(await page.getByTestId('alarm-banner').count()).toBe(0);
      await page.waitForTimeout(500);
      await sos();
      const banner = page.getByTestId('alarm-banner');
      await banner.waitFor({ timeout: 5_000 });
      expect(await banner.textContent()).toMatch(new RegExp(`${name} 一键呼救 · 待接警 · (今天|昨天) \\d\\d:\\d\\d`));
      // At the top: above the first elder's card and within the first screen.
      const bannerBox = await banner.boundingBox();
      const cardBox = await page.locator('.panel').first().boundingBox();
      expect(bannerBox && cardBox && bannerBox.y < cardBox.y).toBe(true);
      expect((bannerBox?.y ?? 999) + (bannerBox?.height ?? 0)).toBeLessThan(844);
      expect(await banner.evaluate((n) => getComputedStyle(n).backgroundColor)).toBe('rgb(185, 28, 28)');
      const call = banner.getByTestId('alarm-call');
      await call.waitFor();
      expect(await call.textContent()).toBe(`给${name}打电话`);
      expect(await call.getAttribute('href')).toMatch(/^tel:[0-9+]{5,}$/);
      expect(await banner.getByTestId('alarm-video').getAttribute('href')).toBe(`/m/family/call/${id}`);
      const [text] = await measure(page, '[data-testid="alarm-banner"] p');
      expect(text?.font).toBeGreaterThanOrEqual(elder ? 18 : 16);
      for (const target of await measure(page, '[data-testid="alarm-banner"] a')) {
        expect(target.height, target.text).toBeGreaterThanOrEqual(elder ? 60 : 48);
        expect(target.font, target.text).toBeGreaterThanOrEqual(elder ? 18 : 16);
      }
      await page.context().close();
    });
  }

  it('says 偏高 beside a blood pressure of 151/88, in the warning colour, and nothing beside a normal heart rate', async () => {
    const at = new Date().toISOString();
    await send([
      { device: MOTHERS_BRACELET, id: `e2e-bp-${Date.now()}`, kind: 'bloodPressure', value: 151, value2: 88, at },
      { device: MOTHERS_BRACELET, id: `e2e-hr-${Date.now()}`, kind: 'heartRate', value: 72, at },
    ]);
    const page = await signedInPage({ browser, baseUrl }, FAMILY);
    await page.goto(`${baseUrl}/m/family`);
    const pressure = page.getByTestId('reading-bloodPressure');
    await pressure.waitFor();
    expect(await pressure.locator('strong').textContent()).toBe('151/88');
    expect(await pressure.getByTestId('reading-flag').textContent()).toBe('↑ 偏高');
    expect(
      await pressure.getByTestId('reading-flag').evaluate((n) => Number.parseFloat(getComputedStyle(n).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    expect(await pressure.getAttribute('data-flag')).toBe('high');
    expect(await pressure.locator('strong').evaluate((n) => getComputedStyle(n).color)).not.toBe('rgb(31, 111, 67)');
    const heart = page.getByTestId('reading-heartRate');
    expect(await heart.getAttribute('data-flag')).toBe('normal');
    expect(await heart.locator('strong').textContent()).toBe('72');
    expect(await heart.getByTestId('reading-flag').count()).toBe(0);
    expect(await heart.locator('strong').evaluate((n) => getComputedStyle(n).color)).toBe('rgb(31, 111, 67)');
    await page.context().close();
  });

  it('sums the card up in words that agree with its readings: 血压偏高，请留意, never 一切正常 beside 偏高', async () => {
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    await send([
      { device: MOTHERS_BRACELET, id: `e2e-bp-high-${Date.now()}`, kind: 'bloodPressure', value: 151, value2: 88, at: at(60_000) },
      { device: MOTHERS_BRACELET, id: `e2e-hr-ok-${Date.now()}`, kind: 'heartRate', value: 72, at: at(60_000) },
    ]);
    const page = await signedInPage({ browser, baseUrl }, FAMILY);
    await page.goto(`${baseUrl}/m/family`);
    const summary = page.getByTestId('elder-summary').first();
    await summary.waitFor();
    await page.getByTestId('reading-bloodPressure').getByText('↑ 偏高').waitFor();
    expect(await summary.textContent()).toBe('⚠ 血压偏高，请留意');
    expect(await summary.getAttribute('data-tone')).toBe('watch');
    expect(await page.getByText('一切正常').count()).toBe(0);
    // A newer reading back in range: the card is all well again, in words too.
    await send([{ device: MOTHERS_BRACELET, id: `e2e-bp-ok-${Date.now()}`, kind: 'bloodPressure', value: 126, value2: 80, at: at(0) }]);
    await page.reload();
    await page.getByTestId('reading-bloodPressure').locator('strong').getByText('126/80').waitFor();
    expect(await page.getByTestId('elder-summary').first().textContent()).toBe('✓ 一切正常');
    expect(await page.getByTestId('reading-flag').count()).toBe(0);
    await page.context().close();
  });
});

describe("the caretaker's round", { timeout: 120_000 }, () => {
  it('puts the elder with an open alarm first, marked 待接警 in words and red, live', async () => {
    const page = await signedInPage({ browser, baseUrl }, CARETAKER);
    await page.goto(`${baseUrl}/m/rounds`);
    const cards = page.locator('article[data-testid^="round-"]');
    await cards.first().waitFor();
    expect(await page.getByTestId('round-alarm').count()).toBe(0);
    // The last elder of the round presses their button: their card moves to the top.
    const last = cards.last();
    const id = ((await last.getAttribute('data-testid')) ?? '').replace('round-', '');
    const name = await last.getByTestId('round-name').textContent();
    const button = await deps.db
      .selectFrom('care_devices')
      .select('serial')
      .where('elder_person_id', '=', id)
      .where('kind', '=', 'sosButton')
      .executeTakeFirstOrThrow();
    expect(await cards.first().getAttribute('data-testid')).not.toBe(`round-${id}`);
    await page.waitForTimeout(500);
    await send([{ device: button.serial, id: `e2e-sos-${Date.now()}`, kind: 'sos', at: new Date().toISOString() }]);
    const mark = page.getByTestId('round-alarm');
    await mark.waitFor({ timeout: 5_000 });
    expect(await mark.textContent()).toMatch(/^⚠ 一键呼救 · 待接警 · /);
    const first = cards.first();
    expect(await first.getAttribute('data-testid')).toBe(`round-${id}`);
    expect(await first.getByTestId('round-name').textContent()).toBe(name);
    expect(await first.getAttribute('data-alarm')).toBe('open');
    expect(await first.evaluate((n) => getComputedStyle(n).borderInlineStartColor)).toBe('rgb(185, 28, 28)');
    const [shown] = await measure(page, '[data-testid="round-alarm"]');
    expect(shown?.font).toBeGreaterThanOrEqual(16);
    expect(await cards.nth(1).getAttribute('data-alarm')).toBeNull();
    await page.context().close();
  });
});
