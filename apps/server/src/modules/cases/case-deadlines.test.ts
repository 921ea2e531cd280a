import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { buildUser, PASSWORD } from '../../../test/factories.ts';
import { runOnce, takeLease } from '../../platform/jobs.ts';
import { sendPendingTexts } from '../notifications/notifications.service.ts';
import { checkDeadlines } from './case-deadlines.ts';

const HOUR = 3_600_000;

describe.each(dialects)('telling people, deadlines and background jobs on %s', (dialect) => {
  let world: CaseWorld;
  let agent: Session;
  let agentPhone: string;
  /** The sessions the seed signed in: a test that logs in again must not hand its sessions to the next test. */
  let seeded: { world: CaseWorld; agent: Session };
  beforeEach(() => {
    Object.assign(world, seeded.world);
    agent = seeded.agent;
  });

  const ctx = useTestApp(
    dialect,
    async () => {
      // A Monday 09:00 in Asia/Shanghai, so that working hours are easy to follow.
      ctx.clock.now = Date.parse('2026-11-23T09:00:00+08:00');
      world = await buildCaseWorld(ctx);
      agentPhone = (await buildUser(ctx.deps, { role: 'appealsAgent', region: world.tree.county })).phone;
      agent = await login(ctx.app, agentPhone, PASSWORD);
      seeded = { world: { ...world }, agent };
    },
    { REMINDER_HOURS: '2', OBJECTION_DAYS: '3' },
  );

  const relogin = async () => {
    await world.relogin();
    agent = await login(ctx.app, agentPhone, PASSWORD);
  };
  const inbox = async (session: Session) => (await session.get('/api/notifications')).json();
  const act = (session: Session, id: string, body: Record<string, unknown>) => session.post(`/api/cases/${id}/transitions`, body);
  const report = async (session: Session, overrides: Record<string, unknown> = {}) => {
    const response = await session.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '路灯不亮',
      description: '三组路灯坏了一周',
      ...overrides,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; number: string; deadlineAt: string };
  };

  it('tells the reporter in the app at each step, in their language, and marks messages read', async () => {
    const { id, number } = await report(world.villager);
    await act(world.gridWorker, id, { action: 'accept' });
    await act(world.gridWorker, id, { action: 'checkIn', details: { latitude: 28.8, longitude: 108.7 } });
    await act(world.gridWorker, id, { action: 'handle', note: '已更换灯泡' });
    await act(world.gridWorker, id, { action: 'reply', note: '已修好' });
    const messages = await inbox(world.villager);
    const mine = messages.items.filter((m: { subjectId: string }) => m.subjectId === id);
    // Received, accepted, handled and replied: the check-in is the handler's own business.
    expect(mine.map((m: { message: string }) => m.message).reverse()).toEqual([
      `您反映的事项“路灯不亮”已受理，编号${number}。`,
      `事项${number}已有专人办理。`,
      `事项${number}已办理完毕，等待答复。`,
      `事项${number}已答复，请查看并评价，如有异议可在规定期限内提出。`,
    ]);
    expect(messages.unread).toBe(messages.items.length);
    const english = (
      await world.villager.request({ method: 'GET', url: '/api/notifications', headers: { 'accept-language': 'en' } })
    ).json();
    expect(english.items[0].message).toBe(
      `Case ${number} has been replied to; please read and rate it, or object within the allowed days.`,
    );

    // Nobody else reads or marks them.
    expect((await inbox(world.neighbour)).items.some((m: { subjectId: string }) => m.subjectId === id)).toBe(false);
    expect((await world.neighbour.post(`/api/notifications/${mine[0].id}/read`)).statusCode).toBe(404);
    expect((await world.villager.post(`/api/notifications/${mine[0].id}/read`)).statusCode).toBe(204);
    expect((await inbox(world.villager)).unread).toBe(messages.unread - 1);
    expect((await world.villager.post('/api/notifications/read-all')).statusCode).toBe(204);
    expect((await inbox(world.villager)).unread).toBe(0);
  });

  it('texts a caller without an account once, even when the gateway fails first', async () => {
    await report(agent, { source: 'appeal', channel: 'phone', reporterName: '李大姐', reporterPhone: '13711112222' });
    ctx.sms.failing = true;
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(0);
    ctx.sms.failing = false;
    const sentBefore = ctx.sms.sent.length;
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBeGreaterThanOrEqual(1);
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(0);
    const texts = ctx.sms.sent.slice(sentBefore).filter((t) => t.phone === '13711112222');
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text).toContain('已受理');
  });

  it('tells the reporters of merged cases where their case went, and the outcome of the case it joined', async () => {
    const target = await report(world.villager);
    const duplicate = await report(world.neighbour);
    expect((await act(world.gridWorker, duplicate.id, { action: 'merge', mergeIntoId: target.id })).statusCode).toBe(200);
    const merged = (await inbox(world.neighbour)).items[0].message;
    expect(merged).toContain(`已合并办理`);
    for (const action of ['accept', 'handle', 'reply']) expect((await act(world.gridWorker, target.id, { action })).statusCode).toBe(200);
    const outcome = (await inbox(world.neighbour)).items[0].message;
    expect(outcome).toBe(
      `您反映的事项${duplicate.number}已并入事项${target.number}办理。事项${target.number}已答复，请查看并评价，如有异议可在规定期限内提出。`,
    );
  });

  it('accepts an objection within the configured days of the reply, and refuses one after them', async () => {
    const replied = async () => {
      const { id } = await report(world.villager);
      for (const action of ['accept', 'handle', 'reply']) expect((await act(world.gridWorker, id, { action })).statusCode).toBe(200);
      return id;
    };
    const early = await replied();
    const late = await replied();
    ctx.clock.advance(2 * 24 * HOUR);
    await relogin();
    expect((await act(world.villager, early, { action: 'object', note: '灯还是不亮' })).json()).toMatchObject({ state: 'assigned' });
    ctx.clock.advance(24 * HOUR + 1);
    await relogin();
    const refused = await act(world.villager, late, { action: 'object' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'objection_period_over', message: '已超过可提出异议的期限（3天）' });
    expect((await world.villager.get(`/api/cases/${late}`)).json().state).toBe('replied');
  });

  it('reminds the handler before the deadline and flags it overdue after, once, telling the supervisors', async () => {
    await relogin();
    const { id, deadlineAt } = await report(world.villager);
    const deadline = Date.parse(deadlineAt);
    ctx.clock.now = deadline - 3 * HOUR;
    expect((await checkDeadlines(ctx.deps)).reminded).toBe(0);
    ctx.clock.now = deadline - HOUR;
    const first = await checkDeadlines(ctx.deps);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    expect((await checkDeadlines(ctx.deps)).reminded).toBe(0);
    await relogin();
    const reminders = (await inbox(world.gridWorker)).items.filter((n: { subjectId: string }) => n.subjectId === id);
    expect(reminders.map((n: { topic: string }) => n.topic)).toEqual(['case.reminder']);

    ctx.clock.now = deadline + HOUR;
    const late = await checkDeadlines(ctx.deps);
    expect(late.overdue).toBeGreaterThanOrEqual(1);
    expect((await checkDeadlines(ctx.deps)).overdue).toBe(0);
    const overdue = await ctx.deps.db
      .selectFrom('notifications')
      .select(['user_id'])
      .where('subject_id', '=', id)
      .where('topic', '=', 'case.overdue')
      .execute();
    const caseRow = await ctx.deps.db
      .selectFrom('cases')
      .select(['assignee_user_id', 'overdue_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(caseRow.overdue_at).toBe(deadline + HOUR);
    // The grid worker and the village's cadres (the case is at grid level) hear of it.
    const cadres = await ctx.deps.db
      .selectFrom('role_assignments')
      .select('user_id')
      .where('role', '=', 'villageCadre')
      .where('region_id', '=', world.tree.villageA.id)
      .execute();
    expect(new Set(overdue.map((n) => n.user_id))).toEqual(new Set([caseRow.assignee_user_id, ...cadres.map((c) => c.user_id)]));
    await relogin();
    const events = (await world.cadre.get(`/api/cases/${id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ action: 'overdue', actorRole: 'system' });
  });

  it('runs a job on one node at a time: a second holder is refused until the lease is released or runs out', async () => {
    const now = ctx.deps.now();
    expect(await takeLease(ctx.deps.db, 'test.job', now, 60_000, 'node-a')).toBe(true);
    expect(await takeLease(ctx.deps.db, 'test.job', now + 1000, 60_000, 'node-b')).toBe(false);
    expect(await takeLease(ctx.deps.db, 'test.job', now + 61_000, 60_000, 'node-b')).toBe(true);

    // While one node runs the job, another node's attempt is refused; once it is done, the next run may go.
    let runs = 0;
    let finish = () => {};
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const job = {
      name: 'test.counted',
      everyMs: 1000,
      run: async () => {
        runs++;
        await gate;
      },
    };
    const first = runOnce(ctx.deps.db, job, ctx.deps.now, 'node-a');
    await expect.poll(() => runs).toBe(1);
    expect(await runOnce(ctx.deps.db, job, ctx.deps.now, 'node-b')).toBe(false);
    finish();
    expect(await first).toBe(true);
    expect(runs).toBe(1);
    expect(await runOnce(ctx.deps.db, job, ctx.deps.now, 'node-b')).toBe(true);
    expect(runs).toBe(2);
  });
});
