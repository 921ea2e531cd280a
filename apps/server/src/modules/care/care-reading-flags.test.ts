// The word beside a reading agrees with the rules that raise that elder's alarms (issue 15): the
// readings route marks each reading high or low under the elder's own rules, with the usual ranges
// where the rules say nothing, for the doctor and the linked family alike, and the read stays audited.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { readingFlagUnder } from './care-reading-flag.ts';

const MINUTE = 60_000;

const freshCaches = (ctx: TestContext) => beforeEach(() => ctx.deps.caches?.clear());

describe('a reading flag under the elder rules', () => {
  const bp = (value1: number, value2: number) => ({ kind: 'bloodPressure', value1, value2 });

  it("lets the elder's own limit alone decide its side, the usual ranges elsewhere", () => {
    expect(readingFlagUnder(bp(135, 80), { systolicHigh: { limit: 130 } })).toBe('high');
    expect(readingFlagUnder(bp(135, 80), null)).toBeNull();
    // A known hypertensive's alarm at 170: 151 is not high for them, though the usual 140 would say so...
    expect(readingFlagUnder(bp(151, 85), { systolicHigh: { limit: 170 } })).toBeNull();
    expect(readingFlagUnder(bp(151, 85), null)).toBe('high');
    // ...while their diastolic pressure, which no rule speaks of, keeps the usual 90.
    expect(readingFlagUnder(bp(151, 95), { systolicHigh: { limit: 170 } })).toBe('high');
    expect(readingFlagUnder({ kind: 'heartRate', value1: 58, value2: null }, { heartLow: { limit: 60 } })).toBe('low');
    expect(readingFlagUnder({ kind: 'heartRate', value1: 58, value2: null }, null)).toBeNull();
  });

  it('never calls normal a value that raises a county alarm, and a rule switched off says nothing', () => {
    // The county's low-pressure alarm is at 90 and under; the usual range calls only under 90 low.
    expect(readingFlagUnder(bp(90, 65), null)).toBe('low');
    expect(readingFlagUnder({ kind: 'glucose', value1: 3.9, value2: null }, null)).toBe('low');
    expect(readingFlagUnder(bp(145, 80), { systolicHigh: { enabled: false } })).toBe('high');
    expect(readingFlagUnder({ kind: 'steps', value1: 30_000, value2: null }, { systolicHigh: { limit: 130 } })).toBeNull();
  });
});

describe.each(dialects)('reading flags on the readings route on %s', (dialect) => {
  let tree: Tree;
  let doctor: Session;
  let family: Session;
  let strictId: string;
  let usualId: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    const familyUser = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageA });
    family = await login(ctx.app, familyUser.phone, PASSWORD);
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'flags-gateway-key', userId: gateway.id });
    strictId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '严奶奶' })).id;
    usualId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '常爷爷' })).id;
    for (const [personId, serial] of [
      [strictId, 'FL-BR-1'],
      [usualId, 'FL-BR-2'],
    ] as const) {
      await doctor.post('/api/care/elders', { personId, livingSituation: '独居', conditions: ['高血压'], contacts: [] });
      expect((await doctor.post(`/api/care/elders/${personId}/devices`, { serial, kind: 'bracelet' })).statusCode).toBe(201);
    }
    expect((await doctor.post(`/api/care/elders/${strictId}/family`, { userId: familyUser.id, consent: true })).statusCode).toBe(204);
  });
  freshCaches(ctx);

  const at = (offsetMs = 0) => new Date(ctx.clock.now + offsetMs).toISOString();
  const send = (readings: Record<string, unknown>[]) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer flags-gateway-key' },
      payload: { readings },
    });
  const latestPressure = async (session: Session, personId: string) => {
    const response = await session.get(`/api/care/elders/${personId}/readings?since=${new Date(0).toISOString()}&kind=bloodPressure`);
    expect(response.statusCode).toBe(200);
    return response.json().items.at(-1) as { value: number; flag: string | null };
  };

  it('marks 135 high for the elder whose doctor set systolic high at 130, and not for an elder under the defaults', async () => {
    const set = await doctor.request({
      method: 'PUT',
      url: `/api/care/elders/${strictId}/rules`,
      payload: { rules: [{ cause: 'systolicHigh', limit: 130 }] },
    });
    expect(set.statusCode).toBe(200);
    const sent = await send([
      { device: 'FL-BR-1', kind: 'bloodPressure', value: 135, value2: 80, at: at(-MINUTE) },
      { device: 'FL-BR-2', kind: 'bloodPressure', value: 135, value2: 80, at: at(-MINUTE) },
    ]);
    expect(sent.json().accepted).toBe(2);

    expect(await latestPressure(doctor, strictId)).toMatchObject({ value: 135, flag: 'high' });
    expect(await latestPressure(doctor, usualId)).toMatchObject({ value: 135, flag: null });
    // The family's home reads the same route and gets the same word; the alarm it agrees with is open.
    expect(await latestPressure(family, strictId)).toMatchObject({ value: 135, flag: 'high' });
    const open = (await doctor.get(`/api/care/alarms?open=true&elder=${strictId}`)).json().items as { cause: string }[];
    expect(open.map((a) => a.cause)).toContain('systolicHigh');
    // Nothing more for the family than before: another elder's readings stay closed to them.
    expect((await family.get(`/api/care/elders/${usualId}/readings?since=${new Date(0).toISOString()}`)).statusCode).toBe(404);
    const audited = await ctx.deps.db
      .selectFrom('audit_log')
      .select('target_id')
      .where('action', '=', 'care.readings.read')
      .where('target_id', 'in', [strictId, usualId])
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(3);

    // Back to the county defaults: the same 135 is no longer high for her.
    await doctor.request({ method: 'PUT', url: `/api/care/elders/${strictId}/rules`, payload: { rules: [] } });
    expect(await latestPressure(family, strictId)).toMatchObject({ value: 135, flag: null });
  });

  it('keeps the usual ranges for an elder under the defaults: 151/88 high, 126/80 in range', async () => {
    await send([
      { device: 'FL-BR-2', id: 'fl-high', kind: 'bloodPressure', value: 151, value2: 88, at: at(-2 * MINUTE) },
      { device: 'FL-BR-2', id: 'fl-ok', kind: 'bloodPressure', value: 126, value2: 80, at: at(-MINUTE) },
    ]);
    const items = (await doctor.get(`/api/care/elders/${usualId}/readings?since=${new Date(0).toISOString()}`)).json().items;
    expect(items.map((r: { value: number; flag: string | null }) => [r.value, r.flag])).toEqual([
      [151, 'high'],
      [126, null],
    ]);
  });
});
