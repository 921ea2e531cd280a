// Notices pushed by a village cadre to chosen villagers: once each, read receipts, urgent ones by
// text and loudspeaker, and refusals outside the cadre's village.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { backgroundJobs, jobWakers } from '../../jobs.ts';
import { startJobs, wakeOnEvents } from '../../platform/jobs.ts';
import { notify } from '../notifications/notifications.service.ts';
import { findNotice } from './notices.repository.ts';
import { addHouseholdTrait } from './notices-audiences.repository.ts';
import { insertLoudspeaker } from './notices-loudspeakers.service.ts';
import { pushDueNotices, pushNotice } from './notices-push.service.ts';

const HOUR = 3_600_000;

describe.each(dialects)('notices on %s', (dialect) => {
  let tree: Tree;
  const phones = { cadre: '', cadreB: '', chickens: '', plain: '' };
  let chickenHousehold: string;
  let farPerson: string;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  // Every test starts from this village on a database of its own.
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    phones.cadreB = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone;
    const chickens = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '养鸡户' });
    chickenHousehold = chickens.id;
    const a = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: chickens.id, phone: '13700000001' });
    await buildPerson(ctx.deps, { region: tree.groupA1, householdId: chickens.id, phone: '13700000002' });
    phones.chickens = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: a.id })).phone;
    const plain = await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '普通户' });
    const b = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: plain.id, phone: '13700000003' });
    phones.plain = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: b.id })).phone;
    const far = await buildHousehold(ctx.deps, { region: tree.groupB1 });
    farPerson = (await buildPerson(ctx.deps, { region: tree.groupB1, householdId: far.id })).id;
    await addHouseholdTrait(ctx.deps.db, chickens.id, 'keepsChickens');
    await insertLoudspeaker(ctx.deps.db, tree.villageA.id, '村委会大喇叭', 'test-loudspeaker-key', ctx.deps.now());
  });

  const stored = async (id: string) => {
    const notice = await findNotice(ctx.deps.db, id);
    if (!notice) throw new Error(`no notice ${id}`);
    return notice;
  };
  const unread = async (who: keyof typeof phones) => (await (await as(who)).get('/api/notices/inbox')).json();

  it('pushes a notice to the village once each, counts unread, and shows the cadre who has not read it', async () => {
    const cadre = await as('cadre');
    const made = await cadre.post(
      '/api/notices',
      { title: '秋季防火通知', body: '严禁野外用火。', urgent: false, audience: {}, send: true },
      { 'idempotency-key': 'n-1' },
    );
    expect(made.statusCode).toBe(201);
    expect(
      (
        await cadre.post(
          '/api/notices',
          { title: '秋季防火通知', body: '严禁野外用火。', urgent: false, audience: {}, send: true },
          { 'idempotency-key': 'n-1' },
        )
      ).json().id,
    ).toBe(made.json().id);
    expect(await pushDueNotices(ctx.deps)).toBe(1);
    expect(await pushDueNotices(ctx.deps)).toBe(0);
    expect((await unread('chickens')).unread).toBe(1);
    expect((await unread('plain')).unread).toBe(1);
    const opened = await (await as('chickens')).get(`/api/notices/${made.json().id}`);
    expect(opened.json()).toMatchObject({ title: '秋季防火通知', state: 'sent', recipients: 3 });
    expect((await unread('chickens')).unread).toBe(0);
    const receipts = (await cadre.get(`/api/notices/${made.json().id}/receipts`)).json();
    expect(receipts).toMatchObject({ people: 3, read: 1 });
    expect(receipts.households.map((h: { headName: string; read: number }) => `${h.headName}:${h.read}`)).toEqual(['普通户:0', '养鸡户:1']);
    // Nobody got a text: it was not urgent.
    expect(await ctx.deps.db.selectFrom('notifications').select('id').where('channel', '=', 'sms').execute()).toEqual([]);
    // Another village's cadre sees nothing of it, told so in words.
    const hidden = await (await as('cadreB')).get(`/api/notices/${made.json().id}/receipts`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.message).toBe('未找到该通知');
  });

  it('reaches only the households with a trait, and refuses audiences outside the cadre’s village', async () => {
    const cadre = await as('cadre');
    const made = await cadre.post('/api/notices', {
      title: '禽流感防疫',
      body: '请给鸡打疫苗。',
      urgent: false,
      audience: { traits: ['keepsChickens'], regionIds: [tree.villageA.id] },
      send: true,
    });
    await pushDueNotices(ctx.deps);
    expect(made.json().id).toBeTruthy();
    const reached = await ctx.deps.db
      .selectFrom('notice_recipients')
      .select('household_id')
      .where('notice_id', '=', made.json().id)
      .execute();
    expect(new Set(reached.map((r) => r.household_id))).toEqual(new Set([chickenHousehold]));
    expect((await unread('plain')).items.map((i: { title: string }) => i.title)).not.toContain('禽流感防疫');
    expect(
      (await cadre.post('/api/notices', { title: 'x', body: 'y', urgent: false, audience: { regionIds: [tree.villageB.id] } })).statusCode,
    ).toBe(404);
    expect(
      (await cadre.post('/api/notices', { title: 'x', body: 'y', urgent: false, audience: { personIds: [farPerson] } })).statusCode,
    ).toBe(404);
    expect((await (await as('plain')).post('/api/notices', { title: 'x', body: 'y', urgent: false, audience: {} })).statusCode).toBe(403);
  });

  it('sends an urgent notice by text and to the village loudspeaker, once, even when the push is resumed after a crash', async () => {
    const cadre = await as('cadre');
    const made = (
      await cadre.post('/api/notices', { title: '暴雨预警', body: '今晚有大暴雨，请注意防范地质灾害。', urgent: true, audience: {} })
    ).json();
    expect(made.state).toBe('draft');
    expect((await cadre.post(`/api/notices/${made.id}/transitions`, { action: 'send' })).json().state).toBe('scheduled');
    // A push that died half way: the notice is "sending" and one person was already reached.
    const first = await ctx.deps.db
      .selectFrom('people')
      .select(['id', 'household_id'])
      .where('phone', '=', '13700000001')
      .executeTakeFirstOrThrow();
    await ctx.deps.db.updateTable('notices').set({ state: 'sending' }).where('id', '=', made.id).execute();
    await ctx.deps.db
      .insertInto('notice_recipients')
      .values({
        notice_id: made.id,
        person_id: first.id,
        household_id: first.household_id,
        user_id: null,
        delivered_at: ctx.deps.now(),
        read_at: null,
      })
      .execute();
    await pushDueNotices(ctx.deps);
    await pushDueNotices(ctx.deps);
    const recipients = await ctx.deps.db.selectFrom('notice_recipients').select('person_id').where('notice_id', '=', made.id).execute();
    expect(recipients).toHaveLength(3);
    const texts = await ctx.deps.db
      .selectFrom('notifications')
      .select('phone')
      .where('channel', '=', 'sms')
      .where('subject_id', '=', made.id)
      .execute();
    // The person reached before the crash is not texted again; the two others once each.
    expect(texts.map((t) => t.phone).sort()).toEqual(['13700000002', '13700000003']);
    const poll = (key: string) =>
      ctx.app.inject({ method: 'GET', url: '/api/notices/loudspeaker/broadcasts', headers: { authorization: `Bearer ${key}` } });
    expect((await poll('wrong-key')).statusCode).toBe(401);
    const heard = (await poll('test-loudspeaker-key')).json().items;
    expect(heard).toEqual([expect.objectContaining({ kind: 'speak', text: expect.stringContaining('暴雨预警') })]);
    const played = await ctx.app.inject({
      method: 'POST',
      url: `/api/notices/loudspeaker/broadcasts/${heard[0].id}/played`,
      headers: { authorization: 'Bearer test-loudspeaker-key' },
    });
    expect(played.statusCode).toBe(204);
    expect((await poll('test-loudspeaker-key')).json().items).toEqual([]);
  });

  it('lists an urgent unread notice first on a villager’s inbox, then newest first; once read it goes by date', async () => {
    const cadre = await as('cadre');
    const send = async (title: string, urgent: boolean) => {
      const made = (await cadre.post('/api/notices', { title, body: `${title}。`, urgent, audience: {}, send: true })).json();
      await pushDueNotices(ctx.deps);
      ctx.clock.advance(60_000);
      return made.id as string;
    };
    const storm = await send('暴雨预警', true);
    await send('医保缴费提醒', false);
    await send('村民大会通知', false);
    const titles = async () =>
      (await unread('plain')).items.map((i: { title: string; urgent: boolean }) => `${i.title}${i.urgent ? '!' : ''}`);
    expect(await titles()).toEqual(['暴雨预警!', '村民大会通知', '医保缴费提醒']);
    expect((await (await as('plain')).get(`/api/notices/${storm}`)).statusCode).toBe(200);
    expect(await titles()).toEqual(['村民大会通知', '医保缴费提醒', '暴雨预警!']);
  });

  it('counts an unread notice once: the messages say how many of their unread announce notices, and reading the notice reads its message', async () => {
    const cadre = await as('cadre');
    const made = (
      await cadre.post('/api/notices', { title: '秋收通知', body: '请按时秋收。', urgent: false, audience: {}, send: true })
    ).json();
    await pushDueNotices(ctx.deps);
    const plain = await ctx.deps.db.selectFrom('users').select('id').where('phone', '=', phones.plain).executeTakeFirstOrThrow();
    await notify(ctx.deps.db, { userId: plain.id }, { topic: 'cases.replied', zh: '您反映的事项已答复', en: 'Replied' }, ctx.deps.now());
    const messages = async () => (await (await as('plain')).get('/api/notifications')).json();
    expect(await messages()).toMatchObject({ unread: 2, unreadNotices: 1 });
    expect((await (await as('plain')).get(`/api/notices/${made.id}`)).statusCode).toBe(200);
    const after = await messages();
    expect(after).toMatchObject({ unread: 1, unreadNotices: 0 });
    expect(after.items.find((n: { topic: string }) => n.topic === 'notices.notice').readAt).toEqual(expect.any(String));
  });

  it('announces a notice in words once: a title with its own 【…】 label gets no second one unless urgent', async () => {
    const cadre = await as('cadre');
    await cadre.post('/api/notices', { title: '【农技指导】玉米追肥', body: '本周追肥。', urgent: false, audience: {}, send: true });
    await cadre.post('/api/notices', { title: '秋收通知', body: '请按时秋收。', urgent: false, audience: {}, send: true });
    await cadre.post('/api/notices', { title: '【防汛】山洪转移', body: '今晚转移。', urgent: true, audience: {}, send: true });
    await pushDueNotices(ctx.deps);
    const { items } = (await (await as('plain')).get('/api/notifications')).json();
    const said = items.filter((n: { topic: string }) => n.topic === 'notices.notice').map((n: { message: string }) => n.message);
    expect(said.sort()).toEqual(['【农技指导】玉米追肥', '【政务信息】秋收通知', '【紧急通知】【防汛】山洪转移'].sort());
  });

  it('holds a scheduled notice until its time, takes attachments only while a draft, and hides expired notices', async () => {
    const cadre = await as('cadre');
    const later = (
      await cadre.post('/api/notices', {
        title: '医保缴费提醒',
        body: '请于月底前缴纳。',
        urgent: false,
        audience: {},
        scheduledAt: new Date(ctx.clock.now + 2 * HOUR).toISOString(),
        expiresAt: new Date(ctx.clock.now + 5 * HOUR).toISOString(),
      })
    ).json();
    expect(await pushDueNotices(ctx.deps)).toBe(0);
    const draft = (await cadre.post('/api/notices', { title: '附件测试', body: '见附件', urgent: false, audience: {} })).json();
    const attach = (id: string, body: Buffer, type = 'image/jpeg') =>
      cadre.request({
        method: 'POST',
        url: `/api/notices/${id}/attachments?name=${encodeURIComponent('示意图')}`,
        headers: { 'content-type': type },
        payload: body,
      });
    const picture = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#36c' } })
      .jpeg()
      .toBuffer();
    expect((await attach(draft.id, Buffer.from('<svg/>'))).statusCode).toBe(415);
    expect((await attach(draft.id, picture)).json().attachments).toEqual([
      expect.objectContaining({ name: '示意图', contentType: 'image/jpeg' }),
    ]);
    expect((await attach(later.id, picture)).statusCode).toBe(409);
    ctx.clock.advance(2 * HOUR + 1000);
    expect(await pushDueNotices(ctx.deps)).toBe(1);
    expect((await unread('plain')).items.map((i: { title: string }) => i.title)).toContain('医保缴费提醒');
    ctx.clock.advance(4 * HOUR);
    expect((await unread('plain')).items.map((i: { title: string }) => i.title)).not.toContain('医保缴费提醒');
  });

  it('sends a notice sent now at once: sending wakes the push job rather than waiting for its next tick', async () => {
    const push = backgroundJobs(ctx.deps).filter((job) => job.name === 'notices.push');
    const failures: unknown[] = [];
    const scheduler = startJobs(ctx.deps.db, push, ctx.deps.now, (_job, error) => failures.push(error));
    const stopWaking = wakeOnEvents(ctx.deps.events, scheduler, jobWakers);
    const announced: unknown[] = [];
    const unsubscribe = ctx.deps.events.subscribe((event) => {
      if (event.type === 'notice.due') announced.push(event.data);
    });
    try {
      const cadre = await as('cadre');
      const stateOf = async (id: string) => (await cadre.get('/api/notices')).json().items.find((n: { id: string }) => n.id === id)?.state;
      // The job's own tick is 10 s away: each of these is sent within the 3 s the test waits.
      const now = (
        await cadre.post('/api/notices', { title: '停水通知', body: '明天上午停水。', urgent: false, audience: {}, send: true })
      ).json();
      await expect.poll(() => stateOf(now.id), { timeout: 3000 }).toBe('sent');
      expect((await unread('plain')).items.map((i: { title: string }) => i.title)).toContain('停水通知');
      const draft = (await cadre.post('/api/notices', { title: '修路通知', body: '村道下周修整。', urgent: false, audience: {} })).json();
      expect(announced).toEqual([{ id: now.id, state: 'scheduled' }]);
      await cadre.post(`/api/notices/${draft.id}/transitions`, { action: 'send' });
      await expect.poll(() => stateOf(draft.id), { timeout: 3000 }).toBe('sent');
      expect(announced).toEqual([
        { id: now.id, state: 'scheduled' },
        { id: draft.id, state: 'scheduled' },
      ]);
      // A notice scheduled for later is not announced.
      await cadre.post('/api/notices', {
        title: '开会通知',
        body: '周五开会。',
        urgent: false,
        audience: {},
        scheduledAt: new Date(ctx.deps.now() + 2 * HOUR).toISOString(),
      });
      expect(announced).toHaveLength(2);
      expect(failures).toEqual([]);
    } finally {
      unsubscribe();
      stopWaking();
      await scheduler.stop();
    }
  });

  it('does not send a notice cancelled or moved to later after the push job listed it', async () => {
    const cadre = await as('cadre');
    const draft = (await cadre.post('/api/notices', { title: '临时通知', body: '下午开会。', urgent: true, audience: {} })).json();
    expect((await cadre.post(`/api/notices/${draft.id}/transitions`, { action: 'send' })).json().state).toBe('scheduled');
    // The job has read the notice as due; then the cadre cancels it before its turn comes.
    const listed = await ctx.deps.db.selectFrom('notices').selectAll().where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect((await cadre.post(`/api/notices/${draft.id}/transitions`, { action: 'cancel' })).json().state).toBe('cancelled');
    await pushNotice(ctx.deps, { ...(await stored(draft.id)), state: listed.state as 'scheduled' }, ctx.deps.now());
    expect(await stored(draft.id)).toMatchObject({ state: 'cancelled', recipients: 0 });
    expect((await unread('plain')).unread).toBe(0);
    expect(await ctx.deps.db.selectFrom('notice_recipients').select('person_id').where('notice_id', '=', draft.id).execute()).toEqual([]);
    // Moved to tomorrow after being listed: not sent now either.
    const later = (await cadre.post('/api/notices', { title: '改期通知', body: '会议改期。', urgent: false, audience: {} })).json();
    await cadre.post(`/api/notices/${later.id}/transitions`, { action: 'send' });
    const due = await stored(later.id);
    const tomorrow = new Date(ctx.deps.now() + 24 * HOUR).toISOString();
    expect((await cadre.post(`/api/notices/${later.id}/transitions`, { action: 'schedule', scheduledAt: tomorrow })).statusCode).toBe(200);
    await pushNotice(ctx.deps, due, ctx.deps.now());
    expect(await stored(later.id)).toMatchObject({ state: 'scheduled', recipients: 0 });
  });
});
