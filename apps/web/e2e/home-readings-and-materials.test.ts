// What a tester found on a 390×844 phone in chromium, on the demo county:
// 1. the family member's home said "✓ 没有待处理的报警" of a mother whose latest blood pressure was
//    151/88: the home card now says the family page's words (⚠ 血压偏高，请留意) with the figure,
//    from the family page's own audited read, asked once per view (not on a re-render, and not again
//    when 查看详情 opens the family page at once);
// 2. an application waiting for acceptance (待受理) said "材料已提交，请等待受理" with two of three
//    materials still missing: it says how many are still missing and which, and once all are in only
//    材料已交齐，请等待受理;
// 3. the red "请先点上面的“选择文件”…" stayed after a file was chosen: it goes as soon as one is.
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PHONE_390, signedInPage } from './browser.ts';
import { sendDemoReadings, startDemoWorld, type WebWorld } from './web-world.ts';

const FAMILY = '13800000012'; // 石敦国
const VILLAGER = '13800000011'; // 冉鲜荣, 平地坝村
/** The demo family member's mother's bracelet and SOS button. */
const MOTHERS_BRACELET = 'HT-BR-0001';
const MOTHERS_SOS = 'HT-SOS-0001';

let world: WebWorld;
let baseUrl: string;

beforeAll(async () => {
  world = await startDemoWorld('home-readings-and-materials');
  ({ baseUrl } = world);
}, 240_000);
afterAll(() => world?.stop());
beforeEach(() => world.fresh());

const send = (readings: Record<string, unknown>[]) => sendDemoReadings(baseUrl, readings);

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function mother() {
  const { db } = world.deps;
  const device = await db.selectFrom('care_devices').select('elder_person_id').where('serial', '=', MOTHERS_SOS).executeTakeFirstOrThrow();
  return db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('id', '=', device.elder_person_id as string)
    .executeTakeFirstOrThrow();
}

/** The family member's audited reads of the mother's readings so far. */
async function readingReads(motherId: string): Promise<number> {
  const { db } = world.deps;
  const family = await db.selectFrom('users').select('id').where('phone', '=', FAMILY).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'care.readings.read')
    .where('actor_user_id', '=', family.id)
    .where('target_id', '=', motherId)
    .execute();
  return rows.length;
}

describe("the family member's home, of an elder whose latest blood pressure is high", { timeout: 120_000 }, () => {
  it('says ⚠ 血压偏高，请留意 with 151/88 (never ✓ 没有待处理的报警), reads the readings once per view, and is all clear again once back in range', async () => {
    const { id: motherId, name } = await mother();
    await send([
      { device: MOTHERS_BRACELET, id: `e2e-bp-high-${Date.now()}`, kind: 'bloodPressure', value: 151, value2: 88, at: ago(60_000) },
      { device: MOTHERS_BRACELET, id: `e2e-hr-ok-${Date.now()}`, kind: 'heartRate', value: 72, at: ago(60_000) },
    ]);
    const page = await signedInPage(world, FAMILY);
    expect(page.viewportSize()).toEqual(PHONE_390);
    await page.goto(`${baseUrl}/`);
    const card = page.locator('section.elder-state', { has: page.getByRole('heading', { name }) });
    await card.waitFor();

    const watch = card.getByTestId('home-readings-watch');
    await watch.waitFor();
    const lines = await watch.locator('p').allTextContents();
    expect(lines[0]).toBe('⚠ 血压偏高，请留意');
    expect(lines[1]).toMatch(/^血压 151\/88 · \S+ \d\d:\d\d$/);
    expect(lines).toHaveLength(2);
    // The words are drawn where the family member looks first, big enough to read.
    expect(
      await watch
        .locator('p')
        .first()
        .evaluate((n) => Number.parseFloat(getComputedStyle(n).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    await page.waitForLoadState('networkidle');
    expect(await card.getByText('没有待处理的报警').count()).toBe(0);
    expect(await card.getByTestId('home-all-well').count()).toBe(0);

    // One audited read for this view: re-drawing the home (长辈版 on and off) asks nothing again,
    // nor does opening the family page at once (it reads the same answer).
    expect(await readingReads(motherId)).toBe(1);
    const elderMode = page.getByRole('switch').first();
    await elderMode.click();
    await elderMode.click();
    await page.waitForTimeout(500);
    await page.waitForLoadState('networkidle');
    expect(await readingReads(motherId)).toBe(1);
    await card.getByRole('link', { name: '查看详情' }).click();
    await page.getByTestId('reading-bloodPressure').getByText('↑ 偏高').waitFor();
    expect(await page.getByTestId('elder-summary').first().textContent()).toBe('⚠ 血压偏高，请留意');
    expect(await readingReads(motherId)).toBe(1);

    // A newer reading in range: the next view of the home is all clear, in words.
    await send([{ device: MOTHERS_BRACELET, id: `e2e-bp-ok-${Date.now()}`, kind: 'bloodPressure', value: 126, value2: 80, at: ago(0) }]);
    await page.goto(`${baseUrl}/`);
    await card.getByTestId('home-all-well').waitFor();
    expect(await card.getByTestId('home-all-well').textContent()).toBe('✓ 没有待处理的报警');
    expect(await card.getByTestId('home-readings-watch').count()).toBe(0);
    expect(await readingReads(motherId)).toBe(2);
    await page.context().close();
  });
});

const photo = (background: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background } })
    .jpeg()
    .toBuffer();

/** The villager's 个体工商户设立登记, waiting for acceptance with no material sent, open on their phone. */
async function openWaitingApplication() {
  const { db } = world.deps;
  const application = await db
    .selectFrom('service_applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .select(['a.id', 'i.name'])
    .where('a.state', '=', 'submitted')
    .where('i.name', '=', '个体工商户设立登记')
    .executeTakeFirstOrThrow();
  const page = await signedInPage(world, VILLAGER);
  await page.goto(`${baseUrl}/m/services/applications/${application.id}`);
  await page.locator('.panel-header', { hasText: application.name }).getByText('待受理').waitFor();
  const materials = page.locator('.panel', { has: page.getByRole('heading', { name: '申请材料' }) });
  const pickers = materials.getByTestId('file-picker');
  await pickers.first().waitFor();
  const names = await pickers.locator('input[type=file]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('aria-label') ?? ''));
  return { page, materials, pickers, names, submit: materials.getByRole('button', { name: '提交材料' }) };
}

describe('materials of an application waiting for acceptance (待受理)', { timeout: 120_000 }, () => {
  it('says how many are still missing, and which, until all are in; then only 材料已交齐，请等待受理', async () => {
    const { page, materials, pickers, names, submit } = await openWaitingApplication();
    expect(names.length).toBeGreaterThanOrEqual(3);
    const [first, ...rest] = names as [string, ...string[]];

    await pickers
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photo('#ddd') });
    await submit.click();
    await materials.getByTestId('material-sent').filter({ hasText: first }).waitFor();
    await materials.getByTestId('materials-sent').waitFor();
    expect(await materials.getByTestId('materials-sent').textContent()).toBe('已提交1份材料');
    expect(await materials.getByTestId('materials-missing').textContent()).toBe(`还差${rest.length}份材料：${rest.join('、')}`);
    // Nothing says to wait for acceptance while materials are missing.
    expect(await page.getByText('请等待受理').count()).toBe(0);

    for (const [index, name] of rest.entries()) {
      await materials
        .getByLabel(name, { exact: true })
        .setInputFiles({ name: `${index}.jpg`, mimeType: 'image/jpeg', buffer: await photo('#abc') });
    }
    await submit.click();
    await materials.getByTestId('materials-complete').waitFor();
    expect(await materials.getByTestId('materials-complete').textContent()).toBe('材料已交齐，请等待受理');
    expect(await page.getByText('请等待受理').count()).toBe(1);
    expect(await page.getByText('材料已提交').count()).toBe(0);
    expect(await materials.getByTestId('materials-missing').count()).toBe(0);
    expect(await materials.getByTestId('material-sent').count()).toBe(names.length);
    await page.context().close();
  });

  it('takes the red "choose a file first" away as soon as a file is chosen', async () => {
    const { page, pickers, submit } = await openWaitingApplication();
    const hint = page.getByText('请先点上面的“选择文件”，选好要交的材料再提交');
    await submit.click();
    await hint.waitFor();
    await pickers
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photo('#ddd') });
    // Gone at once, before anything is sent.
    await hint.waitFor({ state: 'detached', timeout: 2_000 });
    expect(await page.getByTestId('materials-sent').count()).toBe(0);
    await page.context().close();
  });
});
