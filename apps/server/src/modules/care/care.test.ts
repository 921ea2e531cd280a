// Each test runs on its own copy of the seeded database (useTestApp): none leans on what another left.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { checkInactivity, checkSilentDevices, escalateAlarms, promoteDueFalls } from './care-alarms.service.ts';
import { flushNotedTimes } from './care-device-cache.ts';

const MINUTE = 60_000;

/** The app lives for the whole file; its per-process caches (devices, last-seen times) must not outlive a test's database. */
const freshCaches = (ctx: TestContext) => beforeEach(() => ctx.deps.caches?.clear());

describe.each(dialects)('care for elders on %s', (dialect) => {
  let tree: Tree;
  let doctor: Session;
  let doctorB: Session;
  let villager: Session;
  let doctorPhone: string;
  let doctorBPhone: string;
  let elderId: string;
  let quietId: string;
  const serial = { bracelet: 'BR-0001', button: 'SOS-0001', quiet: 'BR-0002' };

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      doctorPhone = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone;
      doctor = await login(ctx.app, doctorPhone, PASSWORD);
      doctorBPhone = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB })).phone;
      doctorB = await login(ctx.app, doctorBPhone, PASSWORD);
      const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      const keyId = await createApiKey(ctx.deps, {
        name: 'Heishui health centre gateway',
        kind: 'gateway',
        key: 'test-gateway-key',
        userId: gateway.id,
      });
      // This health centre's system also shows the alarms its readings raise: the county's system administrator granted it read access.
      const admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'systemAdmin', region: tree.county })).phone, PASSWORD);
      const granted = await admin.request({
        method: 'PUT',
        url: `/api/care/gateway-keys/${keyId}/scopes`,
        payload: { scopes: ['care.read'] },
      });
      expect(granted.json()).toMatchObject({ scopes: ['care.read'] });
      const gatewayB = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB });
      await createApiKey(ctx.deps, { name: 'Huatian gateway', kind: 'gateway', key: 'other-gateway-key', userId: gatewayB.id });
      villager = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone, PASSWORD);
      elderId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '冉奶奶' })).id;
      quietId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '白爷爷' })).id;
      for (const personId of [elderId, quietId]) {
        const saved = await doctor.post('/api/care/elders', {
          personId,
          livingSituation: '独居，子女在重庆务工',
          conditions: ['高血压'],
          contacts: [{ name: '冉小华', relation: '儿子', phone: '13900001111' }],
        });
        expect(saved.statusCode).toBe(200);
      }
      expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: serial.bracelet, kind: 'bracelet' })).statusCode).toBe(
        201,
      );
      expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: serial.button, kind: 'sosButton' })).statusCode).toBe(201);
      expect((await doctor.post(`/api/care/elders/${quietId}/devices`, { serial: serial.quiet, kind: 'bracelet' })).statusCode).toBe(201);
      expect((await doctor.post(`/api/care/elders/${quietId}/devices`, { serial: serial.quiet, kind: 'bracelet' })).json().error.code).toBe(
        'serial_taken',
      );
    },
    { FALL_OK_SECONDS: '60', INACTIVITY_HOURS: '24' },
  );
  freshCaches(ctx);

  const at = (offsetMs = 0) => new Date(ctx.clock.now + offsetMs).toISOString();
  const send = (readings: Record<string, unknown>[], key = 'test-gateway-key') =>
    ctx.app.inject({ method: 'POST', url: '/api/care/readings', headers: { authorization: `Bearer ${key}` }, payload: { readings } });
  const openAlarms = async (session: Session = doctor) =>
    (await session.get('/api/care/alarms?open=true')).json().items as { cause: string; repeats: number; id: string; state: string }[];
  const readingCount = async () =>
    Number(
      (
        await ctx.deps.db
          .selectFrom('care_readings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses unknown devices, wrong keys, other townships, future and absurd readings: nothing stored, nothing alarmed', async () => {
    expect((await send([{ device: serial.bracelet, kind: 'heartRate', value: 80, at: at() }], 'wrong-key')).statusCode).toBe(401);
    const before = await readingCount();
    const result = (
      await send([
        { device: 'NOPE-1', kind: 'heartRate', value: 80, at: at() },
        { device: serial.bracelet, kind: 'heartRate', value: 900, at: at() },
        { device: serial.bracelet, kind: 'sos', at: at(3_600_000) },
        { device: serial.bracelet, kind: 'bloodPressure', value: 150, at: at() },
      ])
    ).json();
    expect(result).toMatchObject({
      accepted: 0,
      rejected: [
        { index: 0, code: 'unknown_device' },
        { index: 1, code: 'implausible_value' },
        { index: 2, code: 'from_the_future' },
        { index: 3, code: 'missing_value' },
      ],
    });
    const elsewhere = (await send([{ device: serial.button, kind: 'sos', at: at() }], 'other-gateway-key')).json();
    expect(elsewhere.rejected).toEqual([{ index: 0, code: 'not_in_scope' }]);
    expect(await readingCount()).toBe(before);
    expect(await openAlarms()).toEqual([]);
    // Without a key or a session nobody is there to judge the batch for: 401 before the body.
    expect((await ctx.app.inject({ method: 'POST', url: '/api/care/readings', payload: { readings: [] } })).statusCode).toBe(401);
  });

  it('refuses a diastolic pressure at or above the systolic one, and part of a step, reading by reading', async () => {
    const before = await readingCount();
    const result = (
      await send([
        { device: serial.bracelet, kind: 'bloodPressure', value: 120, value2: 130, at: at() },
        { device: serial.bracelet, kind: 'bloodPressure', value: 120, value2: 120, at: at() },
        { device: serial.bracelet, kind: 'steps', value: 1.5, at: at() },
        { device: serial.bracelet, kind: 'bloodPressure', value: 120, value2: 119, at: at() },
        { device: serial.bracelet, kind: 'steps', value: 2, at: at() },
      ])
    ).json();
    expect(result).toMatchObject({
      accepted: 2,
      rejected: [
        { index: 0, code: 'implausible_value' },
        { index: 1, code: 'implausible_value' },
        { index: 2, code: 'implausible_value' },
      ],
    });
    expect(result.rejected).toHaveLength(3);
    expect(await readingCount()).toBe(before + 2);
  });

  it('refuses a value the kind does not measure: a second one beside a heart rate, any beside an SOS or a motion', async () => {
    const before = await readingCount();
    const result = (
      await send([
        { device: serial.bracelet, kind: 'heartRate', value: 80, value2: 5, at: at() },
        { device: serial.button, kind: 'sos', value: 1, at: at() },
        { device: serial.bracelet, kind: 'motion', value: 999_999, at: at() },
        { device: serial.bracelet, kind: 'motion', value2: 3, at: at() },
        { device: serial.bracelet, kind: 'heartRate', value: 80, at: at() },
      ])
    ).json();
    expect(result).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 0, code: 'unexpected_value' },
        { index: 1, code: 'unexpected_value' },
        { index: 2, code: 'unexpected_value' },
        { index: 3, code: 'unexpected_value' },
      ],
    });
    expect(await readingCount()).toBe(before + 1);
    expect(await openAlarms()).toEqual([]);
  });

  it('raises one SOS alarm and counts repeats, and stores a repeated reading once', async () => {
    const first = (await send([{ device: serial.button, id: 'sos-1', kind: 'sos', at: at() }])).json();
    expect(first.alarms).toEqual([expect.objectContaining({ cause: 'sos', severity: 'critical', state: 'raised' })]);
    const again = (await send([{ device: serial.button, id: 'sos-1', kind: 'sos', at: at() }])).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, alarms: [] });
    expect((await send([{ device: serial.button, id: 'sos-2', kind: 'sos', at: at(1000) }])).json().alarms).toEqual([
      expect.objectContaining({ cause: 'sos', repeats: 2 }),
    ]);
    const sos = (await openAlarms()).filter((a) => a.cause === 'sos');
    expect(sos).toHaveLength(1);
    expect(sos[0]?.repeats).toBe(2);
    // Another township's doctor sees nothing of it, a villager nothing at all.
    expect(await openAlarms(doctorB)).toEqual([]);
    expect((await villager.get('/api/care/alarms')).json().items).toEqual([]);
    expect((await villager.get(`/api/care/elders/${elderId}/readings?since=${at(-MINUTE)}`)).statusCode).toBe(404);
  });

  it('raises blood pressure at once, and a fast heart only after five minutes without a break', async () => {
    await send([{ device: serial.bracelet, kind: 'bloodPressure', value: 186, value2: 100, at: at() }]);
    expect((await openAlarms()).map((a) => a.cause)).toContain('systolicHigh');
    await send([{ device: serial.bracelet, kind: 'heartRate', value: 130, at: at(-10 * MINUTE) }]);
    await send([{ device: serial.bracelet, kind: 'heartRate', value: 80, at: at(-8 * MINUTE) }]);
    await send([{ device: serial.bracelet, kind: 'heartRate', value: 131, at: at(-4 * MINUTE) }]);
    expect((await openAlarms()).map((a) => a.cause)).not.toContain('heartHigh');
    await send([{ device: serial.bracelet, kind: 'heartRate', value: 133, at: at(2 * MINUTE) }]);
    expect((await openAlarms()).map((a) => a.cause)).toContain('heartHigh');
  });

  it("gives a fall a window for I'm OK: pressed, nothing goes out; not pressed, the alarm goes out after it", async () => {
    await send([{ device: serial.bracelet, id: 'fall-1', kind: 'fall', at: at() }]);
    expect((await openAlarms()).map((a) => a.cause)).not.toContain('fall');
    await send([{ device: serial.bracelet, id: 'ok-1', kind: 'okPress', at: at(20_000) }]);
    ctx.clock.advance(61_000);
    expect(await promoteDueFalls(ctx.deps)).toEqual([]);
    await send([{ device: serial.bracelet, id: 'fall-2', kind: 'fall', at: at() }]);
    ctx.clock.advance(30_000);
    expect(await promoteDueFalls(ctx.deps)).toEqual([]);
    ctx.clock.advance(31_000);
    expect((await promoteDueFalls(ctx.deps)).map((a) => a.cause)).toEqual(['fall']);
    // Two minutes on, the morning's session has not lapsed; a new one reads the same.
    expect((await openAlarms(await login(ctx.app, doctorPhone, PASSWORD))).map((a) => a.cause)).toContain('fall');
  });

  it('raises inactivity when the person does nothing for a day, even while the bracelet keeps sending heart rate', async () => {
    await send([{ device: serial.bracelet, kind: 'steps', value: 300, at: at() }]);
    await send([{ device: serial.quiet, kind: 'steps', value: 120, at: at() }]);
    ctx.clock.advance(25 * 3_600_000);
    await send([{ device: serial.quiet, kind: 'heartRate', value: 72, at: at(-MINUTE) }]);
    await send([{ device: serial.bracelet, kind: 'motion', at: at(-MINUTE) }]);
    const raised = await checkInactivity(ctx.deps);
    expect(raised.map((a) => a.elderPersonId)).toEqual([quietId]);
    expect(await checkInactivity(ctx.deps)).toEqual([]);
  });

  it("shows an elder's last activity at once and writes it within the flush, the later time winning", async () => {
    ctx.clock.advance(60 * MINUTE);
    const steps = at();
    await send([{ device: serial.bracelet, kind: 'steps', value: 300, at: steps }]);
    // An older activity arriving late does not move it back.
    await send([{ device: serial.bracelet, kind: 'motion', at: at(-10 * MINUTE) }]);
    // An hour of the clock ended the doctor's session: signed in again.
    const again = await login(ctx.app, doctorPhone, PASSWORD);
    const shown = (await again.get('/api/care/elders')).json().items.find((e: { personId: string }) => e.personId === elderId);
    expect(Date.parse(shown.lastActivityAt)).toBe(Date.parse(steps));
    // The bracelet's last-seen time likewise, before it is written.
    const devices = (await again.get(`/api/care/elders/${elderId}/devices`)).json().items;
    const bracelet = devices.find((d: { serial: string }) => d.serial === serial.bracelet);
    expect(Date.parse(bracelet.lastSeenAt)).toBe(Date.parse(steps));
    await flushNotedTimes(ctx.deps);
    const stored = await ctx.deps.db
      .selectFrom('care_elders')
      .select('last_activity_at')
      .where('person_id', '=', elderId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.last_activity_at)).toBe(Date.parse(steps));
    // Nothing is left to write.
    expect(await flushNotedTimes(ctx.deps)).toBe(0);
  });

  it('never shows an activity or a last-seen time later than now, from a bracelet whose clock runs ahead', async () => {
    const ahead = at(4 * MINUTE);
    expect((await send([{ device: serial.bracelet, kind: 'steps', value: 40, at: ahead }])).json()).toMatchObject({ accepted: 1 });
    const shown = (await doctor.get('/api/care/elders')).json().items.find((e: { personId: string }) => e.personId === elderId);
    expect(Date.parse(shown.lastActivityAt)).toBe(ctx.clock.now);
    const devices = (await doctor.get(`/api/care/elders/${elderId}/devices`)).json().items;
    expect(Date.parse(devices.find((d: { serial: string }) => d.serial === serial.bracelet).lastSeenAt)).toBe(ctx.clock.now);
    // The reading itself keeps the time the bracelet gave it.
    const stored = await ctx.deps.db.selectFrom('care_readings').select('at').where('kind', '=', 'steps').execute();
    expect(stored.map((r) => Number(r.at))).toContain(Date.parse(ahead));
  });

  it('takes an alarm on and closes it only with a note of what was done; reads are audited', async () => {
    await send([{ device: serial.button, id: 'sos-1', kind: 'sos', at: at() }]);
    await send([{ device: serial.bracelet, kind: 'bloodPressure', value: 186, value2: 100, at: at() }]);
    const alarm = (await openAlarms()).find((a) => a.cause === 'sos') as { id: string };
    expect((await doctor.post(`/api/care/alarms/${alarm.id}/resolve`, {})).json().error.code).toBe('alarm_note_required');
    expect((await doctorB.post(`/api/care/alarms/${alarm.id}/acknowledge`, {})).statusCode).toBe(404);
    const taken = (await doctor.post(`/api/care/alarms/${alarm.id}/acknowledge`, {})).json();
    expect(taken.state).toBe('acknowledged');
    // The same doctor's second tap (or a resend) reads as done: the alarm as it was taken on, audited once.
    const again = await doctor.post(`/api/care/alarms/${alarm.id}/acknowledge`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ state: 'acknowledged', acknowledgedAt: taken.acknowledgedAt });
    const acknowledged = await ctx.deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'care.alarm.acknowledge')
      .where('target_id', '=', alarm.id)
      .execute();
    expect(acknowledged).toHaveLength(1);
    // Someone else taking on an alarm already in hand is told it is not theirs to take.
    const colleague = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    expect((await colleague.post(`/api/care/alarms/${alarm.id}/acknowledge`, {})).statusCode).toBe(409);
    const resolved = (await doctor.post(`/api/care/alarms/${alarm.id}/resolve`, { note: '电话联系儿子，已上门查看，老人误按' })).json();
    expect(resolved).toMatchObject({ state: 'resolved', note: '电话联系儿子，已上门查看，老人误按' });
    const readings = (await doctor.get(`/api/care/elders/${elderId}/readings?since=${new Date(0).toISOString()}&kind=bloodPressure`)).json()
      .items;
    expect(readings).toEqual([expect.objectContaining({ kind: 'bloodPressure', value: 186, value2: 100 })]);
    const audited = await ctx.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['care.readings.read', 'care.alarms.read'])
      .execute();
    expect(new Set(audited.map((a) => a.action))).toEqual(new Set(['care.readings.read', 'care.alarms.read']));
  });

  it('pushes an SOS alarm to a connected browser of the township within a second, and not to another township', async () => {
    const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const listen = async (session: Session) => {
      const controller = new AbortController();
      const response = await fetch(`${url}/api/events`, { headers: { cookie: `cz_session=${session.cookie}` }, signal: controller.signal });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const next = async (timeoutMs: number) => {
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          while (!text.includes('event: alarm')) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
        } catch {
          // aborted: nothing came in time
        } finally {
          clearTimeout(timer);
        }
        return text;
      };
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { next, stop: () => controller.abort() };
    };
    const mine = await listen(doctor);
    const theirs = await listen(doctorB);
    const sent = performance.now();
    await send([{ device: serial.button, id: 'sos-live', kind: 'sos', at: at() }]);
    const received = await mine.next(1000);
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(received).toContain('event: alarm');
    expect(received).toContain('"cause":"sos"');
    expect(await theirs.next(300)).not.toContain('event: alarm');
    mine.stop();
    theirs.stop();
  });
});

describe.each(dialects)('escalation and silent devices on %s', (dialect) => {
  let tree: Tree;
  const ids: Record<'caretaker' | 'gridWorker' | 'cadre' | 'doctor', string> = { caretaker: '', gridWorker: '', cadre: '', doctor: '' };
  let elderId: string;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      ids.caretaker = (await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA })).id;
      ids.gridWorker = (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).id;
      ids.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).id;
      const doctorUser = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      ids.doctor = doctorUser.id;
      const doctor = await login(ctx.app, doctorUser.phone, PASSWORD);
      const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'escalation-gateway-key', userId: gateway.id });
      elderId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '田奶奶' })).id;
      await doctor.post('/api/care/elders', {
        personId: elderId,
        livingSituation: '独居',
        conditions: [],
        contacts: [{ name: '田小军', relation: '儿子', phone: '13911112222' }],
        caretakerUserId: ids.caretaker,
        doctorUserId: ids.doctor,
      });
      await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'ES-SOS-1', kind: 'sosButton' });
    },
    { ESCALATION_MINUTES: '5', DEVICE_OFFLINE_HOURS: '6' },
  );
  freshCaches(ctx);

  const told = async () =>
    ctx.deps.db
      .selectFrom('notifications')
      .select(['user_id', 'phone', 'channel'])
      .where('topic', '=', 'care.alarm')
      .orderBy('id')
      .execute();

  it('tells the family at once, then the caretaker, grid worker, village cadre and doctor while nobody takes the alarm on', async () => {
    const sos = await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer escalation-gateway-key' },
      payload: { readings: [{ device: 'ES-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });
    // A write-only gateway key learns nothing of the alarm its reading raised; the alarm goes out all the same.
    expect(sos.json()).toMatchObject({ accepted: 1, alarms: [] });
    expect(await escalateAlarms(ctx.deps)).toBe(1);
    expect(await told()).toEqual([{ user_id: null, phone: '13911112222', channel: 'sms' }]);
    expect(await escalateAlarms(ctx.deps)).toBe(0);
    const expected = [ids.caretaker, ids.gridWorker, ids.cadre, ids.doctor];
    for (const [step, userId] of expected.entries()) {
      ctx.clock.advance(5 * MINUTE + 1);
      expect(await escalateAlarms(ctx.deps)).toBe(1);
      expect((await told()).slice(1).map((n) => n.user_id)).toEqual(expected.slice(0, step + 1));
      expect(userId).toBeTruthy();
    }
    ctx.clock.advance(5 * MINUTE + 1);
    expect(await escalateAlarms(ctx.deps)).toBe(0);
  });

  it('tells every grid worker of the grid and every cadre of the village, not just the first of each', async () => {
    const secondGridWorker = (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).id;
    const secondCadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).id;
    await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer escalation-gateway-key' },
      payload: { readings: [{ device: 'ES-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });
    const toldAtStep = async () => {
      const before = (await told()).length;
      ctx.clock.advance(5 * MINUTE + 1);
      expect(await escalateAlarms(ctx.deps)).toBe(1);
      return (await told())
        .slice(before)
        .map((n) => n.user_id)
        .sort();
    };
    expect(await escalateAlarms(ctx.deps)).toBe(1); // the family
    expect(await toldAtStep()).toEqual([ids.caretaker]);
    expect(await toldAtStep()).toEqual([ids.gridWorker, secondGridWorker].sort());
    expect(await toldAtStep()).toEqual([ids.cadre, secondCadre].sort());
    expect(await toldAtStep()).toEqual([ids.doctor]);
  });

  it('goes no further once someone takes the alarm on', async () => {
    await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer escalation-gateway-key' },
      payload: { readings: [{ device: 'ES-SOS-1', kind: 'battery', value: 9, at: new Date(ctx.clock.now).toISOString() }] },
    });
    expect(await escalateAlarms(ctx.deps)).toBe(1);
    const alarm = await ctx.deps.db
      .selectFrom('care_alarms')
      .select(['id', 'version'])
      .where('cause', '=', 'lowBattery')
      .executeTakeFirstOrThrow();
    await ctx.deps.db
      .updateTable('care_alarms')
      .set({ state: 'acknowledged', version: alarm.version + 1 })
      .where('id', '=', alarm.id)
      .execute();
    ctx.clock.advance(6 * MINUTE);
    expect(await escalateAlarms(ctx.deps)).toBe(0);
  });

  it('raises device-offline for a device silent for hours, once', async () => {
    await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer escalation-gateway-key' },
      payload: { readings: [{ device: 'ES-SOS-1', kind: 'battery', value: 90, at: new Date(ctx.clock.now).toISOString() }] },
    });
    ctx.clock.advance(5 * 60 * MINUTE);
    expect(await checkSilentDevices(ctx.deps)).toEqual([]);
    ctx.clock.advance(2 * 60 * MINUTE);
    const raised = await checkSilentDevices(ctx.deps);
    expect(raised.map((a) => [a.cause, a.elderPersonId])).toEqual([['deviceOffline', elderId]]);
    expect(await checkSilentDevices(ctx.deps)).toEqual([]);
  });
});

describe.each(dialects)('family members of elders on %s', (dialect) => {
  let tree: Tree;
  let doctor: Session;
  let family: Session;
  let stranger: Session;
  let familyId: string;
  let motherId: string;
  let neighbourId: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    familyId = son.id;
    family = await login(ctx.app, son.phone, PASSWORD);
    stranger = await login(ctx.app, (await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA })).phone, PASSWORD);
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'family-gateway-key', userId: gateway.id });
    motherId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '石妈妈' })).id;
    neighbourId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '邻居' })).id;
    for (const personId of [motherId, neighbourId]) {
      await doctor.post('/api/care/elders', { personId, livingSituation: '独居', conditions: [], contacts: [] });
    }
    await doctor.post(`/api/care/elders/${motherId}/devices`, { serial: 'FM-SOS-1', kind: 'sosButton' });
    await doctor.post(`/api/care/elders/${neighbourId}/devices`, { serial: 'FM-SOS-2', kind: 'sosButton' });
  });
  freshCaches(ctx);

  const sos = (serial: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer family-gateway-key' },
      payload: { readings: [{ device: serial, kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });

  it("links a family member only with the elder's consent, and then shows them that elder and no one else", async () => {
    expect((await doctor.post(`/api/care/elders/${motherId}/family`, { userId: familyId, consent: false })).json().error.code).toBe(
      'consent_required',
    );
    expect((await family.get('/api/care/elders')).json().items).toEqual([]);
    expect((await family.post(`/api/care/elders/${motherId}/family`, { userId: familyId, consent: true })).statusCode).toBe(404);
    expect((await doctor.post(`/api/care/elders/${motherId}/family`, { userId: familyId, consent: true })).statusCode).toBe(204);
    expect((await family.get('/api/care/elders')).json().items.map((e: { name: string }) => e.name)).toEqual(['石妈妈']);

    await sos('FM-SOS-1');
    await sos('FM-SOS-2');
    const alarms = (await family.get('/api/care/alarms?open=true')).json().items;
    expect(alarms.map((a: { elderPersonId: string }) => a.elderPersonId)).toEqual([motherId]);
    const since = new Date(0).toISOString();
    expect((await family.get(`/api/care/elders/${motherId}/readings?since=${since}`)).json().items).toHaveLength(1);
    expect((await family.get(`/api/care/elders/${neighbourId}/readings?since=${since}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/care/alarms')).json().items).toEqual([]);
    expect((await stranger.get(`/api/care/elders/${motherId}/readings?since=${since}`)).statusCode).toBe(404);
    // The family may take their mother's alarm on, not the neighbour's.
    const neighbours = (await doctor.get('/api/care/alarms?open=true'))
      .json()
      .items.find((a: { elderPersonId: string }) => a.elderPersonId === neighbourId);
    expect((await family.post(`/api/care/alarms/${neighbours.id}/acknowledge`, {})).statusCode).toBe(404);
    expect((await family.post(`/api/care/alarms/${alarms[0].id}/acknowledge`, {})).json().state).toBe('acknowledged');
  });

  it("streams their elder's alarms to the family's browser, and only those", async () => {
    expect((await doctor.post(`/api/care/elders/${motherId}/family`, { userId: familyId, consent: true })).statusCode).toBe(204);
    const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/events`, { headers: { cookie: `cz_session=${family.cookie}` }, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sos('FM-SOS-2');
    await sos('FM-SOS-1');
    let text = '';
    const timer = setTimeout(() => controller.abort(), 2000);
    try {
      while (!text.includes(motherId)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted
    }
    clearTimeout(timer);
    controller.abort();
    expect(text).toContain(motherId);
    expect(text).not.toContain(neighbourId);
  });
});
