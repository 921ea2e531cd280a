// What a newcomer found on the camera pages in chromium (issue 16), each fixed and held here: the
// finding pages fit a 390 px phone with nothing to scroll sideways and pass the phone-page rules
// (issue 15); a camera's case names the camera channel and asks whom it is routed to; the cadre's
// confirmation note and the reason for accepting a scene (required) are in the case's history; the
// map spreads markers on one spot, names every kind in its legend and says where a camera looks in
// words; a button that cannot be used looks it and says why; the police page is written for an
// officer (no command line) and shows the county's key fingerprint.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { makeCase, renderBaseline, renderSnapshot, TUNING_RANGES } from '../../server/src/modules/monitoring/detection/scenes.ts';
import { closeDetection, runDetection } from '../../server/src/modules/monitoring/monitoring-detection.service.ts';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInApi } from './browser.ts';
import { type Mode, measure, settle, trackRequests } from './phone-measure.ts';
import { startWebWorld } from './web-world.ts';

const CADRE = '13800000003'; // 胡青松, 平地坝村
const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村
const DAXI_OFFICIAL = '13800000017';
const LIAISON = '13800000016'; // 大溪镇's police liaison

let browser: Browser;
let baseUrl: string;
let stop: () => Promise<void>;
let fresh: () => Promise<void>;
let deps: Deps;

beforeAll(async () => {
  ({ deps, baseUrl, browser, stop, fresh } = await startWebWorld('cameras-rough-edges', async (seeded) => {
    await seedDemoOrg(seeded, accountCredentials);
  }));
}, 120_000);

afterAll(async () => {
  await closeDetection();
  await stop?.();
});
beforeEach(() => fresh());

/** The API as a signed-in person of the demo county. */
const apiAs = (phone: string) => signedInApi(baseUrl, phone, DEMO_PASSWORD);

const regionId = async (name: string) =>
  (await deps.db.selectFrom('regions').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

// The street whose structure the detector finds, painted once for the file.
const street = makeCase('structure', 3, TUNING_RANGES);
let paintings: Promise<Buffer[]> | undefined;
const streetPictures = () => {
  paintings ??= Promise.all([renderBaseline(street, 640, 360), ...[0, 1, 2, 3].map((k) => renderSnapshot(street, k, 640, 360))]);
  return paintings;
};

async function register(
  phone: string,
  region: string,
  name: string,
  at: { latitude: number; longitude: number; directionDegrees: number },
  purpose: 'marketTown' | 'farm' = 'marketTown',
) {
  const post = await apiAs(phone);
  const answer = await post('/api/monitoring/cameras', {
    regionId: await regionId(region),
    name,
    ...at,
    owner: '村委会',
    purpose,
    ...(purpose === 'marketTown' && { publicSignRef: 'PDB-2026-09' }),
    retentionDays: 30,
    privacyMasks: purpose === 'farm' ? [] : street.privacyMasks.map((m) => m.map((p) => [p.x, p.y])),
    ...(purpose !== 'farm' && { watchArea: street.watchArea.map((p) => [p.x, p.y]) }),
    source: 'push',
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { camera: { id: string }; pushKey: string };
}

async function push(camera: { camera: { id: string }; pushKey: string }, body: Buffer, capturedAt: number) {
  const answer = await fetch(
    `${baseUrl}/api/monitoring/cameras/${camera.camera.id}/snapshots?capturedAt=${new Date(capturedAt).toISOString()}`,
    { method: 'POST', headers: { authorization: `Bearer ${camera.pushKey}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(body) },
  );
  expect(answer.status).toBe(201);
}

/** A camera in Pingdiba's first group whose street gets a structure, detected: its finding's id. */
async function findingOn(name: string, at = { latitude: 28.992, longitude: 108.666, directionDegrees: 270 }): Promise<string> {
  const camera = await register(CADRE, '平地坝村一组', name, at);
  const start = Date.now() - 2 * 24 * 3600_000;
  for (const [i, body] of (await streetPictures()).entries()) await push(camera, body, start + i * 30 * 60_000);
  while ((await runDetection(deps)) > 0);
  const finding = await deps.db
    .selectFrom('monitoring_findings')
    .select('id')
    .where('camera_id', '=', camera.camera.id)
    .executeTakeFirstOrThrow();
  return finding.id;
}

/** A 390×844 phone (the newcomer's), signed in, the mode set before the app starts. */
async function phone390(phone: string, mode: Mode = 'normal'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    hasTouch: true,
  });
  // The test runner names the functions it sends to the page with a helper the page lacks.
  await context.addInitScript({ content: 'window.__name = (f) => f;' });
  if (mode === 'elder') await context.addInitScript({ content: "localStorage.setItem('cunzhi.elderMode', '1');" });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  trackRequests(page);
  const answer = await page.request.post(`${baseUrl}/api/auth/login`, { data: { phone, password: DEMO_PASSWORD } });
  expect(answer.status()).toBe(200);
  return page;
}

/** Nothing wider than the screen: the page scrolls only up and down. */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the camera pages a newcomer tried', () => {
  it('the findings and a finding fit a 390 px phone, and pass the phone-page rules in both modes', async () => {
    const id = await findingOn('平地坝一组路口');
    for (const mode of ['normal', 'elder'] as const) {
      const page = await phone390(CADRE, mode);
      for (const path of ['/cameras/findings', `/cameras/findings/${id}`]) {
        await page.goto(`${baseUrl}${path}`);
        await page
          .getByRole('heading', { name: path.endsWith(id) ? '平地坝一组路口' : '乱搭乱建发现' })
          .first()
          .waitFor();
        await settle(page, path);
        expect(await sideways(page), `${path} ${mode}`).toBeLessThanOrEqual(0);
        const measured = await measure(page, mode);
        expect(measured.breaches, `${path} ${mode}`).toEqual([]);
        expect(measured.targets).toBeGreaterThan(2);
      }
      await page.context().close();
    }
  }, 240_000);

  it('a camera’s case says camera and whom it asks; the confirmation note and the reason for a new scene are in its history', async () => {
    const confirmed = await findingOn('平地坝一组路口');
    const accepted = await findingOn('平地坝一组桥头');
    const page = await phone390(CADRE);

    await page.goto(`${baseUrl}/cameras/findings/${confirmed}`);
    await page.getByRole('button', { name: '确认是乱搭乱建' }).click();
    const ask = page.getByRole('dialog', { name: '确认是乱搭乱建' });
    await ask.getByRole('textbox').fill('经现场核实，为未经审批的彩钢棚');
    await ask.getByRole('button', { name: '确认是乱搭乱建' }).click();
    await page.getByText(/于 .* 确认$/).waitFor();
    await page.getByRole('link', { name: /^查看事项/ }).click();
    await page.waitForURL(`**/cases/${confirmed}`);
    await page.getByText('视频发现 · 摄像头发现').first().waitFor();
    await page
      .getByText(/请网格员到现场核实/)
      .first()
      .waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/snapshots in a row|Please check on site/);
    await page
      .getByText(/经现场核实，为未经审批的彩钢棚/)
      .first()
      .waitFor();

    // Accepting the scene closes the case: not without a reason, and the page says so.
    await page.goto(`${baseUrl}/cameras/findings/${accepted}`);
    await page.getByRole('button', { name: '接受为新基准' }).click();
    const accept = page.getByRole('dialog', { name: '接受为新基准' });
    const go = accept.getByRole('button', { name: '接受为新基准' });
    expect(await go.isDisabled()).toBe(true);
    await accept.getByText('请先填写接受的理由（至少2个字）：对应事项将以这个理由办结。').waitFor();
    await accept.getByRole('textbox').fill('已办理乡村建设规划许可');
    expect(await go.isDisabled()).toBe(false);
    expect(await accept.getByTestId('disabled-why').count()).toBe(0);
    await go.click();
    await page
      .getByText(/接受为新基准$/)
      .first()
      .waitFor();
    await page.getByRole('link', { name: /^查看事项/ }).click();
    await page.waitForURL(`**/cases/${accepted}`);
    await page
      .getByText(/已办理乡村建设规划许可/)
      .first()
      .waitFor();
    const state = await deps.db.selectFrom('cases').select('state').where('id', '=', accepted).executeTakeFirstOrThrow();
    expect(state.state).toBe('closed');
    await page.context().close();
  }, 240_000);

  it('the map spreads cameras on one spot apart, names every kind of marker, and says where a camera looks', async () => {
    const spot = { latitude: 28.992, longitude: 108.666 };
    await findingOn('平地坝一组路口', { ...spot, directionDegrees: 270 });
    await register(CADRE, '平地坝村一组', '平地坝一组小卖部', { latitude: 28.99201, longitude: 108.66601, directionDegrees: 90 });
    await register(CADRE, '平地坝村一组', '平地坝一组祠堂', { latitude: 28.99199, longitude: 108.66599, directionDegrees: 180 });
    const page = await phone390(CADRE);
    await page.goto(`${baseUrl}/m/cameras`);
    const map = page.getByTestId('region-map');
    await map.getByRole('button', { name: '待核实的发现：平地坝一组路口' }).waitFor();
    const markers = await map.locator('.region-map-marker').all();
    expect(markers).toHaveLength(4);
    const boxes = [];
    const frame = await map.boundingBox();
    for (const marker of markers) {
      const box = await marker.boundingBox();
      if (!box || !frame) throw new Error('a marker is not drawn');
      expect(box.x >= frame.x - 1 && box.y >= frame.y - 1 && box.x + box.width <= frame.x + frame.width + 1).toBe(true);
      boxes.push(box);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]] as [{ x: number; y: number; width: number }, { x: number; y: number; width: number }];
        expect(Math.hypot(a.x - b.x, a.y - b.y), `markers ${i} and ${j} overlap`).toBeGreaterThanOrEqual(a.width - 1);
      }
    const legend = page.locator('.region-map-legend');
    for (const words of ['摄像头（扇形为镜头朝向）', '待核实的发现', '重叠的标记已错开']) await legend.getByText(words).waitFor();
    await map.getByRole('button', { name: '摄像头：平地坝一组路口' }).click();
    await page.getByTestId('map-details').getByText('镜头朝西（270°）').waitFor();
    await page.context().close();
  }, 240_000);

  it('a button that cannot be used looks it and says why: the farm’s days, the evidence request', async () => {
    const farm = await register(
      CADRE,
      '平地坝村一组',
      '冉家李子园',
      { latitude: 28.992, longitude: 108.666, directionDegrees: 45 },
      'farm',
    );
    const household = await deps.db.selectFrom('people').select('household_id').where('name', '=', '冉鲜荣').executeTakeFirstOrThrow();
    const put = await apiAs(CADRE);
    const attached = await put(
      `/api/monitoring/cameras/${farm.camera.id}/farm-subject`,
      { householdId: household.household_id, kind: 'plot', label: '李子园' },
      'PUT',
    );
    expect(attached.status).toBe(200);
    const green = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#3a7a3a' } })
      .jpeg()
      .toBuffer();
    await push(farm, green, Date.now() - 26 * 3600_000);
    await push(farm, green, Date.now() - 3600_000);

    const page = await phone390(VILLAGER);
    await page.goto(`${baseUrl}/m/farm`);
    const later = page.getByRole('button', { name: /后一天/ });
    await later.waitFor();
    expect(await later.isDisabled()).toBe(true);
    const look = (button: typeof later) =>
      button.evaluate((el) => {
        const style = getComputedStyle(el);
        return { border: style.borderStyle, cursor: style.cursor, colour: style.color };
      });
    expect(await look(later)).toMatchObject({ border: 'dashed', cursor: 'not-allowed' });
    expect(await look(page.getByRole('button', { name: /前一天/ }))).toMatchObject({ border: 'solid', cursor: 'pointer' });
    expect(await page.getByTestId('lapse-why').textContent()).toContain('“后一天”不能点：这已是最新的画面。');
    await page.context().close();

    // The police liaison's request: the send button says what it still waits for.
    await register(DAXI_OFFICIAL, '大溪镇', '大溪集镇老街口', { latitude: 28.66, longitude: 108.62, directionDegrees: 0 });
    const liaison = await phone390(LIAISON);
    await liaison.goto(`${baseUrl}/m/evidence`);
    const why = liaison.getByTestId('submit-why');
    await why.waitFor();
    expect(await why.textContent()).toBe('“提交申请”暂不能点，还需：选择摄像头、填写正确的案件编号、填写调取事由（至少2个字）。');
    await liaison.getByRole('combobox').selectOption({ index: 1 });
    await liaison.getByRole('textbox').first().fill('A5002420300002026120099');
    expect(await why.textContent()).toBe('“提交申请”暂不能点，还需：填写调取事由（至少2个字）。');
    await liaison.locator('textarea').fill('盗窃案，需要当晚图像');
    await why.waitFor({ state: 'detached' });
    expect(await liaison.getByRole('button', { name: '提交申请' }).isDisabled()).toBe(false);

    // Written for a police officer: how to check a package, in words, and the county's key fingerprint.
    await liaison.getByRole('heading', { name: '如何核验证据包' }).waitFor();
    const published = (await (await fetch(`${baseUrl}/api/monitoring/evidence-key`)).json()) as { fingerprintGrouped: string };
    expect(await liaison.getByTestId('county-key-fingerprint').textContent()).toBe(published.fingerprintGrouped);
    expect(await liaison.locator('body').textContent()).not.toMatch(/npm run|evidence:verify|--fingerprint/);
    await liaison.context().close();
  }, 240_000);
});
