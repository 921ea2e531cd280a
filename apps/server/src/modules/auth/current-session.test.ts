// GET /api/auth/current: the web app's first question on every load. It answers 200 whether or not
// someone is signed in, so a browser logs no 401 on the login page; otherwise it says exactly what
// /api/auth/session says.
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';

describe.each(dialects)('the current session on %s', (dialect) => {
  let tree: Tree;
  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { SESSION_IDLE_MINUTES: '1' },
  );

  it('is null, with 200, for a browser with no session cookie or an unknown one', async () => {
    const bare = await ctx.app.inject({ method: 'GET', url: '/api/auth/current' });
    expect(bare.statusCode).toBe(200);
    expect(bare.json()).toEqual({ session: null });
    const forged = await ctx.app.inject({ method: 'GET', url: '/api/auth/current', cookies: { cz_session: 'not-a-session' } });
    expect(forged.statusCode).toBe(200);
    expect(forged.json()).toEqual({ session: null });
  });

  it('is the signed-in person, the same as /api/auth/session, and null once the session has ended', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const current = await session.get('/api/auth/current');
    expect(current.statusCode).toBe(200);
    expect(current.json().session).toEqual((await session.get('/api/auth/session')).json());
    expect(current.json().session.user.phone).toBe(user.phone);
    ctx.clock.advance(61_000);
    const ended = await session.get('/api/auth/current');
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ session: null });
  });
});
