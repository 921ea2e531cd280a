// One trip to an elder's home closes what it did on the day's list (issue 15): a 日常探访 in which
// the caretaker cooked or cleaned is that day's 照料 too, and a 照料 is that day's 日常探访. Each is
// recorded once, whatever the retries, and the audit says which check-in it came with.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { localDay, localDayStart } from '../../platform/time.ts';
import { flagMissedVisits } from './care-rounds.service.ts';

const HOUR = 3_600_000;

type Due = { kind: string; done: boolean };

describe.each(dialects)('a visit that did the care round on %s', (dialect) => {
  const phones = { caretaker: '', doctor: '' };
  let elder: string;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(
    dialect,
    async () => {
      // A fresh morning, 09:00 Shanghai time: the day's rounds are ahead.
      ctx.clock.now = localDayStart(localDay(ctx.clock.now) + 1) + 9 * HOUR;
      const tree = await buildTree(ctx.deps);
      phones.doctor = (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone;
      const caretaker = await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageA, name: '石春兰' });
      phones.caretaker = caretaker.phone;
      elder = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '冉奶奶' })).id;
      const saved = await (await as('doctor')).post('/api/care/elders', {
        personId: elder,
        livingSituation: '独居',
        conditions: [],
        contacts: [],
        caretakerUserId: caretaker.id,
      });
      expect(saved.statusCode).toBe(200);
    },
    { ROUNDS_DAY_END_HOUR: '20' },
  );

  const dueToday = async (who: Session): Promise<Due[]> => {
    const items = (await who.get('/api/care/rounds')).json().items as { elder: { personId: string }; due: Due[] }[];
    return (items.find((item) => item.elder.personId === elder)?.due ?? []).map(({ kind, done }) => ({ kind, done }));
  };
  const visits = async (who: Session) =>
    (
      (await who.get(`/api/care/elders/${elder}/visits?since=${new Date(ctx.clock.now - 12 * HOUR).toISOString()}`)).json().items as {
        id: string;
        kind: string;
        tasks: string[];
        byName: string;
      }[]
    ).sort((a, b) => a.kind.localeCompare(b.kind));
  const audited = (action: string) =>
    ctx.deps.db.selectFrom('audit_log').select(['details', 'target_id']).where('action', '=', action).execute();

  it('a 日常探访 with a meal cooked closes the day’s 照料 too, once however often it is sent', async () => {
    const caretaker = await as('caretaker');
    expect(await dueToday(caretaker)).toEqual([
      { kind: 'visit', done: false },
      { kind: 'careRound', done: false },
    ]);
    const body = { id: crypto.randomUUID(), kind: 'visit', note: '做了午饭', tasks: ['chatted', 'mealCooked'] };
    const first = await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'round-1' });
    expect(first.statusCode).toBe(201);
    // Sent again under the same key, and again as a second outbox item of the same form.
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'round-1' })).json()).toEqual(first.json());
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, body, { 'idempotency-key': 'round-2' })).json()).toEqual(first.json());
    expect(await dueToday(caretaker)).toEqual([
      { kind: 'visit', done: true },
      { kind: 'careRound', done: true },
    ]);
    const recorded = await visits(caretaker);
    expect(recorded).toEqual([
      expect.objectContaining({ kind: 'careRound', tasks: ['mealCooked'], byName: '石春兰' }),
      expect.objectContaining({ id: body.id, kind: 'visit', tasks: ['chatted', 'mealCooked'], byName: '石春兰' }),
    ]);
    // The care round's own audit entry names the check-in it came with.
    const careAudit = await audited('care.visit.careRound');
    expect(careAudit).toHaveLength(1);
    expect(careAudit[0]?.target_id).toBe(elder);
    expect(JSON.parse(careAudit[0]?.details ?? '{}')).toEqual({ visitId: recorded[0]?.id, doneWithVisitId: body.id });
    expect(await audited('care.visit.visit')).toHaveLength(1);
    // In the evening nothing of this elder's day is flagged as missed.
    ctx.clock.advance(11 * HOUR + 5 * 60_000);
    expect(await flagMissedVisits(ctx.deps)).toBe(0);
  });

  it('a 照料 closes the day’s 日常探访 too', async () => {
    const caretaker = await as('caretaker');
    const body = { kind: 'careRound', note: '打扫了屋子', tasks: ['houseCleaned', 'chatted'] };
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, body)).statusCode).toBe(201);
    expect(await dueToday(caretaker)).toEqual([
      { kind: 'visit', done: true },
      { kind: 'careRound', done: true },
    ]);
    expect((await visits(caretaker)).map((v) => [v.kind, v.tasks])).toEqual([
      ['careRound', ['houseCleaned', 'chatted']],
      ['visit', ['chatted']],
    ]);
  });

  it('a visit without cooking or cleaning leaves the 照料 open, and one done already is not recorded twice', async () => {
    const caretaker = await as('caretaker');
    const chat = { kind: 'visit', note: '', tasks: ['chatted', 'bloodPressureTaken'], systolic: 130, diastolic: 80 };
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, chat)).statusCode).toBe(201);
    expect(await dueToday(caretaker)).toEqual([
      { kind: 'visit', done: true },
      { kind: 'careRound', done: false },
    ]);
    const care = { kind: 'careRound', note: '', tasks: ['mealCooked'] };
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, care)).statusCode).toBe(201);
    const cooked = { kind: 'visit', note: '又来做了晚饭', tasks: ['mealCooked'] };
    expect((await caretaker.post(`/api/care/elders/${elder}/visits`, cooked)).statusCode).toBe(201);
    // Three check-ins, three visits: the day's visit and care round were done when the others came.
    expect((await visits(caretaker)).map((v) => v.kind)).toEqual(['careRound', 'visit', 'visit']);
    expect(await audited('care.visit.careRound')).toHaveLength(1);
  });

  it('two check-ins with cooking sent at the same moment add the day’s 照料 once', async () => {
    const caretaker = await as('caretaker');
    // Different forms (two people's phones), sent together: the second decides after the first's commit.
    const cooked = (note: string) => ({ kind: 'visit', note, tasks: ['mealCooked'] });
    const answers = await Promise.all([
      caretaker.post(`/api/care/elders/${elder}/visits`, cooked('做了午饭')),
      caretaker.post(`/api/care/elders/${elder}/visits`, cooked('送了饭')),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    expect((await visits(caretaker)).map((v) => v.kind)).toEqual(['careRound', 'visit', 'visit']);
    expect(await audited('care.visit.careRound')).toHaveLength(1);
  });
});
