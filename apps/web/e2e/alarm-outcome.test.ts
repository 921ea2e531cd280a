// What a family member far away learns of an SOS, on a 390×844 phone in chromium on the demo county:
// the home card names the alarm in words with its time (not "1 条报警待处理"); the family page has the
// video call once; after the doctor closes it with a note, both pages say 已处置, who (村医 and name),
// when and the note, for a day, and then no more.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/modules/org/org.demo.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { signedInApi, signedInPage } from './browser.ts';
import { sendDemoReadings, startDemoWorld, type WebWorld } from './web-world.ts';

const DOCTOR = '13800000007';
const FAMILY = '13800000012';
/** The demo family member's mother's SOS button. */
const MOTHERS_SOS = 'HT-SOS-0001';
const MOTHERS_BRACELET = 'HT-BR-0001';
const NOTE = '已电话联系，老人误按';
/** A time on the phone pages, in words (lib/format-time.ts formatWhen): the alarm was raised just now. */
const TIME = '(今天|昨天) \\d\\d:\\d\\d';

let world: WebWorld;
let deps: Deps;

beforeAll(async () => {
  world = await startDemoWorld('alarm-outcome');
  deps = world.deps;
}, 240_000);

afterAll(() => world?.stop());
beforeEach(() => world.fresh());

const send = (readings: Record<string, unknown>[]) => sendDemoReadings(world.baseUrl, readings);

const sos = () => send([{ device: MOTHERS_SOS, id: `e2e-outcome-${Date.now()}`, kind: 'sos', at: new Date().toISOString() }]);

/**
 * The mother's latest readings back in range (the demo's week leaves her blood pressure often high,
 * and the home then says 血压偏高，请留意 in place of its ✓): this test watches the alarm alone.
 */
const readingsInRange = () => {
  const at = new Date(Date.now() - 60_000).toISOString();
  return send([
    { device: MOTHERS_BRACELET, id: `e2e-outcome-bp-${Date.now()}`, kind: 'bloodPressure', value: 126, value2: 80, at },
    { device: MOTHERS_BRACELET, id: `e2e-outcome-hr-${Date.now()}`, kind: 'heartRate', value: 72, at },
  ]);
};

describe('an SOS as the family sees it, and what became of it', { timeout: 180_000 }, () => {
  it('names it on the home card, shows one video button, then says who closed it, when and their note, for a day', async () => {
    const { baseUrl } = world;
    const device = await deps.db
      .selectFrom('care_devices')
      .select('elder_person_id')
      .where('serial', '=', MOTHERS_SOS)
      .executeTakeFirstOrThrow();
    const motherId = device.elder_person_id as string;
    const doctor = await deps.db.selectFrom('users').select(['id', 'display_name']).where('phone', '=', DOCTOR).executeTakeFirstOrThrow();
    const family = await deps.db.selectFrom('users').select('id').where('phone', '=', FAMILY).executeTakeFirstOrThrow();
    const elder = await deps.db
      .selectFrom('care_elders')
      .select('doctor_user_id')
      .where('person_id', '=', motherId)
      .executeTakeFirstOrThrow();
    const role = elder.doctor_user_id === doctor.id ? '村医' : '工作人员';

    await readingsInRange();
    const page = await signedInPage(world, FAMILY);
    await page.goto(`${baseUrl}/`);
    await page.getByText('没有待处理的报警').first().waitFor();
    await sos();

    // The home card says what it is and when, in words.
    await page.reload();
    const line = page.getByTestId('home-alarm');
    await line.waitFor();
    expect(await line.textContent()).toMatch(new RegExp(`^⚠ 一键呼救 · 待接警 · ${TIME}$`));
    expect(await page.getByText(/条报警待处理/).count()).toBe(0);

    // The family page: the red block carries the video call; the button is not repeated below.
    await page.goto(`${baseUrl}/m/family`);
    await page.getByTestId('alarm-banner').waitFor();
    await page.getByTestId('elder-visits').first().waitFor();
    expect(await page.getByText('视频通话 · 看看家里').count()).toBe(1);

    // The doctor closes it with a note; the family page changes live.
    const asDoctor = await signedInApi(baseUrl, DOCTOR, DEMO_PASSWORD);
    const open = (await (await asDoctor(`/api/care/alarms?open=true&elder=${motherId}`, undefined, 'GET')).json()) as {
      items: { id: string; cause: string }[];
    };
    const alarm = open.items.find((a) => a.cause === 'sos');
    expect(alarm).toBeDefined();
    expect((await asDoctor(`/api/care/alarms/${alarm?.id}/resolve`, { note: NOTE })).status).toBe(200);
    const outcome = page.getByTestId('elder-alarm-closed').first();
    await outcome.waitFor({ timeout: 5_000 });
    const said = new RegExp(`^✓ 一键呼救 · 已处置 · ${role} ${doctor.display_name} · ${TIME}处置情况：${NOTE}$`);
    expect(await outcome.textContent()).toMatch(said);
    expect(await page.getByTestId('alarm-banner').count()).toBe(0);
    expect(await page.getByText('视频通话 · 看看家里').count()).toBe(1);

    // Home says the same, beside "no open alarms".
    await page.goto(`${baseUrl}/`);
    const closed = page.getByTestId('home-alarm-closed');
    await closed.waitFor();
    expect(await closed.textContent()).toMatch(said);
    expect(await page.getByTestId('home-alarm').count()).toBe(0);
    expect(await page.getByText('没有待处理的报警').count()).toBeGreaterThan(0);
    // Every one of these reads of the family's alarms left its trace.
    const reads = await deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'care.alarms.read')
      .where('actor_user_id', '=', family.id)
      .execute();
    expect(reads.length).toBeGreaterThanOrEqual(3);

    // A day after it was closed, it is gone from the home card.
    await deps.db
      .updateTable('care_alarms')
      .set({ resolved_at: Date.now() - 24 * 3_600_000 - 60_000 })
      .where('id', '=', alarm?.id as string)
      .execute();
    await page.reload();
    await page.getByText('没有待处理的报警').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('home-alarm-closed').count()).toBe(0);
    await page.context().close();
  });
});
