// Every /api answer is `Cache-Control: private, no-store` unless its route says otherwise: they carry
// personal data that no browser or proxy should keep (security review, item 3).
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../test/factories.ts';

describe.each(dialects)('cache-control on %s', (dialect) => {
  let tree: Tree;
  let admin: Session;
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone, PASSWORD);
  });

  it('keeps no /api answer, errors included, and leaves a route its own choice', async () => {
    for (const url of ['/api/org/households', '/api/org/people', '/api/care/elders', '/api/auth/current']) {
      const response = await admin.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
    }
    const refused = await ctx.app.inject({ url: '/api/org/people' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('private, no-store');
    const shapes = await admin.get(`/api/org/region-shapes?regionId=${tree.county.id}`);
    expect(shapes.headers['cache-control']).toBe('private, max-age=3600');
    expect((await ctx.app.inject({ url: '/healthz' })).headers['cache-control']).not.toBe('private, no-store');
  });
});
