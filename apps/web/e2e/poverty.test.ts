// Return-to-poverty monitoring in the browser (issue 18): the village cadre opens the desk, finds
// the household waiting for the village review, reads its economics and passes the review, and
// the procedure moves on to the public notice; a villager reports a difficulty on the phone with
// big checkboxes and is told the grid worker will come.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { seedDemoPoverty } from '../../server/src/modules/poverty/poverty.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { deskPage, logIn, phonePage } from './browser.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003'; // 胡青松, 平地坝村
const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let deps: Deps;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('poverty', async (seeded) => {
    const org = await seedDemoOrg(seeded, accountCredentials);
    await seedDemoPoverty(seeded, org.regionsByCode);
  }));
}, 120_000);

afterAll(async () => {
  await stop?.();
});
beforeEach(() => fresh());

describe('poverty monitoring in the browser', () => {
  it('lets the village cadre pass the village review from the desk, the file showing the economics', async () => {
    const page = await deskPage(browser);
    await logIn(page, baseUrl, CADRE, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/poverty`);
    await page.getByTestId('poverty-desk').waitFor();
    const row = page.locator('tr', { hasText: '村级民主评议' }).first();
    await row.getByTestId('monitored-link').click();
    await page.getByTestId('poverty-file').waitFor();
    // The economics are read (and audited) with the file: 5200 a head, under the line.
    await expect.poll(() => page.getByTestId('per-capita-last12').textContent(), { timeout: 15_000 }).toBe('5200');
    expect(await page.getByTestId('file-next-step').textContent()).toBe('村级民主评议');
    await page.getByTestId('step-form').getByRole('textbox').last().fill('村民代表会议评议通过');
    await page.getByTestId('step-approve').click();
    await expect.poll(() => page.getByTestId('file-next-step').textContent(), { timeout: 15_000 }).toBe('村内公示');
    const audited = await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'poverty.economics.read').execute();
    expect(audited.length).toBeGreaterThan(0);
    await page.context().close();
  }, 120_000);

  it('takes a villager’s own report of a difficulty from the phone', async () => {
    const page = await phonePage(browser);
    await logIn(page, baseUrl, VILLAGER, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/m/poverty/report`);
    await page.getByTestId('poverty-self-report').waitFor();
    // Targets a thumb can hit, words an elder can read.
    const line = await page.locator('.check-line').first().boundingBox();
    expect(line?.height).toBeGreaterThanOrEqual(48);
    expect(
      await page
        .locator('.check-line')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    await page.getByText('遭受自然灾害').click();
    await page.getByText('家庭成员患重病').click();
    await page.locator('textarea').fill('房屋被洪水冲毁，老人住院');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByTestId('self-report-sent').waitFor({ timeout: 15_000 });
    const reported = await deps.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'poverty.self_report').execute();
    expect(reported.map((r) => r.outcome)).toEqual(['ok']);
    const rows = await deps.db.selectFrom('poverty_monitored').select(['reasons']).execute();
    expect(rows.some((r) => r.reasons.includes('seriousIllness') && r.reasons.includes('disaster'))).toBe(true);
    await page.context().close();
  }, 120_000);
});
