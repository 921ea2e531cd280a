import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';

describe.each(dialects)('auth on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
  });

  const loginRequest = (phone: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password } });

  it('logs in with phone and password and sets an HTTP-only, SameSite session cookie', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const response = await loginRequest(user.phone, PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'cz_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const body = response.json();
    expect(body.user.assignments[0]).toMatchObject({ role: 'villageCadre', regionName: '平地坝村' });
    expect(body.permissions).toEqual([
      'org.read',
      'org.write',
      'cases.read',
      'cases.supervise',
      'points.read',
      'points.file',
      'points.keep',
      'points.rules',
      'care.read',
      'care.manage',
      'care.visit',
      'services.read',
      'notices.write',
      'monitoring.manage',
      'monitoring.view',
      'evidence.decide',
      'poverty.read',
      'agri.read',
      'agri.figures',
      'agri.camera',
      'screen.read',
      'screen.manage',
    ]);
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a wrong password with one message for unknown phones and wrong passwords alike', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const wrong = await loginRequest(user.phone, 'Wrong12345');
    const unknown = await loginRequest('13312345678', 'Wrong12345');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual(unknown.json().error);
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('locks the account for 15 minutes after 5 wrong passwords, even against the right one', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    for (let i = 0; i < 4; i++) expect((await loginRequest(user.phone, 'Wrong12345')).statusCode).toBe(401);
    const fifth = await loginRequest(user.phone, 'Wrong12345');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');

    const rightButLocked = await loginRequest(user.phone, PASSWORD);
    expect(rightButLocked.statusCode).toBe(423);
    expect(rightButLocked.json().error.message).toContain('15');

    ctx.clock.advance(14 * 60_000);
    expect((await loginRequest(user.phone, PASSWORD)).statusCode).toBe(423);
    ctx.clock.advance(61_000);
    expect((await loginRequest(user.phone, PASSWORD)).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes but keeps an active one alive', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    ctx.clock.advance(20 * 60_000);
    expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    ctx.clock.advance(20 * 60_000);
    expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    ctx.clock.advance(31 * 60_000);
    const expired = await session.get('/api/auth/session');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');
  });

  it('refuses writes without the CSRF token of the session', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const payload = { headName: '张三', regionId: tree.groupA1.id };
    const missing = await ctx.app.inject({
      method: 'POST',
      url: '/api/org/households',
      headers: { cookie: `cz_session=${session.cookie}` },
      payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    const forged = await session.post('/api/org/households', payload, { 'x-csrf-token': 'not-the-token-of-this-session' });
    expect(forged.statusCode).toBe(403);
    expect((await session.post('/api/org/households', payload)).statusCode).toBe(201);
  });

  it('logs out: the cookie no longer opens anything', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    expect((await session.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await session.get('/api/org/households');
    expect(after.statusCode).toBe(401);
  });

  it('changes a password only with the current one, only to a strong one, and ends other sessions', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const phoneA = await login(ctx.app, user.phone, PASSWORD);
    const phoneB = await login(ctx.app, user.phone, PASSWORD);
    const weak = await phoneA.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const short = await phoneA.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'abc123' });
    expect(short.json().error.code).toBe('weak_password');
    for (const common of ['Cunzhi2026', 'Password1', 'woaini1314']) {
      const refused = await phoneA.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: common });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('common_password');
    }
    const wrongCurrent = await phoneA.post('/api/auth/password', { currentPassword: 'Nope12345', newPassword: 'NewPass2026' });
    expect(wrongCurrent.statusCode).toBe(401);
    expect((await phoneA.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'NewPass2026' })).statusCode).toBe(204);
    expect((await phoneA.get('/api/auth/session')).statusCode).toBe(200);
    expect((await phoneB.get('/api/auth/session')).statusCode).toBe(401);
    expect((await loginRequest(user.phone, 'NewPass2026')).statusCode).toBe(200);
  });

  it('answers in English when the browser asks for it', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      payload: { phone: '13300000000', password: 'x1234567' },
    });
    expect(response.json().error.message).toBe('Wrong phone number or password');
    const chinese = await loginRequest('13300000000', 'x1234567');
    expect(chinese.json().error.message).toBe('手机号或密码错误');
  });
});

// Its own app: the rate limit's tally lives in the app's memory, not in the database a test copies.
describe('login rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => ctx.close());

  it('answers 429 once one address tries too often in a minute', async () => {
    const attempt = () =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: '13300000000', password: 'x1234567' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
  });
});
