import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../test/build-test-app.ts';

describe.each(dialects)('operations on %s', (dialect) => {
  const ctx = useTestApp(dialect, async () => {}, { BODY_LIMIT_BYTES: '2048' });

  it('answers liveness and readiness', async () => {
    expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await ctx.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', database: dialect });
  });

  it('serves the OpenAPI document with every API route, and its docs page', async () => {
    const spec = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const route of [
      '/api/auth/login',
      '/api/org/households',
      '/api/org/households/{id}',
      '/api/org/people/{id}/id-number',
      '/api/audit/entries',
      '/api/care/readings',
      '/api/points/redemptions',
      '/api/cases/{id}/photos',
    ]) {
      expect(Object.keys(spec.paths)).toContain(route);
    }
    expect(spec.paths['/api/org/households'].post.requestBody).toBeDefined();
    const docs = await ctx.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('sends security headers', async () => {
    const response = await ctx.app.inject({ url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('answers unknown API routes with the JSON error shape', async () => {
    const response = await ctx.app.inject({ url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'route_not_found', message: '接口不存在' } });
  });

  it('refuses bodies over the limit with 413', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: '13800000001', password: 'x'.repeat(4000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('reports bad input field by field', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: 5 } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.length).toBeGreaterThan(0);
  });
});

describe('server errors', () => {
  const ctx = useTestApp('sqlite', async () => {});

  it('never shows a stack trace or the cause to the client', async () => {
    // Kysely's destroy does nothing to a database it has not used yet: use it first.
    expect((await ctx.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await ctx.database.db.destroy();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: '13800000001', password: 'Passw0rd1' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal_error', message: '服务器内部错误，请稍后重试' } });
    expect(response.body).not.toMatch(/at |driver|destroy/i);
    expect((await ctx.app.inject({ url: '/readyz' })).statusCode).toBe(503);
  });
});
