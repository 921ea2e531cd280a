// A person's own signed-in devices (issue 15 item 4): the list, ending one (a lost phone) and
// ending all the others, never anyone else's; an ended session is signed out at its next request.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { auditEntries } from '../../../test/audit-entries.ts';
import { dialects, lastTextedCode, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { deviceOf } from './device-label.ts';

const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 12; V2111A Build/SP1A.210812.003) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MicroMessenger/8.0.28.2240(0x28001C35) WeChat/arm64';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const WINDOWS_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0';

type Answer = Promise<LightMyRequestResponse>;
type Phone = {
  cookie: string;
  request(options: InjectOptions): Answer;
  get(url: string): Answer;
  del(url: string): Answer;
  post(url: string): Answer;
};

describe('the device label', () => {
  it('is only the kind of system and browser', () => {
    expect(deviceOf(ANDROID_WECHAT)).toEqual({ system: 'android', browser: 'wechat' });
    expect(deviceOf(IPHONE_SAFARI)).toEqual({ system: 'iphone', browser: 'safari' });
    expect(deviceOf(WINDOWS_EDGE)).toEqual({ system: 'windows', browser: 'edge' });
    expect(deviceOf(null)).toEqual({ system: 'other', browser: 'other' });
    expect(deviceOf('curl/8.0')).toEqual({ system: 'other', browser: 'other' });
  });
});

describe.each(dialects)('signed-in devices on %s', (dialect) => {
  let tree: Tree;
  let address = 0;
  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { SESSION_IDLE_MINUTES: '30' },
  );

  const phoneOf = (cookie: string, csrfToken: string, userAgent: string): Phone => {
    const request = (options: InjectOptions) =>
      ctx.app.inject({
        ...options,
        headers: { cookie: `cz_session=${cookie}`, 'x-csrf-token': csrfToken, 'user-agent': userAgent, ...(options.headers ?? {}) },
      });
    return {
      cookie,
      request,
      get: (url) => request({ method: 'GET', url }),
      del: (url) => request({ method: 'DELETE', url }),
      post: (url) => request({ method: 'POST', url }),
    };
  };

  /** Signs in by a texted code from a phone of its own (its own address and User-Agent). */
  async function bySms(phone: string, userAgent: string, staySignedIn = true): Promise<Phone> {
    const remoteAddress = `10.7.0.${++address}`;
    const headers = { 'user-agent': userAgent };
    const asked = await ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { phone }, remoteAddress, headers });
    expect(asked.statusCode).toBe(202);
    const code = lastTextedCode(ctx.sms, phone);
    const signedIn = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sms-code/login',
      payload: { phone, code, staySignedIn },
      remoteAddress,
      headers,
    });
    expect(signedIn.statusCode).toBe(200);
    // The next code for the number may be asked for after a minute.
    ctx.clock.advance(61_000);
    const cookie = signedIn.cookies.find((c) => c.name === 'cz_session')?.value ?? '';
    return phoneOf(cookie, signedIn.json().csrfToken, userAgent);
  }

  async function byPassword(phone: string, userAgent: string): Promise<Phone> {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: PASSWORD },
      headers: { 'user-agent': userAgent },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'cz_session')?.value ?? '';
    return phoneOf(cookie, response.json().csrfToken, userAgent);
  }

  const auditOf = (action: string) => auditEntries(ctx.deps, action);

  it('lists my own live sessions, this one first and marked, with how each signed in and a coarse device, and nothing more', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const neighbour = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const first = await bySms(villager.phone, ANDROID_WECHAT);
    const second = await bySms(villager.phone, IPHONE_SAFARI, false);
    const desk = await byPassword(villager.phone, WINDOWS_EDGE);
    await bySms(neighbour.phone, ANDROID_WECHAT);

    const listed = await first.get('/api/auth/sessions');
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as Record<string, unknown>[];
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ current: true, signIn: 'sms_code', system: 'android', browser: 'wechat' });
    expect(items[0]?.staysUntil).toEqual(expect.any(String));
    expect(items.slice(1).map((i) => i.current)).toEqual([false, false]);
    expect(items.map((i) => `${i.signIn} ${i.system} ${i.browser}`).sort()).toEqual([
      'password windows edge',
      'sms_code android wechat',
      'sms_code iphone safari',
    ]);
    expect(items.find((i) => i.system === 'iphone')?.staysUntil).toBeNull();
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['browser', 'createdAt', 'current', 'id', 'lastSeenAt', 'signIn', 'staysUntil', 'system']);
      expect(item.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    // Neither the tokens, their stored hashes, the addresses nor the raw User-Agent are shown.
    const text = listed.body;
    const stored = await ctx.deps.db.selectFrom('sessions').select('token_hash').execute();
    for (const secret of [first.cookie, second.cookie, desk.cookie, ...stored.map((s) => s.token_hash), '10.7.0.', 'Mozilla']) {
      expect(text).not.toContain(secret);
    }
    // Each phone sees itself as the current one.
    const fromDesk = (await desk.get('/api/auth/sessions')).json().items;
    expect(fromDesk[0]).toMatchObject({ current: true, signIn: 'password', system: 'windows' });
    expect(new Set(fromDesk.map((i: { id: string }) => i.id))).toEqual(new Set(items.map((i) => i.id)));
  });

  it('ends one of my other sessions: it is signed out at its next request, the rest stay, and it is audited', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const mine = await bySms(villager.phone, ANDROID_WECHAT);
    const lost = await bySms(villager.phone, IPHONE_SAFARI);
    const third = await bySms(villager.phone, WINDOWS_EDGE);
    const lostId = (await mine.get('/api/auth/sessions')).json().items.find((i: { system: string }) => i.system === 'iphone').id;

    const ended = await mine.del(`/api/auth/sessions/${lostId}`);
    expect(ended.statusCode).toBe(204);
    const after = await lost.get('/api/auth/session');
    expect(after.statusCode).toBe(401);
    expect((await mine.get('/api/auth/session')).statusCode).toBe(200);
    expect((await third.get('/api/auth/session')).statusCode).toBe(200);
    const left = (await mine.get('/api/auth/sessions')).json().items;
    expect(left.map((i: { system: string }) => i.system).sort()).toEqual(['android', 'windows']);
    // Gone is gone: the same handle again is not found.
    expect((await mine.del(`/api/auth/sessions/${lostId}`)).statusCode).toBe(404);

    expect(await auditOf('auth.session_end')).toEqual([
      {
        outcome: 'ok',
        actor: villager.id,
        targetId: villager.id,
        details: { signIn: 'sms_code', system: 'iphone', browser: 'safari', current: false },
      },
    ]);
  });

  it("never ends or reveals anyone else's session: their handle is 404 and they stay signed in", async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const other = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const mine = await bySms(villager.phone, ANDROID_WECHAT);
    const theirs = await login(ctx.app, other.phone, PASSWORD);
    const theirId = (await theirs.get('/api/auth/sessions')).json().items[0].id;
    expect((await mine.get('/api/auth/sessions')).json().items.map((i: { id: string }) => i.id)).not.toContain(theirId);

    const refused = await mine.del(`/api/auth/sessions/${theirId}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('not_found');
    // The same answer as a handle nobody has.
    const unknown = await mine.del(`/api/auth/sessions/${'A'.repeat(22)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe(refused.json().error.message);
    expect((await theirs.get('/api/auth/session')).statusCode).toBe(200);
    expect(await auditOf('auth.session_end')).toEqual([]);

    // Bounded: anything but a 22-character handle is refused before it is looked up.
    for (const bad of ['short', 'A'.repeat(23), `${'A'.repeat(21)}%24`]) {
      expect((await mine.del(`/api/auth/sessions/${bad}`)).statusCode).toBe(400);
    }
    // Without the CSRF header nothing ends.
    const forged = await mine.request({ method: 'DELETE', url: `/api/auth/sessions/${theirId}`, headers: { 'x-csrf-token': '' } });
    expect(forged.statusCode).toBe(403);
    // Signed out, nothing is listed.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
  });

  it('ends every other session of mine, not this one and not anyone else’s', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const neighbour = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const mine = await bySms(villager.phone, ANDROID_WECHAT);
    const old1 = await bySms(villager.phone, IPHONE_SAFARI);
    const old2 = await byPassword(villager.phone, WINDOWS_EDGE);
    const theirs = await bySms(neighbour.phone, IPHONE_SAFARI);

    const ended = await mine.post('/api/auth/sessions/end-others');
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ ended: 2 });
    expect((await old1.get('/api/auth/session')).statusCode).toBe(401);
    expect((await old2.get('/api/auth/session')).statusCode).toBe(401);
    expect((await mine.get('/api/auth/session')).statusCode).toBe(200);
    expect((await theirs.get('/api/auth/session')).statusCode).toBe(200);
    const left = (await mine.get('/api/auth/sessions')).json().items;
    expect(left).toHaveLength(1);
    expect(left[0].current).toBe(true);
    expect(await auditOf('auth.sessions_end_others')).toEqual([
      { outcome: 'ok', actor: villager.id, targetId: villager.id, details: { ended: 2 } },
    ]);
    // Again, with nobody else signed in: nothing to end, and that is fine.
    expect((await mine.post('/api/auth/sessions/end-others')).json()).toEqual({ ended: 0 });
  });

  it('lists only live sessions: a 30-day phone stays, an idle password session drops out; ending this one signs it out', async () => {
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const phone = await bySms(villager.phone, ANDROID_WECHAT);
    await byPassword(villager.phone, WINDOWS_EDGE);
    expect((await phone.get('/api/auth/sessions')).json().items).toHaveLength(2);
    // Two hours idle: past the 30-minute idle timeout, well within the 30 days.
    ctx.clock.advance(2 * 60 * 60_000);
    const items = (await phone.get('/api/auth/sessions')).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ current: true, system: 'android' });

    const self = await phone.del(`/api/auth/sessions/${items[0].id}`);
    expect(self.statusCode).toBe(204);
    expect(self.cookies.find((c) => c.name === 'cz_session')?.value).toBe('');
    expect((await phone.get('/api/auth/session')).statusCode).toBe(401);
    expect(await auditOf('auth.session_end')).toEqual([expect.objectContaining({ details: expect.objectContaining({ current: true }) })]);
  });
});
