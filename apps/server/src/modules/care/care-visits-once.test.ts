// A check-in is one visit however often it is tapped or sent (issue 15): the same Idempotency-Key
// answers the first visit again and another body under it is 422; the id the phone minted for the
// form makes two outbox items (each with its own key) one visit, and is nobody else's to reuse.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';

describe.each(dialects)('a visit checked in once on %s', (dialect) => {
  const phones = { caretaker: '', caretakerB: '', doctor: '' };
  let elder: string;
  let otherElder: string;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    phones.doctor = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone;
    const caretaker = await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA, name: '石春兰' });
    phones.caretaker = caretaker.phone;
    phones.caretakerB = (await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA })).phone;
    elder = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '冉奶奶' })).id;
    otherElder = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '白爷爷' })).id;
    const doctor = await as('doctor');
    for (const personId of [elder, otherElder]) {
      const saved = await doctor.post('/api/care/elders', {
        personId,
        livingSituation: '独居',
        conditions: [],
        contacts: [],
        caretakerUserId: caretaker.id,
      });
      expect(saved.statusCode).toBe(200);
    }
  });

  const since = () => new Date(ctx.clock.now - 3_600_000).toISOString();
  const visitsOf = async (who: Session, personId: string) =>
    (await who.get(`/api/care/elders/${personId}/visits?since=${since()}`)).json().items as { id: string }[];

  it('the same Idempotency-Key twice is one visit and the same answer; another body under it is 422', async () => {
    const caretaker = await as('caretaker');
    const body = { kind: 'visit', note: '精神不错', tasks: ['chatted'] };
    const first = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'tap-1' });
    const again = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'tap-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const other = await caretaker.post(`/api/care/elders/${elder}/visits`, { ...body, note: '改了' }, { 'idempotency-key': 'tap-1' });
    expect(other.statusCode).toBe(422);
    expect((await visitsOf(caretaker, elder)).map((v) => v.id)).toEqual([first.json().id]);
  });

  it('twins sent at once under one key are one visit', async () => {
    const caretaker = await as('caretaker');
    const body = { kind: 'visit', note: '', tasks: [] };
    const answers = await Promise.all(
      [1, 2].map(() => caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'tap-twin' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    expect(answers[1]?.json().id).toBe(answers[0]?.json().id);
    expect(await visitsOf(caretaker, elder)).toHaveLength(1);
  });

  it("the form's id makes two outbox items (two keys) one visit, with that id; reused otherwise it is 409", async () => {
    const caretaker = await as('caretaker');
    const id = crypto.randomUUID();
    const body = { id, kind: 'visit', note: '量了血压', tasks: ['bloodPressureTaken'], systolic: 130, diastolic: 80 };
    const first = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'outbox-a' });
    const second = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'outbox-b' });
    expect(first.statusCode).toBe(201);
    expect(first.json().id).toBe(id);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    // The second key now holds that answer too: sent again with another body, it is 422.
    const reused = await caretaker.post(
      `/api/care/elders/${elder}/visits`,
      { ...body, id: crypto.randomUUID() },
      {
        'idempotency-key': 'outbox-b',
      },
    );
    expect(reused.statusCode).toBe(422);
    // The id with another body, for another elder, or by someone else: 409, and nothing recorded.
    const changed = await caretaker.post(`/api/care/elders/${elder}/visits`, { ...body, note: '改了' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('id_taken');
    expect((await caretaker.post(`/api/care/elders/${otherElder}/visits`, body)).statusCode).toBe(409);
    expect((await (await as('caretakerB')).post(`/api/care/elders/${elder}/visits`, body)).statusCode).toBe(409);
    expect((await visitsOf(caretaker, elder)).map((v) => v.id)).toEqual([id]);
    expect(await visitsOf(caretaker, otherElder)).toEqual([]);
    // Without a key, the same body under the id is still the same visit.
    const plain = await caretaker.post(`/api/care/elders/${elder}/visits`, body);
    expect(plain.statusCode).toBe(201);
    expect(plain.json().id).toBe(id);
  });
});
