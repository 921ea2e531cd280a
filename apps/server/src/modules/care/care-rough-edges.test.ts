// The rough edges a first user hit in elder care (issue 15, item 6): a live alarm's times as the
// alarm list gives them, the elder's address and phone for those who go to the door (and no one
// else), and the linked family member as the first person an alarm tells, in the app and by text.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { sendPendingTexts } from '../notifications/notifications.service.ts';
import { escalateAlarms } from './care-alarms.service.ts';

const MINUTE = 60_000;
const freshCaches = (ctx: TestContext) => beforeEach(() => ctx.deps.caches?.clear());

describe.each(dialects)('care rough edges on %s', (dialect) => {
  let tree: Tree;
  let doctor: Session;
  let caretaker: Session;
  let gridWorker: Session;
  let otherGridWorker: Session;
  let cadre: Session;
  let official: Session;
  let family: Session;
  let stranger: Session;
  const ids = { caretaker: '', family: '', familyPhone: '', elder: '' };

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      const doctorUser = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      doctor = await login(ctx.app, doctorUser.phone, PASSWORD);
      const caretakerUser = await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA });
      ids.caretaker = caretakerUser.id;
      caretaker = await login(ctx.app, caretakerUser.phone, PASSWORD);
      gridWorker = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone,
        PASSWORD,
      );
      otherGridWorker = await login(ctx.app, (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageB })).phone, PASSWORD);
      cadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
      official = await login(ctx.app, (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone, PASSWORD);
      const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA, phone: '13722223333' });
      ids.family = son.id;
      ids.familyPhone = son.phone;
      family = await login(ctx.app, son.phone, PASSWORD);
      stranger = await login(ctx.app, (await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA })).phone, PASSWORD);
      const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'edges-gateway-key', userId: gateway.id });

      const household = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '罗奶奶' });
      await ctx.deps.db
        .updateTable('households')
        .set({ address: '平地坝村一组17号', phone: '02375550117' })
        .where('id', '=', household.id)
        .execute();
      ids.elder = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '罗奶奶' })).id;
      const saved = await doctor.post('/api/care/elders', {
        personId: ids.elder,
        livingSituation: '独居',
        conditions: [],
        contacts: [{ name: '罗小兵', relation: '孙子', phone: '13644445555' }],
        caretakerUserId: ids.caretaker,
      });
      expect(saved.statusCode).toBe(200);
      await doctor.post(`/api/care/elders/${ids.elder}/devices`, { serial: 'RE-SOS-1', kind: 'sosButton' });
      expect((await doctor.post(`/api/care/elders/${ids.elder}/family`, { userId: ids.family, consent: true })).statusCode).toBe(204);
    },
    { ESCALATION_MINUTES: '5' },
  );
  freshCaches(ctx);

  const sos = () =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer edges-gateway-key' },
      payload: { readings: [{ device: 'RE-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });

  it("streams a live alarm with the times the list gives, so the duty screen shows the alarm's real time", async () => {
    const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/events`, { headers: { cookie: `cz_session=${doctor.cookie}` }, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await sos()).statusCode).toBe(200);
    let text = '';
    const timer = setTimeout(() => controller.abort(), 2000);
    try {
      while (!text.includes('event: alarm')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      while (!text.slice(text.indexOf('event: alarm')).includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted
    }
    clearTimeout(timer);
    controller.abort();
    const line = text
      .slice(text.indexOf('event: alarm'))
      .split('\n')
      .find((l) => l.startsWith('data: '));
    const live = JSON.parse((line as string).slice(6));
    const listed = (await doctor.get('/api/care/alarms?open=true')).json().items[0];
    expect(live).toEqual(listed);
    expect(Date.parse(live.lastAt)).toBe(ctx.clock.now);
    // Nothing of the server's own bookkeeping (the place, the chain's step, the version) goes out.
    expect(Object.keys(live)).not.toContain('placement');
    expect(Object.keys(live)).not.toContain('escalationStep');
  });

  it("takes from each device only what it can measure: a speaker's key brings no blood pressure or fall, an SOS button no glucose (attacker recheck)", async () => {
    const speaker = await doctor.post(`/api/care/elders/${ids.elder}/devices`, { serial: 'RE-SP-1', kind: 'speaker' });
    expect(speaker.statusCode).toBe(201);
    const at = new Date(ctx.clock.now).toISOString();
    const send = (key: string, readings: Record<string, unknown>[]) =>
      ctx.app.inject({ method: 'POST', url: '/api/care/readings', headers: { authorization: `Bearer ${key}` }, payload: { readings } });
    const fromSpeaker = await send(speaker.json().key, [
      { device: 'RE-SP-1', id: 'sp-bp', kind: 'bloodPressure', value: 250, value2: 150, at },
      { device: 'RE-SP-1', id: 'sp-fall', kind: 'fall', at },
      { device: 'RE-SP-1', id: 'sp-ok', kind: 'okPress', at },
    ]);
    expect(fromSpeaker.statusCode).toBe(200);
    expect(fromSpeaker.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 0, code: 'not_from_this_device' },
        { index: 1, code: 'not_from_this_device' },
      ],
    });
    const fromGateway = await send('edges-gateway-key', [{ device: 'RE-SOS-1', id: 'btn-glu', kind: 'glucose', value: 30, at }]);
    expect(fromGateway.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'not_from_this_device' }] });
    const stored = await ctx.deps.db.selectFrom('care_readings').select('kind').where('elder_person_id', '=', ids.elder).execute();
    expect(stored.map((r) => r.kind)).toEqual(['okPress']);
    const alarms = await ctx.deps.db.selectFrom('care_alarms').select('cause').where('elder_person_id', '=', ids.elder).execute();
    expect(alarms).toEqual([]);
  });

  it("shows the elder's address and phone to the doctor, caretaker, grid worker of the place and linked family, audited", async () => {
    for (const reader of [doctor, caretaker, gridWorker, family]) {
      const home = await reader.get(`/api/care/elders/${ids.elder}/home`);
      expect(home.statusCode).toBe(200);
      expect(home.json()).toEqual({ address: '平地坝村一组17号', phone: '02375550117' });
    }
    const reads = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['target_id', 'outcome'])
      .where('action', '=', 'care.elder.home.read')
      .execute();
    expect(reads).toHaveLength(4);
    expect(reads.every((r) => r.target_id === ids.elder && r.outcome === 'ok')).toBe(true);
  });

  it("refuses the elder's address and phone to those who see the elder's care but do not go to the door, and audits the refusal", async () => {
    for (const reader of [cadre, official]) {
      // They see the elder's care...
      expect((await reader.get('/api/care/elders')).json().items.map((e: { personId: string }) => e.personId)).toContain(ids.elder);
      // ...but not where the elder lives.
      const home = await reader.get(`/api/care/elders/${ids.elder}/home`);
      expect(home.statusCode).toBe(403);
      expect(JSON.stringify(home.json())).not.toContain('17号');
    }
    // Those who see nothing of the elder learn nothing, not even that the elder exists.
    expect((await stranger.get(`/api/care/elders/${ids.elder}/home`)).statusCode).toBe(404);
    expect((await otherGridWorker.get(`/api/care/elders/${ids.elder}/home`)).statusCode).toBe(404);
    const denied = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['target_id', 'outcome'])
      .where('action', '=', 'care.elder.home.read')
      .execute();
    expect(denied).toEqual([
      { target_id: ids.elder, outcome: 'denied' },
      { target_id: ids.elder, outcome: 'denied' },
    ]);
  });

  it('tells the linked family member first, in the app and by text, before the caretaker', async () => {
    expect((await sos()).statusCode).toBe(200);
    expect(await escalateAlarms(ctx.deps)).toBe(1);
    const first = await ctx.deps.db
      .selectFrom('notifications')
      .select(['user_id', 'phone', 'channel'])
      .where('topic', '=', 'care.alarm')
      .orderBy('id')
      .execute();
    expect(first).toEqual([
      { user_id: ids.family, phone: null, channel: 'inbox' },
      { user_id: null, phone: ids.familyPhone, channel: 'sms' },
      { user_id: null, phone: '13644445555', channel: 'sms' },
    ]);
    // The family member's inbox has it, and the text goes out through the SMS gateway.
    const inbox = (await family.get('/api/notifications')).json();
    expect(inbox.items[0].message).toContain('罗奶奶');
    await sendPendingTexts(ctx.deps.db, ctx.sms, () => ctx.clock.now);
    expect(ctx.sms.sent.map((s) => s.phone)).toEqual([ids.familyPhone, '13644445555']);
    expect(ctx.sms.sent[0]?.text).toContain('一键呼救');
    // The caretaker only at the next step.
    ctx.clock.advance(5 * MINUTE + 1);
    expect(await escalateAlarms(ctx.deps)).toBe(1);
    const next = await ctx.deps.db
      .selectFrom('notifications')
      .select(['user_id'])
      .where('topic', '=', 'care.alarm')
      .orderBy('id')
      .execute();
    expect(next.slice(3)).toEqual([{ user_id: ids.caretaker }]);
  });
});
