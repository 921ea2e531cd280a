// A household moved to another village takes its elders with it: who sees them, their readings and
// their alarms follow the household's new place at once (security review, item 1).
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';

describe.each(dialects)('an elder whose household moves on %s', (dialect) => {
  let tree: Tree;
  let admin: Session;
  let oldCadre: Session;
  let newCadre: Session;
  let householdId: string;
  let elderId: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone, PASSWORD);
    oldCadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
    newCadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA2 })).phone, PASSWORD);
    const doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key: 'move-gateway-key', userId: gateway.id });
    householdId = (await buildHousehold(ctx.deps, { region: tree.groupA1 })).id;
    elderId = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId, name: '冉奶奶' })).id;
    const saved = await doctor.post('/api/care/elders', { personId: elderId, livingSituation: '独居', conditions: [], contacts: [] });
    expect(saved.statusCode).toBe(200);
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'MV-SOS-1', kind: 'sosButton' })).statusCode).toBe(201);
  });
  beforeEach(() => ctx.deps.caches?.clear());

  const sos = (id: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer move-gateway-key' },
      payload: { readings: [{ device: 'MV-SOS-1', id, kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] },
    });
  const listed = async (session: Session) =>
    ((await session.get('/api/care/elders')).json().items as { personId: string }[]).map((e) => e.personId);
  const readings = (session: Session) => session.get(`/api/care/elders/${elderId}/readings?since=${new Date(0).toISOString()}`);
  const openAlarms = async (session: Session) => (await session.get('/api/care/alarms?open=true')).json().items as { cause: string }[];

  it('shows the elder, their readings and their open alarms to the new village only, at once', async () => {
    // An SOS before the move, still open when the household moves, and the device cache warm.
    expect((await sos('before')).statusCode).toBe(200);
    expect(await listed(oldCadre)).toContain(elderId);
    expect((await readings(oldCadre)).statusCode).toBe(200);
    expect(await listed(newCadre)).not.toContain(elderId);

    const moved = await admin.request({
      method: 'PATCH',
      url: `/api/org/households/${householdId}`,
      payload: { regionId: tree.villageA2.id },
    });
    expect(moved.statusCode).toBe(200);

    expect(await listed(oldCadre)).not.toContain(elderId);
    expect([403, 404]).toContain((await readings(oldCadre)).statusCode);
    expect(await openAlarms(oldCadre)).toEqual([]);
    expect(await listed(newCadre)).toContain(elderId);
    expect((await readings(newCadre)).statusCode).toBe(200);
    expect((await openAlarms(newCadre)).map((a) => a.cause)).toEqual(['sos']);
  });

  it("sends the elder's SOS to the new village's stream and not the old one's", async () => {
    await sos('warm-cache');
    const alarms = await ctx.deps.db.selectFrom('care_alarms').select('id').execute();
    // Close nothing: the next SOS repeats the open alarm, which must now be placed in the new village.
    expect(alarms).toHaveLength(1);
    const moved = await admin.request({
      method: 'PATCH',
      url: `/api/org/households/${householdId}`,
      payload: { regionId: tree.villageA2.id },
    });
    expect(moved.statusCode).toBe(200);

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
    const fresh = await listen(newCadre);
    const stale = await listen(oldCadre);
    expect((await sos('after')).statusCode).toBe(200);
    expect(await fresh.next(1000)).toContain('"cause":"sos"');
    expect(await stale.next(300)).not.toContain('event: alarm');
    fresh.stop();
    stale.stop();
  });
});
