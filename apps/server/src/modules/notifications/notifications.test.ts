// A person's inbox: their messages newest first, page by page, in their language, with the unread
// count; marking one or all read; someone else's message is not found. And texts: each sent once,
// a failing gateway tried again up to five times.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { notify, sendPendingTexts } from './notifications.service.ts';

describe.each(dialects)('notifications on %s', (dialect) => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
  });

  /** A villager of their own with `count` messages, the newest last. */
  const villagerWith = async (count: number): Promise<{ userId: string; session: Session }> => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    for (let i = 1; i <= count; i++) {
      ctx.clock.advance(1);
      await notify(
        ctx.deps.db,
        { userId: user.id },
        { topic: 'test', subjectType: 'case', subjectId: `s${i}`, zh: `消息${i}`, en: `Message ${i}` },
        ctx.deps.now(),
      );
    }
    return { userId: user.id, session: await login(ctx.app, user.phone, PASSWORD) };
  };

  it('lists my messages newest first, page by page, in my language, with the unread count', async () => {
    const { session } = await villagerWith(5);
    const first = (await session.get('/api/notifications?limit=2')).json();
    expect(first.items.map((n: { message: string }) => n.message)).toEqual(['消息5', '消息4']);
    expect(first).toMatchObject({ unread: 5, nextCursor: expect.any(String) });
    expect(first.items[0]).toMatchObject({ topic: 'test', subjectType: 'case', subjectId: 's5', readAt: null });
    const second = (await session.get(`/api/notifications?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((n: { message: string }) => n.message)).toEqual(['消息3', '消息2']);
    const last = (await session.get(`/api/notifications?limit=2&cursor=${second.nextCursor}`)).json();
    expect(last).toMatchObject({ items: [expect.objectContaining({ message: '消息1' })], nextCursor: null });
    const english = await session.request({ method: 'GET', url: '/api/notifications?limit=1', headers: { 'accept-language': 'en' } });
    expect(english.json().items[0].message).toBe('Message 5');
    expect((await session.get('/api/notifications?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('marks one message read, then all; another person’s message is not found and stays unread', async () => {
    const me = await villagerWith(3);
    const other = await villagerWith(1);
    const [newest] = (await me.session.get('/api/notifications')).json().items;
    expect((await me.session.post(`/api/notifications/${newest.id}/read`)).statusCode).toBe(204);
    // Marking it again changes nothing and is no error.
    expect((await me.session.post(`/api/notifications/${newest.id}/read`)).statusCode).toBe(204);
    const after = (await me.session.get('/api/notifications')).json();
    expect(after.unread).toBe(2);
    expect(after.items[0].readAt).toEqual(expect.any(String));

    const theirs = (await other.session.get('/api/notifications')).json().items[0];
    const refused = await me.session.post(`/api/notifications/${theirs.id}/read`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.message).toBe('未找到该消息');
    expect((await other.session.get('/api/notifications')).json().unread).toBe(1);

    expect((await me.session.post('/api/notifications/read-all')).statusCode).toBe(204);
    expect((await me.session.get('/api/notifications')).json().unread).toBe(0);
    expect((await other.session.get('/api/notifications')).json().unread).toBe(1);
  });

  it('sends each text once, and tries a failing gateway again at most five times', async () => {
    await notify(
      ctx.deps.db,
      { phone: '13700000099' },
      { topic: 'test', zh: '您的诉求已受理', en: 'Your report was received' },
      ctx.deps.now(),
    );
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(1);
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(0);
    expect(ctx.sms.sent).toEqual([{ phone: '13700000099', text: '您的诉求已受理' }]);

    await notify(ctx.deps.db, { phone: '13700000098' }, { topic: 'test', zh: '网关故障', en: 'Gateway down' }, ctx.deps.now());
    ctx.sms.failing = true;
    for (let attempt = 0; attempt < 7; attempt++) expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(0);
    ctx.sms.failing = false;
    // Given up after five attempts: a working gateway does not get it either.
    expect(await sendPendingTexts(ctx.deps.db, ctx.deps.sms, ctx.deps.now)).toBe(0);
    expect(ctx.sms.sent).toHaveLength(1);
  });
});
