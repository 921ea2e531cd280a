// POST /api/care/readings honours Idempotency-Key as every retried write does (README, Standards):
// the same key and body get the first answer, another body under the key is 422.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';

describe.each(dialects)('idempotent reading batches on %s', (dialect) => {
  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    const doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'idem-gateway-key', userId: gateway.id });
    const elderId = (await buildPerson(ctx.deps, { region: tree.groupA1 })).id;
    await doctor.post('/api/care/elders', { personId: elderId, livingSituation: '独居', conditions: [], contacts: [] });
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'ID-BR-1', kind: 'bracelet' })).statusCode).toBe(201);
  });
  beforeEach(() => ctx.deps.caches?.clear());

  const send = (readings: Record<string, unknown>[], key?: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer idem-gateway-key', ...(key ? { 'idempotency-key': key } : {}) },
      payload: { readings },
    });
  const at = () => new Date(ctx.clock.now).toISOString();
  const stored = async () =>
    Number(
      (
        await ctx.deps.db
          .selectFrom('care_readings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('returns the first answer to the same key and body, and 422 to another body under it', async () => {
    const batch = [{ device: 'ID-BR-1', kind: 'heartRate', value: 72, at: at() }];
    const first = await send(batch, 'batch-1');
    expect(first.statusCode).toBe(200);
    const again = await send(batch, 'batch-1');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // The reading carries no id: without the key it would have been stored twice.
    expect(await stored()).toBe(1);
    const other = await send([{ device: 'ID-BR-1', kind: 'heartRate', value: 90, at: at() }], 'batch-1');
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await stored()).toBe(1);
  });

  it('answers twins sent at the same moment alike: one batch stored, the same answer, 422 for other bodies', async () => {
    const batch = (value: number, minutesAgo = 0) => [
      { device: 'ID-BR-1', kind: 'heartRate', value, at: new Date(ctx.clock.now - minutesAgo * 60_000).toISOString() },
    ];
    const same = await Promise.all(Array.from({ length: 6 }, () => send(batch(72), 'twins')));
    expect(same.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    for (const answer of same) expect(answer.json()).toEqual(same[0]?.json());
    expect(await stored()).toBe(1);
    const mixed = await Promise.all([80, 81, 82, 83].map((value) => send(batch(value, 1), 'mixed')));
    expect(mixed.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const refused = mixed.filter((r) => r.statusCode === 422);
    expect(refused).toHaveLength(3);
    for (const answer of refused) expect(answer.json().error.code).toBe('idempotency_key_reused');
    expect(await stored()).toBe(2);
  });

  it('keeps storing a reading once by its id when no key comes', async () => {
    const batch = [{ device: 'ID-BR-1', id: 'hr-1', kind: 'heartRate', value: 72, at: at() }];
    expect((await send(batch)).statusCode).toBe(200);
    expect((await send(batch)).statusCode).toBe(200);
    expect(await stored()).toBe(1);
  });
});
