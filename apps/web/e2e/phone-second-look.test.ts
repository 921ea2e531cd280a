// A newcomer's second look at the phone pages (390×844, normal and elder mode): rating a handled
// case takes a choice and a confirmation and says thank you, the same control on the list and the
// case's page; a bad application address says the application is not there, with the way back; the
// doctor's alarm-rule inputs have Chinese names; the caretaker's home tile and round count the same
// thing, and a check-in says so in words.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInPage } from './browser.ts';
import { startDemoWorld } from './web-world.ts';

const DOCTOR = '13800000007';
const CARETAKER = '13800000008';
const VILLAGER = '13800000011';
const REPLY = '路灯已换新，请您看看是否亮了';

let browser: Browser;
let baseUrl: string;
let deps: Deps;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;

beforeAll(async () => {
  ({ baseUrl, browser, deps, stop, fresh } = await startDemoWorld('phone-second-look'));
}, 240_000);

afterAll(() => stop?.());
beforeEach(() => fresh());

/** A replied demo case made the villager's own, its reply carrying a note. */
async function repliedCaseOfTheVillager(): Promise<{ id: string; title: string }> {
  const villager = await deps.db.selectFrom('users').select('id').where('phone', '=', VILLAGER).executeTakeFirstOrThrow();
  const replied = await deps.db
    .selectFrom('cases')
    .select(['id', 'title'])
    .where('state', '=', 'replied')
    .where('merged_into_id', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  await deps.db.updateTable('cases').set({ reporter_user_id: villager.id, replied_at: Date.now() }).where('id', '=', replied.id).execute();
  await deps.db.updateTable('case_events').set({ note: REPLY }).where('case_id', '=', replied.id).where('action', '=', 'reply').execute();
  return replied;
}

const stored = (id: string) => deps.db.selectFrom('cases').select(['rating', 'state']).where('id', '=', id).executeTakeFirstOrThrow();

describe('rating a handled case', { timeout: 120_000 }, () => {
  for (const elder of [false, true]) {
    it(`shows the reply, takes a chosen score only on 提交评价, thanks and shows the score, on the list and the case page${elder ? ' (长辈版)' : ''}`, async () => {
      const { id, title } = await repliedCaseOfTheVillager();
      const page = await signedInPage({ browser, baseUrl }, VILLAGER, { elder });
      await page.goto(`${baseUrl}/m/cases`);
      const row = page.locator('li', { has: page.getByRole('link', { name: title, exact: true }) }).first();
      const control = row.getByTestId('rating-control');
      await control.waitFor();
      // The reply is read before the stars.
      await control.getByTestId('handler-reply').getByText(REPLY).waitFor();
      expect(await control.locator('fieldset.stars input:checked').count()).toBe(0);
      const submit = control.getByRole('button', { name: '提交评价' });
      expect(await submit.isDisabled()).toBe(true);

      // Targets and text keep the phone rules.
      const minTarget = elder ? 60 : 48;
      const sizes = await control
        .locator('fieldset.stars label, button')
        .evaluateAll((nodes) => nodes.map((n) => ({ h: n.getBoundingClientRect().height, w: n.getBoundingClientRect().width })));
      for (const size of sizes) {
        expect(size.h).toBeGreaterThanOrEqual(minTarget);
        expect(size.w).toBeGreaterThanOrEqual(minTarget);
      }
      const fontSizes = await control
        .locator('legend, span, p, button')
        .evaluateAll((nodes) => nodes.filter((n) => n.textContent?.trim()).map((n) => Number.parseFloat(getComputedStyle(n).fontSize)));
      for (const size of fontSizes) expect(size).toBeGreaterThanOrEqual(elder ? 18 : 16);

      // One tap on a star only chooses.
      await control.getByLabel('3 星').click();
      await control.getByText('已选 3 星').waitFor();
      expect(await stored(id)).toEqual({ rating: null, state: 'replied' });
      expect(await submit.isDisabled()).toBe(false);
      await submit.click();
      await control.getByTestId('rating-thanks').getByText('谢谢您的评价！您打了 3 星。').waitFor();
      await expect.poll(() => stored(id), { timeout: 5_000 }).toEqual({ rating: 3, state: 'closed' });
      // The thank-you and the score stay after the list is read again.
      await row.getByText('已办结').waitFor();
      await control.getByTestId('rating-given').getByText('★★★☆☆').waitFor();

      // The case page shows the same score, and no second rating control.
      await page.goto(`${baseUrl}/cases/${id}`);
      await page.getByTestId('rating-given').getByText('★★★☆☆').waitFor();
      expect(await page.locator('fieldset.stars').count()).toBe(0);
      expect(await page.getByRole('button', { name: /评\s*价/ }).count()).toBe(0);
      await page.context().close();
    });
  }

  it('offers the same control on the case page, and a low score says the case goes back', async () => {
    const { id } = await repliedCaseOfTheVillager();
    const page = await signedInPage({ browser, baseUrl }, VILLAGER);
    await page.goto(`${baseUrl}/cases/${id}`);
    const control = page.getByTestId('rating-control');
    await control.getByTestId('handler-reply').getByText(REPLY).waitFor();
    await control.getByLabel('2 星').click();
    await control.getByRole('button', { name: '提交评价' }).click();
    await control.getByText(/谢谢您的评价！您打了 2 星。\s*分数较低，这件事已退回重新办理。/).waitFor();
    await expect.poll(() => stored(id), { timeout: 5_000 }).toEqual({ rating: 2, state: 'assigned' });
    await page.context().close();
  });
});

describe('a bad application address', { timeout: 60_000 }, () => {
  it('says 找不到这个办件 and offers 办事 and home, whether the id is malformed or unknown', async () => {
    const page = await signedInPage({ browser, baseUrl }, VILLAGER);
    for (const id of ['nonsense', '0195f6e2-7c1a-7d3e-9a4b-0123456789ab']) {
      await page.goto(`${baseUrl}/m/services/applications/${id}`);
      await page.getByText('找不到这个办件').waitFor();
      expect(await page.getByText('输入有误').count()).toBe(0);
      await page.getByRole('link', { name: '返回办事' }).waitFor();
      await page.getByRole('link', { name: '回到首页' }).waitFor();
    }
    await page.getByRole('link', { name: '返回办事' }).click();
    await page.waitForURL((url) => url.pathname === '/m/services');
    await page.context().close();
  });
});

describe("the doctor's alarm rules", { timeout: 60_000 }, () => {
  it('name each input in Chinese for a screen reader', async () => {
    const elder = await deps.db.selectFrom('care_elders').select('person_id').executeTakeFirstOrThrow();
    const page = await signedInPage({ browser, baseUrl }, DOCTOR, { desk: true });
    await page.goto(`${baseUrl}/care/elders/${elder.person_id}`);
    await page.getByLabel('血压过高 阈值').waitFor();
    await page.getByLabel('血压过高 持续（分钟）').waitFor();
    const labels = await page.locator('[aria-label]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
    expect(labels.filter((label) => /limit|systolic|diastolic/i.test(label))).toEqual([]);
    await page.context().close();
  });
});

describe("the caretaker's round", { timeout: 90_000 }, () => {
  it('counts the elders still to visit as the home tile does, and a check-in says it was recorded', async () => {
    const page = await signedInPage({ browser, baseUrl }, CARETAKER);
    await page.goto(`${baseUrl}/`);
    const tile = page.locator('a[href="/m/rounds"] .home-tile-badge');
    await tile.waitFor();
    const onTile = Number((await tile.textContent())?.match(/(\d+) 位待探访/)?.[1]);
    expect(onTile).toBeGreaterThan(0);

    await page.goto(`${baseUrl}/m/rounds`);
    const chip = page.getByText(/^还有\d+位待探访（共\d+项）$/);
    await chip.waitFor();
    expect(Number((await chip.textContent())?.match(/还有(\d+)位/)?.[1])).toBe(onTile);

    const first = page.locator('article[data-testid^="round-"]').first();
    const name = (await first.getByTestId('round-name').textContent()) ?? '';
    await first.getByRole('button', { expanded: false }).click();
    await first.getByRole('button', { name: /签\s*到/ }).click();
    const done = first.getByTestId('check-in-done');
    await done.waitFor();
    expect(await done.textContent()).toContain(`已签到：${name}`);
    await page.context().close();
  });
});

describe("each role's home puts its phone work first", { timeout: 90_000 }, () => {
  it("a grid worker's first tiles are today's tasks and the poverty visits; a caretaker's is the round", async () => {
    const firstTiles = async (who: string) => {
      const page = await signedInPage({ browser, baseUrl }, who);
      await page.goto(`${baseUrl}/`);
      await page.locator('.home-tiles a').first().waitFor();
      const hrefs = await page.locator('.home-tiles a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      await page.context().close();
      return hrefs;
    };
    const grid = await firstTiles('13800000004');
    expect(grid.slice(0, 2)).toEqual(['/m/tasks', '/m/poverty']);
    // Desk pages come after every phone page the role has.
    expect(grid.indexOf('/cases')).toBeGreaterThan(grid.indexOf('/m/poverty'));
    expect((await firstTiles(CARETAKER))[0]).toBe('/m/rounds');
  });
});
