// How long a session lives, and how its cookie travels.
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';

describe.each(dialects)('idle timeout on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { SESSION_IDLE_MINUTES: '1' },
  );

  it('keeps a session used every 10 seconds for 3 minutes, then ends it after 61 silent seconds', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    for (let second = 10; second <= 180; second += 10) {
      ctx.clock.advance(10_000);
      const response = await session.get('/api/auth/session');
      expect(response.statusCode, `request at ${second} s`).toBe(200);
    }
    ctx.clock.advance(61_000);
    const expired = await session.get('/api/auth/session');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');
    // Gone for good, not only refused once.
    expect((await session.get('/api/auth/session')).statusCode).toBe(401);
  });

  it('counts idle time from the latest request, even one made between two writes of last-seen', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    // Requests 2 s apart: most are not written to the database, and the session cache (5 s) is
    // refreshed from it in between.
    for (let i = 0; i < 40; i++) {
      ctx.clock.advance(2_000);
      expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    }
    ctx.clock.advance(59_000);
    expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    ctx.clock.advance(60_500);
    expect((await session.get('/api/auth/session')).statusCode).toBe(401);
  });

  it('keeps the 12-hour limit however busy the session is', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    // A request every 50 s for exactly 12 hours, then one more.
    for (let step = 1; step <= (12 * 3600) / 50; step++) {
      ctx.clock.advance(50_000);
      expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    }
    ctx.clock.advance(50_000);
    expect((await session.get('/api/auth/session')).json().error.code).toBe('session_expired');
  });
});

describe.each(dialects)('session cookie behind an https proxy on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { TRUST_PROXY: 'true', NODE_ENV: 'development', JOBS_ENABLED: 'false', DEMO_DATA: 'false' },
  );

  const loginOver = (headers: Record<string, string>, phone: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: PASSWORD }, headers });

  it('marks the cookie Secure when the proxy says the browser came over https', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const response = await loginOver({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' }, user.phone);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'cz_session');
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);

    const session = { cookie: `cz_session=${cookie?.value}`, csrf: response.json().csrfToken as string };
    const logout = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'x-forwarded-proto': 'https' },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'cz_session')?.secure).toBe(true);
  });

  it('takes the client’s address from the load balancer’s own X-Forwarded-For entry, not from what the client wrote before it', async () => {
    // The probe: with every hop trusted, `X-Forwarded-For: 6.6.6.6, <real>` made the client 6.6.6.6,
    // so each request could count against a new address's login and SMS limits, or the owner's.
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const response = await loginOver({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, user.phone);
    expect(response.statusCode).toBe(200);
    const row = await ctx.deps.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'auth.login')
      .where('actor_user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.ip).toBe('203.0.113.9');
  });

  it('reads the proxy’s scheme without regard to case, and from any hop of a list', async () => {
    // The probe: `HTTPS` and `https, http` (a chain of proxies) gave a cookie without Secure.
    for (const proto of ['HTTPS', 'Https', 'https, http', 'http, https', ' https ']) {
      const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
      const response = await loginOver({ 'x-forwarded-proto': proto }, user.phone);
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === 'cz_session')?.secure, proto).toBe(true);
    }
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const plain = await loginOver({ 'x-forwarded-proto': 'HTTP, http' }, user.phone);
    expect(plain.cookies.find((c) => c.name === 'cz_session')?.secure).toBeUndefined();
  });

  it('leaves Secure off over plain http in development, so a local install still logs in', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const direct = await loginOver({}, user.phone);
    expect(direct.statusCode).toBe(200);
    expect(direct.cookies.find((c) => c.name === 'cz_session')?.secure).toBeUndefined();
    const proxiedHttp = await loginOver({ 'x-forwarded-proto': 'http' }, user.phone);
    expect(proxiedHttp.cookies.find((c) => c.name === 'cz_session')?.secure).toBeUndefined();
  });
});

describe.each(dialects)('session cookie without a trusted proxy on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { NODE_ENV: 'development', JOBS_ENABLED: 'false', DEMO_DATA: 'false' },
  );

  it('ignores X-Forwarded-Proto unless TRUST_PROXY is set: anyone could send it', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: user.phone, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.cookies.find((c) => c.name === 'cz_session')?.secure).toBeUndefined();
  });
});

describe.each(dialects)('session cookie in production on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { NODE_ENV: 'production', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' },
  );

  it('always marks the cookie Secure, even when the request came over plain http', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: user.phone, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    expect(response.cookies.find((c) => c.name === 'cz_session')?.secure).toBe(true);
  });
});
