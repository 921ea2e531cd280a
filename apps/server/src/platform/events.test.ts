// The live-event stream lives no longer than the session that opened it. Run against a listening
// server: a stream is a response that never finishes on its own.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { type EventStream, openEventStream, until } from '../../test/event-streams.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../test/factories.ts';
import { MAX_STREAMS_PER_USER } from './events.routes.ts';

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);
}

describe.each(dialects)('live events end with the session on %s', (dialect) => {
  let tree: Tree;
  let port: number;
  let adminPhone: string;
  // Logged in afresh each time: the test clock runs past the idle timeout between tests.
  const asAdmin = () => login(ctx.app, adminPhone, PASSWORD);

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx.app.server.address() as AddressInfo).port;
      const county = await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county });
      adminPhone = county.phone;
    },
    { SESSION_IDLE_MINUTES: '1' },
  );

  const openStream = async (session: Session): Promise<EventStream> => {
    const stream = await openEventStream(port, '/api/events', { cookie: `cz_session=${session.cookie}` });
    expect(stream.status).toBe(200);
    return stream;
  };

  let alarms = 0;
  /** An alarm in village A, which a village cadre there may see. */
  const publishAlarm = () => {
    const id = `alarm-${++alarms}`;
    ctx.deps.events.publish({
      type: 'alarm',
      permission: 'care.read',
      placement: { regionId: tree.villageA.id, villageId: tree.villageA.id, townshipId: tree.townshipA.id, countyId: tree.county.id },
      data: { id },
    });
    return id;
  };

  const cadreWithStream = async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const stream = await openStream(session);
    await until(() => stream.text().includes(': connected'));
    const first = publishAlarm();
    expect(await until(() => stream.text().includes(first))).toBe(true);
    return { user, session, stream };
  };

  it('holds at most MAX_STREAMS_PER_USER streams of one person open, over all their sessions, and refuses one more with 429', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const phone = await login(ctx.app, user.phone, PASSWORD);
    const desk = await login(ctx.app, user.phone, PASSWORD);
    const streams: EventStream[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await openStream(i % 2 === 0 ? phone : desk));
    const refused = await openEventStream(port, '/api/events', { cookie: `cz_session=${desk.cookie}` });
    expect(refused.status).toBe(429);
    expect(await within(refused.ended, 2_000)).toBe('ended');
    // Another person is not held back by this one's streams.
    const other = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const theirs = await openStream(await login(ctx.app, other.phone, PASSWORD));
    // A stream closed frees its place.
    streams.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await openStream(phone);
    const alarm = publishAlarm();
    expect(await until(() => again.text().includes(alarm) && (streams[0] as EventStream).text().includes(alarm))).toBe(true);
    for (const stream of [...streams, again, theirs]) stream.close();
  });

  it('ends the stream at logout, and delivers nothing after it', async () => {
    const { session, stream } = await cadreWithStream();
    expect((await session.post('/api/auth/logout')).statusCode).toBe(204);
    const after = publishAlarm();
    expect(await within(stream.ended, 2_000)).toBe('ended');
    expect(stream.text()).not.toContain(after);
  });

  it('ends the stream when an administrator disables the account', async () => {
    const { user, stream } = await cadreWithStream();
    const disabled = await (await asAdmin()).post(`/api/org/users/${user.id}/transitions`, { action: 'disable' });
    expect(disabled.statusCode).toBe(200);
    const after = publishAlarm();
    expect(await within(stream.ended, 2_000)).toBe('ended');
    expect(stream.text()).not.toContain(after);
  });

  it('ends the stream when a role of the user is removed', async () => {
    const { user, session, stream } = await cadreWithStream();
    const assignmentId = (await session.get('/api/auth/session')).json().user.assignments[0].id as string;
    const removed = await (await asAdmin()).delete(`/api/org/users/${user.id}/role-assignments/${assignmentId}`);
    expect(removed.statusCode).toBe(200);
    const after = publishAlarm();
    expect(await within(stream.ended, 2_000)).toBe('ended');
    expect(stream.text()).not.toContain(after);
  });

  it('keeps the stream while the user keeps using the session, and a role added does not end it', async () => {
    const { user, session, stream } = await cadreWithStream();
    for (let i = 0; i < 6; i++) {
      ctx.clock.advance(30_000);
      expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    }
    const added = await (await asAdmin()).post(`/api/org/users/${user.id}/role-assignments`, {
      role: 'caretaker',
      regionId: tree.villageA.id,
    });
    expect(added.statusCode).toBe(201);
    const later = publishAlarm();
    expect(await until(() => stream.text().includes(later))).toBe(true);
    expect(await within(stream.ended, 200)).toBe('timeout');
    stream.close();
  });

  it('ends the stream once the session has been idle too long: an open stream is not use', async () => {
    const { stream } = await cadreWithStream();
    ctx.clock.advance(61_000);
    const after = publishAlarm();
    expect(await within(stream.ended, 2_000)).toBe('ended');
    expect(stream.text()).not.toContain(after);
  });

  it('ends the stream at the 12-hour limit of a busy session', async () => {
    const { session, stream } = await cadreWithStream();
    for (let step = 1; step <= (12 * 3600) / 50; step++) {
      ctx.clock.advance(50_000);
      await session.get('/api/auth/session');
    }
    const before = publishAlarm();
    expect(await until(() => stream.text().includes(before))).toBe(true);
    ctx.clock.advance(50_000);
    const after = publishAlarm();
    expect(await within(stream.ended, 2_000)).toBe('ended');
    expect(stream.text()).not.toContain(after);
  });

  it('audits each delivery of health data to the user who received it, and nothing for those who did not', async () => {
    const { user, stream } = await cadreWithStream();
    const outsider = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB });
    const outsiderStream = await openStream(await login(ctx.app, outsider.phone, PASSWORD));
    const alarmId = `alarm-audited-${++alarms}`;
    ctx.deps.events.publish({
      type: 'alarm',
      permission: 'care.read',
      placement: { regionId: tree.villageA.id, villageId: tree.villageA.id, townshipId: tree.townshipA.id, countyId: tree.county.id },
      data: { id: alarmId, value: 182 },
      audit: { action: 'care.alarm.read', targetType: 'alarm', targetId: alarmId, regionId: tree.villageA.id },
    });
    expect(await until(() => stream.text().includes(alarmId))).toBe(true);
    const reads = () =>
      ctx.deps.db
        .selectFrom('audit_log')
        .select(['actor_user_id', 'actor_role'])
        .where('action', '=', 'care.alarm.read')
        .where('target_id', '=', alarmId)
        .execute();
    // The record is written just after the event goes out.
    let recorded = await reads();
    for (let i = 0; i < 100 && recorded.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      recorded = await reads();
    }
    expect(recorded).toEqual([{ actor_user_id: user.id, actor_role: 'villageCadre' }]);
    expect(outsiderStream.text()).not.toContain(alarmId);
    stream.close();
    outsiderStream.close();
  });

  it('closes the stream of a screen that stops reading, instead of keeping for it all it cannot send', async () => {
    const { stream } = await cadreWithStream();
    stream.pause();
    // 25 MB of events: more than the sockets' buffers on both sides hold, so that the rest waits in the server.
    const pad = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400; i++) {
      ctx.deps.events.publish({
        type: 'alarm',
        permission: 'care.read',
        placement: { regionId: tree.villageA.id, villageId: tree.villageA.id, townshipId: tree.townshipA.id, countyId: tree.county.id },
        data: { id: `big-${i}`, pad },
      });
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const last = publishAlarm();
    await new Promise((resolve) => setTimeout(resolve, 200));
    stream.resume();
    expect(await within(stream.ended, 10_000)).toBe('ended');
    expect(stream.text()).not.toContain(last);
  });

  it('refuses to open a stream without a session', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/events' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('not_authenticated');
  });
});
