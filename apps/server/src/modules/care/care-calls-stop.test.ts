// Calls are held in the server process (README, Family calls): when it stops, the calls it holds end
// in the database, so that no history reads 通话中 for ever after a restart, and both sides hear so.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';

describe.each(dialects)('calls when the server stops, on %s', (dialect) => {
  it('ends the call that is on and the one that rings, and tells the sides', async () => {
    const ctx = await buildTestApp(dialect);
    try {
      const tree = await buildTree(ctx.deps);
      const doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB })).phone, PASSWORD);
      const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageB });
      const daughter = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageB });
      const sonSession = await login(ctx.app, son.phone, PASSWORD);
      const daughterSession = await login(ctx.app, daughter.phone, PASSWORD);
      const elders: string[] = [];
      for (const relative of [son.id, daughter.id]) {
        const personId = (await buildPerson(ctx.deps, { region: tree.groupB1 })).id;
        elders.push(personId);
        const saved = await doctor.post('/api/care/elders', { personId, livingSituation: '独居', conditions: [], contacts: [] });
        expect(saved.statusCode).toBe(200);
        expect((await doctor.post(`/api/care/elders/${personId}/family`, { userId: relative, consent: true })).statusCode).toBe(204);
      }
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (ctx.app.server.address() as AddressInfo).port;
      const heard: string[] = [];
      const open = (key: string) =>
        new Promise<void>((resolve) => {
          const request = http.get({
            host: '127.0.0.1',
            port,
            path: '/api/care/calls/stream',
            headers: { authorization: `Bearer ${key}` },
          });
          request.on('error', () => undefined);
          request.on('response', (response) => {
            response.setEncoding('utf8');
            response.on('error', () => undefined);
            response.on('data', (chunk: string) => {
              heard.push(chunk);
              if (chunk.includes(': connected')) resolve();
            });
          });
        });
      const keys: string[] = [];
      for (const [session, personId] of [
        [sonSession, elders[0]],
        [daughterSession, elders[1]],
      ] as const) {
        const code = (await session.post(`/api/care/elders/${personId}/home-pairing`)).json().code;
        const paired = await ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code } });
        keys.push(paired.json().key);
        await open(paired.json().key);
      }
      const on = (await sonSession.post('/api/care/calls', { kind: 'call', elderPersonId: elders[0] })).json();
      const answered = await ctx.app.inject({
        method: 'POST',
        url: `/api/care/calls/${on.id}/answer`,
        headers: { authorization: `Bearer ${keys[0]}` },
      });
      expect(answered.statusCode).toBe(204);
      const ringing = (await daughterSession.post('/api/care/calls', { kind: 'call', elderPersonId: elders[1] })).json();
      expect(ringing.state).toBe('ringing');

      await ctx.app.close();
      const rows = await ctx.deps.db.selectFrom('care_calls').select(['id', 'state', 'end_reason', 'ended_at']).execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(byId.get(on.id)).toMatchObject({ state: 'ended', end_reason: 'server_stopped' });
      expect(byId.get(ringing.id)).toMatchObject({ state: 'missed', end_reason: 'server_stopped' });
      expect(rows.every((row) => row.ended_at !== null)).toBe(true);
      // Written before the streams closed; the bytes may still be on their way through the loopback.
      for (let i = 0; i < 200 && !heard.join('').includes('"reason":"server_stopped"'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(heard.join('')).toContain('"reason":"server_stopped"');
    } finally {
      await ctx.close();
    }
  });
});
