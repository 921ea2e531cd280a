// Each elder's own alarm rules, caretakers' rounds and the missed visits, reminders to home
// speakers with their delivery, device keys, and the hourly and daily roll-ups with retention.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { localDay, localDayStart } from '../../platform/time.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { checkInactivity } from './care-alarms.service.ts';
import { dispatchCommands, REMINDERS_PER_HOUR } from './care-commands.service.ts';
import { deleteOldReadings, rollUpReadings } from './care-rollups.service.ts';
import { flagMissedVisits } from './care-rounds.service.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(dialects)('care rules, rounds, reminders and roll-ups on %s', (dialect) => {
  let tree: Tree;
  const phones = { doctor: '', doctorB: '', caretaker: '', caretakerB: '', cadre: '', family: '', villager: '' };
  const users = { caretaker: '', cadre: '', family: '' };
  let elder: string;
  let other: string;
  let speakerKey: string;
  let braceletKey: string;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  // Each test runs on its own copy of the seeded database: none leans on what another left.
  const ctx = useTestApp(
    dialect,
    async () => {
      // Mornings, Shanghai time: the next 09:00 from now, so that the day has its rounds ahead of it.
      const today = localDay(ctx.clock.now);
      ctx.clock.now = Math.max(ctx.clock.now, localDayStart(today + 1) + 9 * HOUR);
      tree = await buildTree(ctx.deps);
      phones.doctor = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone;
      phones.doctorB = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB })).phone;
      const caretaker = await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA, name: '石春兰' });
      phones.caretaker = caretaker.phone;
      users.caretaker = caretaker.id;
      phones.caretakerB = (await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageB })).phone;
      const cadre = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
      phones.cadre = cadre.phone;
      users.cadre = cadre.id;
      const family = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
      phones.family = family.phone;
      users.family = family.id;
      phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone;
      const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
      await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'rounds-gateway-key', userId: gateway.id });
      elder = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '冉奶奶' })).id;
      other = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '白爷爷' })).id;
      const doctor = await as('doctor');
      for (const personId of [elder, other]) {
        const saved = await doctor.post('/api/care/elders', {
          personId,
          livingSituation: '独居',
          conditions: ['高血压'],
          contacts: [],
          caretakerUserId: caretaker.id,
        });
        expect(saved.statusCode).toBe(200);
      }
      braceletKey = (await doctor.post(`/api/care/elders/${elder}/devices`, { serial: 'R-BR-1', kind: 'bracelet' })).json().key;
      await doctor.post(`/api/care/elders/${other}/devices`, { serial: 'R-BR-2', kind: 'bracelet' });
      speakerKey = (await doctor.post(`/api/care/elders/${elder}/devices`, { serial: 'R-SP-1', kind: 'speaker' })).json().key;
      expect(speakerKey).toMatch(/^dev_/);
      expect((await doctor.post(`/api/care/elders/${elder}/family`, { userId: family.id, consent: true })).statusCode).toBe(204);
    },
    { READINGS_RETENTION_DAYS: '8', ROUNDS_DAY_END_HOUR: '20', COMMAND_TTL_HOURS: '2' },
  );
  // The app lives for the whole file; its per-process caches (devices, last-seen times) must not outlive a test's database.
  beforeEach(() => ctx.deps.caches?.clear());

  const at = (offsetMs = 0) => new Date(ctx.clock.now + offsetMs).toISOString();
  const send = (readings: Record<string, unknown>[], key = 'rounds-gateway-key') =>
    ctx.app.inject({ method: 'POST', url: '/api/care/readings', headers: { authorization: `Bearer ${key}` }, payload: { readings } });
  const openCauses = async (personId: string) =>
    ((await (await as('doctor')).get(`/api/care/alarms?open=true&elder=${personId}`)).json().items as { cause: string }[]).map(
      (a) => a.cause,
    );

  describe('alarm rules per elder', () => {
    it("applies the elder's own limit over the county default, for that elder only", async () => {
      const doctor = await as('doctor');
      const set = await doctor.request({
        method: 'PUT',
        url: `/api/care/elders/${elder}/rules`,
        payload: {
          rules: [
            { cause: 'systolicHigh', limit: 200 },
            { cause: 'inactivity', enabled: false },
          ],
        },
      });
      expect(set.statusCode).toBe(200);
      expect(set.json().items).toContainEqual({ cause: 'systolicHigh', limit: 200, forMinutes: 0, enabled: true, own: true });
      expect(set.json().items).toContainEqual({ cause: 'systolicLow', limit: 90, forMinutes: 0, enabled: true, own: false });
      await send([
        { device: 'R-BR-1', kind: 'bloodPressure', value: 186, value2: 95, at: at() },
        { device: 'R-BR-2', kind: 'bloodPressure', value: 186, value2: 95, at: at() },
      ]);
      expect(await openCauses(elder)).not.toContain('systolicHigh');
      expect(await openCauses(other)).toContain('systolicHigh');
      await send([{ device: 'R-BR-1', kind: 'bloodPressure', value: 205, value2: 100, at: at(MINUTE) }]);
      expect(await openCauses(elder)).toContain('systolicHigh');
    });

    it('refuses limits out of range, unknown causes, carers without the right and other townships', async () => {
      const put = (session: Session, rules: unknown[]) =>
        session.request({ method: 'PUT', url: `/api/care/elders/${elder}/rules`, payload: { rules } });
      const doctor = await as('doctor');
      expect((await put(doctor, [{ cause: 'systolicHigh', limit: 200 }])).statusCode).toBe(200);
      const tooHigh = await put(doctor, [{ cause: 'systolicHigh', limit: 400 }]);
      expect(tooHigh.statusCode).toBe(400);
      expect(tooHigh.json().error.code).toBe('rule_limit_out_of_range');
      expect((await put(doctor, [{ cause: 'fall', enabled: false }])).statusCode).toBe(400);
      expect((await put(await as('caretaker'), [{ cause: 'systolicHigh', limit: 190 }])).statusCode).toBe(403);
      expect((await put(await as('doctorB'), [{ cause: 'systolicHigh', limit: 190 }])).statusCode).toBe(404);
      expect((await (await as('doctor')).get(`/api/care/elders/${elder}/rules`)).json().items).toContainEqual(
        expect.objectContaining({ cause: 'systolicHigh', limit: 200, own: true }),
      );
    });

    it('keeps an elder whose inactivity rule is off quiet, and uses shorter hours where set', async () => {
      const doctor = await as('doctor');
      await doctor.request({
        method: 'PUT',
        url: `/api/care/elders/${elder}/rules`,
        payload: { rules: [{ cause: 'inactivity', enabled: false }] },
      });
      await doctor.request({
        method: 'PUT',
        url: `/api/care/elders/${other}/rules`,
        payload: { rules: [{ cause: 'inactivity', limit: 4 }] },
      });
      await send([
        { device: 'R-BR-1', kind: 'steps', value: 40, at: at() },
        { device: 'R-BR-2', kind: 'steps', value: 40, at: at() },
      ]);
      ctx.clock.advance(5 * HOUR);
      expect((await checkInactivity(ctx.deps)).map((a) => a.elderPersonId)).toEqual([other]);
      ctx.clock.advance(24 * HOUR);
      expect(await checkInactivity(ctx.deps)).toEqual([]);
    });
  });

  describe('rounds', () => {
    it("lists the caretaker's visits owed today, checks one in once despite a retry, and records the blood pressure", async () => {
      // A fresh morning.
      ctx.clock.now = localDayStart(localDay(ctx.clock.now) + 1) + 9 * HOUR;
      const caretaker = await as('caretaker');
      const plan = (await caretaker.get('/api/care/rounds')).json().items as {
        elder: { personId: string };
        due: { kind: string; done: boolean }[];
      }[];
      expect(plan.map((p) => p.elder.personId).sort()).toEqual([elder, other].sort());
      expect(plan.find((p) => p.elder.personId === elder)?.due).toEqual([
        { kind: 'visit', done: false, lastAt: null },
        { kind: 'careRound', done: false, lastAt: null },
      ]);
      const body = { kind: 'visit', note: '精神不错', tasks: ['bloodPressureTaken'], systolic: 142, diastolic: 86 };
      const first = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'visit-1' });
      expect(first.statusCode).toBe(201);
      const again = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'visit-1' });
      expect(again.json().id).toBe(first.json().id);
      expect(
        (await caretaker.post(`/api/care/elders/${elder}/visits`, { ...body, note: '改了' }, { 'idempotency-key': 'visit-1' })).statusCode,
      ).toBe(422);
      const visits = (await caretaker.get(`/api/care/elders/${elder}/visits?since=${at(-HOUR)}`)).json().items;
      expect(visits).toEqual([expect.objectContaining({ kind: 'visit', byName: '石春兰', systolic: 142, tasks: ['bloodPressureTaken'] })]);
      const readings = (await caretaker.get(`/api/care/elders/${elder}/readings?since=${at(-HOUR)}&kind=bloodPressure`)).json().items;
      expect(readings).toContainEqual(expect.objectContaining({ value: 142, value2: 86 }));
      const after = (await caretaker.get('/api/care/rounds')).json().items as {
        elder: { personId: string };
        due: { kind: string; done: boolean }[];
      }[];
      expect(after.find((p) => p.elder.personId === elder)?.due.find((d) => d.kind === 'visit')?.done).toBe(true);
    });

    it('refuses a visit’s blood pressure with the diastolic at or above the systolic, naming the field', async () => {
      const caretaker = await as('caretaker');
      const visit = (systolic: number, diastolic: number) =>
        caretaker.post(`/api/care/elders/${elder}/visits`, { kind: 'visit', note: '', tasks: [], systolic, diastolic });
      for (const [systolic, diastolic] of [
        [120, 130],
        [120, 120],
      ] as const) {
        const refused = await visit(systolic, diastolic);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'diastolic' } });
        expect(refused.body).not.toContain(String(diastolic));
      }
      expect((await caretaker.get(`/api/care/elders/${elder}/visits?since=${at(-HOUR)}`)).json().items).toEqual([]);
      expect((await visit(120, 80)).statusCode).toBe(201);
    });

    it('refuses visits by the wrong people: a doctor visit by a caretaker, another village, a villager, the future', async () => {
      const caretaker = await as('caretaker');
      expect((await caretaker.post(`/api/care/elders/${elder}/visits`, { kind: 'doctorVisit', note: '', tasks: [] })).statusCode).toBe(403);
      expect(
        (await (await as('caretakerB')).post(`/api/care/elders/${elder}/visits`, { kind: 'visit', note: '', tasks: [] })).statusCode,
      ).toBe(404);
      expect(
        (await (await as('villager')).post(`/api/care/elders/${elder}/visits`, { kind: 'visit', note: '', tasks: [] })).statusCode,
      ).toBe(404);
      const future = await caretaker.post(`/api/care/elders/${elder}/visits`, { kind: 'visit', note: '', tasks: [], at: at(HOUR) });
      expect(future.json().error.code).toBe('visit_in_future');
      const doctorVisit = await (await as('doctor')).post(`/api/care/elders/${elder}/visits`, {
        kind: 'doctorVisit',
        note: '上门随访，调整降压药',
        tasks: ['medicineAdjusted'],
      });
      expect(doctorVisit.statusCode).toBe(201);
    });

    it('flags the visits missed by the end of the day to the village, once, and tells the cadre', async () => {
      const visit = { kind: 'visit', note: '精神不错', tasks: [] };
      expect((await (await as('caretaker')).post(`/api/care/elders/${elder}/visits`, visit)).statusCode).toBe(201);
      expect(await flagMissedVisits(ctx.deps)).toBe(0);
      ctx.clock.advance(11 * HOUR + 5 * MINUTE);
      expect(await flagMissedVisits(ctx.deps)).toBe(3);
      expect(await flagMissedVisits(ctx.deps)).toBe(0);
      const cadre = await as('cadre');
      const missed = (await cadre.get(`/api/care/missed-visits?since=2000-01-01`)).json().items as {
        elderPersonId: string;
        kind: string;
      }[];
      expect(missed.map((m) => `${m.elderPersonId === elder ? 'elder' : 'other'}:${m.kind}`).sort()).toEqual([
        'elder:careRound',
        'other:careRound',
        'other:visit',
      ]);
      expect((await (await as('doctorB')).get('/api/care/missed-visits?since=2000-01-01')).json().items).toEqual([]);
      const told = await ctx.deps.db.selectFrom('notifications').select('user_id').where('topic', '=', 'care.missedVisit').execute();
      expect(told.filter((n) => n.user_id === users.cadre)).toHaveLength(3);

      // The care round made late that evening is no longer listed as missed; the other elder's still are.
      const late = { kind: 'careRound', note: '晚上补做了饭', tasks: ['cooked'] };
      expect((await (await as('caretaker')).post(`/api/care/elders/${elder}/visits`, late)).statusCode).toBe(201);
      const after = (await cadre.get(`/api/care/missed-visits?since=2000-01-01`)).json().items as { elderPersonId: string; kind: string }[];
      expect(after.map((m) => `${m.elderPersonId === elder ? 'elder' : 'other'}:${m.kind}`).sort()).toEqual([
        'other:careRound',
        'other:visit',
      ]);
    });

    it('refuses a missed-visits day that is not on the calendar, without repeating it', async () => {
      const cadre = await as('cadre');
      for (const since of ['0000-00-00', '2026-02-31', '2026-13-01', '2025-02-29']) {
        const refused = await cadre.get(`/api/care/missed-visits?since=${since}`);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'querystring.since' }] });
        expect(refused.body).not.toContain(since);
      }
      for (const since of ['2024-02-29', '2026-01-31']) {
        expect((await cadre.get(`/api/care/missed-visits?since=${since}`)).statusCode).toBe(200);
      }
    });

    it('lets the family see the visits, and a care round done counts for three days', async () => {
      expect(
        (await (await as('caretaker')).post(`/api/care/elders/${elder}/visits`, { kind: 'visit', note: '', tasks: [] })).statusCode,
      ).toBe(201);
      const doctorVisit = { kind: 'doctorVisit', note: '上门随访', tasks: [] };
      expect((await (await as('doctor')).post(`/api/care/elders/${elder}/visits`, doctorVisit)).statusCode).toBe(201);
      const family = await as('family');
      expect((await family.get(`/api/care/elders/${elder}/visits?since=2000-01-01T00:00:00Z`)).json().items.length).toBeGreaterThanOrEqual(
        2,
      );
      expect((await family.get(`/api/care/elders/${other}/visits?since=2000-01-01T00:00:00Z`)).statusCode).toBe(404);
      await (await as('caretaker')).post(`/api/care/elders/${elder}/visits`, {
        kind: 'careRound',
        note: '做了晚饭',
        tasks: ['mealCooked'],
      });
      ctx.clock.now = localDayStart(localDay(ctx.clock.now) + 1) + 9 * HOUR;
      const plan = (await (await as('caretaker')).get('/api/care/rounds')).json().items as {
        elder: { personId: string };
        due: { kind: string }[];
      }[];
      expect(plan.find((p) => p.elder.personId === elder)?.due.map((d) => d.kind)).toEqual(['visit']);
    });
  });

  describe('reminders to home speakers', () => {
    it('queues a command for each speaker, delivers it when the speaker polls and acknowledges, and counts it', async () => {
      const cadre = await as('cadre');
      const body = { text: '天气转凉，请添加衣物', elderPersonIds: [elder, other] };
      const sent = await cadre.post('/api/care/reminders', body, { 'idempotency-key': 'remind-1' });
      expect(sent.statusCode).toBe(201);
      expect(sent.json()).toMatchObject({ commands: 1, withoutSpeaker: [other] });
      expect((await cadre.post('/api/care/reminders', body, { 'idempotency-key': 'remind-1' })).json().id).toBe(sent.json().id);
      const poll = (key: string) =>
        ctx.app.inject({ method: 'GET', url: '/api/care/device/commands', headers: { authorization: `Bearer ${key}` } });
      expect((await poll('dev_wrong')).statusCode).toBe(401);
      expect((await poll(braceletKey)).json().items).toEqual([]);
      const commands = (await poll(speakerKey)).json().items as { id: string; text: string }[];
      expect(commands).toEqual([expect.objectContaining({ text: '天气转凉，请添加衣物' })]);
      const ack = (key: string) =>
        ctx.app.inject({
          method: 'POST',
          url: `/api/care/device/commands/${commands[0]?.id}/ack`,
          headers: { authorization: `Bearer ${key}` },
          payload: { outcome: 'delivered' },
        });
      expect((await ack(braceletKey)).statusCode).toBe(404);
      expect((await ack(speakerKey)).json().state).toBe('delivered');
      expect((await ack(speakerKey)).json().state).toBe('delivered');
      expect((await poll(speakerKey)).json().items).toEqual([]);
      const listed = (await cadre.get('/api/care/reminders')).json().items;
      expect(listed[0]).toMatchObject({ id: sent.json().id, counts: { delivered: 1, queued: 0, sent: 0 } });
      const delivery = (await cadre.get(`/api/care/reminders/${sent.json().id}`)).json().items;
      expect(delivery).toEqual([expect.objectContaining({ serial: 'R-SP-1', state: 'delivered' })]);
    });

    it('lets family remind their own elder only, refuses elders without a speaker, and expires what nobody fetched', async () => {
      const family = await as('family');
      expect((await family.post('/api/care/reminders', { text: '妈，记得吃药', elderPersonIds: [other] })).statusCode).toBe(404);
      expect((await (await as('cadre')).post('/api/care/reminders', { text: '测试', elderPersonIds: [other] })).json().error.code).toBe(
        'no_speaker',
      );
      const mine = await family.post('/api/care/reminders', { text: '妈，记得吃药', elderPersonIds: [elder] });
      expect(mine.statusCode).toBe(201);
      expect((await family.get('/api/care/reminders')).json().items.map((r: { id: string }) => r.id)).toEqual([mine.json().id]);
      // Between the family and their elder: the village, which lists the reminders of its care, sees neither it nor its delivery.
      const cadre = await as('cadre');
      expect((await cadre.get('/api/care/reminders')).json().items.map((r: { id: string }) => r.id)).not.toContain(mine.json().id);
      expect((await cadre.get(`/api/care/reminders/${mine.json().id}`)).statusCode).toBe(404);
      ctx.clock.advance(2 * HOUR + MINUTE);
      await dispatchCommands(ctx.deps, undefined);
      expect((await (await as('family')).get(`/api/care/reminders/${mine.json().id}`)).json().items[0].state).toBe('expired');
    });

    it("ends the family's unplayed reminders, and their sight of them, when the family access is withdrawn (attacker)", async () => {
      const family = await as('family');
      const sent = await family.post('/api/care/reminders', { text: '妈，记得吃降压药', elderPersonIds: [elder] });
      expect(sent.statusCode).toBe(201);
      const cadre = await as('cadre');
      expect((await cadre.post(`/api/privacy/people/${elder}/consents`, { purpose: 'familyAccess', granted: false })).statusCode).toBe(201);
      const played = await ctx.app.inject({
        method: 'GET',
        url: '/api/care/device/commands',
        headers: { authorization: `Bearer ${speakerKey}` },
      });
      expect(played.json().items.map((c: { text: string }) => c.text)).not.toContain('妈，记得吃降压药');
      expect((await family.get('/api/care/reminders')).json().items).toEqual([]);
      expect((await family.get(`/api/care/reminders/${sent.json().id}`)).statusCode).toBe(404);
    });

    it("lists the reminders sent to an elder's speaker, the family's and the village's, in the elder's data export (attacker)", async () => {
      expect((await (await as('family')).post('/api/care/reminders', { text: '妈，记得吃药', elderPersonIds: [elder] })).statusCode).toBe(
        201,
      );
      const cadre = await as('cadre');
      expect((await cadre.post('/api/care/reminders', { text: '天气转凉，请添加衣物', elderPersonIds: [elder] })).statusCode).toBe(201);
      // The township's official answers a person's request for their data (privacy.handle).
      const official = await login(
        ctx.app,
        (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone,
        PASSWORD,
      );
      const exported = await official.get(`/api/privacy/people/${elder}/export`);
      expect(exported.statusCode).toBe(200);
      expect(exported.json().modules.care.reminders).toEqual([
        expect.objectContaining({ text: '妈，记得吃药', from: 'family', state: 'queued' }),
        expect.objectContaining({ text: '天气转凉，请添加衣物', from: 'staff', state: 'queued' }),
      ]);
    });

    it('refuses a reminder of only spaces, and more than 30 an hour from one sender', async () => {
      const cadre = await as('cadre');
      const blank = await cadre.post('/api/care/reminders', { text: ' \u200b\u3000 ', elderPersonIds: [elder] });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error.code).toBe('text_blank');
      for (let i = 0; i < REMINDERS_PER_HOUR; i++)
        expect((await cadre.post('/api/care/reminders', { text: `天冷加衣 ${i}`, elderPersonIds: [elder] })).statusCode).toBe(201);
      const flood = await cadre.post('/api/care/reminders', { text: '再一条', elderPersonIds: [elder] });
      expect(flood.statusCode).toBe(429);
      expect(flood.json().error.code).toBe('reminders_too_many');
      ctx.clock.advance(HOUR + MINUTE);
      // Signed in again: an hour idle ends the session.
      expect((await (await as('cadre')).post('/api/care/reminders', { text: '再一条', elderPersonIds: [elder] })).statusCode).toBe(201);
    });
  });

  describe('device keys', () => {
    it("takes a bracelet's readings with its own key, for itself only", async () => {
      const result = (
        await send(
          [
            { device: 'R-BR-1', kind: 'heartRate', value: 70, at: at() },
            { device: 'R-BR-2', kind: 'heartRate', value: 70, at: at() },
          ],
          braceletKey,
        )
      ).json();
      // Another registered serial is answered as an unknown one: the key is no oracle of the county's serials.
      expect(result).toMatchObject({ accepted: 1, rejected: [{ index: 1, code: 'unknown_device' }] });
      const madeUp = (await send([{ device: 'NO-SUCH-9999', kind: 'heartRate', value: 70, at: at() }], braceletKey)).json();
      expect(madeUp.rejected).toEqual([{ index: 0, code: 'unknown_device' }]);
      expect((await send([{ device: 'R-BR-1', kind: 'heartRate', value: 70, at: at() }], speakerKey.slice(0, -2))).statusCode).toBe(401);
    });
  });

  describe('roll-ups and retention', () => {
    it('rolls readings up per hour and per day, each once, late ones included, and keeps them after the raw readings go', async () => {
      ctx.clock.now = Math.floor(ctx.clock.now / HOUR) * HOUR + HOUR + 10 * MINUTE;
      const hourStart = Math.floor(ctx.clock.now / HOUR) * HOUR;
      await send([70, 90, 110].map((value, i) => ({ device: 'R-BR-2', kind: 'heartRate', value, at: at(i * MINUTE) })));
      ctx.clock.advance(2 * MINUTE);
      await rollUpReadings(ctx.deps);
      expect(await rollUpReadings(ctx.deps)).toBe(0);
      const trends = async (period: string, since: number) =>
        (
          await (
            await as('doctor')
          ).get(`/api/care/elders/${other}/trends?period=${period}&since=${new Date(since).toISOString()}&kind=heartRate`)
        ).json().items as { start: string; count: number; avg: number; min: number; max: number }[];
      expect(await trends('hour', hourStart)).toEqual([
        expect.objectContaining({ start: expect.any(String), count: 3, avg: 90, min: 70, max: 110 }),
      ]);
      // A late reading from the same hour adds to it.
      await send([{ device: 'R-BR-2', kind: 'heartRate', value: 130, id: 'late-1', at: at(-MINUTE) }]);
      ctx.clock.advance(2 * MINUTE);
      await rollUpReadings(ctx.deps);
      expect((await trends('hour', hourStart))[0]).toMatchObject({ count: 4, avg: 100, max: 130 });
      const day = await trends('day', localDayStart(localDay(ctx.clock.now)));
      expect(day[0]).toMatchObject({ count: expect.any(Number), max: 130 });
      expect((await (await as('doctorB')).get(`/api/care/elders/${other}/trends?period=day&since=${at(-HOUR)}`)).statusCode).toBe(404);

      ctx.clock.advance(9 * 24 * HOUR);
      await rollUpReadings(ctx.deps);
      expect(await deleteOldReadings(ctx.deps)).toBeGreaterThan(0);
      const raw = await ctx.deps.db.selectFrom('care_readings').select('id').where('elder_person_id', '=', other).execute();
      expect(raw).toEqual([]);
      expect((await trends('hour', hourStart))[0]).toMatchObject({ count: 4, avg: 100 });
      const audited = await ctx.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'care.trends.read').execute();
      expect(audited.length).toBeGreaterThan(0);
    });
  });
});
