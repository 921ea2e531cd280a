// A phone on a weak signal gets the JSON it asked for in fewer bytes, unchanged once unpacked; a
// client that does not take gzip (RFC 9110 §12.5.3) gets it as before.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD } from '../../test/factories.ts';
import { seedDemoServices } from '../modules/services/services.demo.ts';
import { acceptsGzip, COMPRESS_MIN_BYTES } from './compression.ts';

describe('acceptsGzip (RFC 9110 §12.5.3 Accept-Encoding)', () => {
  it('takes gzip when listed or covered by *, with any weight above zero', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
  });
  it('refuses it when absent, empty or weighted zero', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.000')).toBe(false);
  });
});

describe.each(dialects)('compressed JSON answers on %s', (dialect) => {
  let phone = '';
  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    await seedDemoServices(ctx.deps, new Map([['500242', tree.county]]));
    phone = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone;
  });
  const catalogue = '/api/services/items?limit=50';

  it('sends a large answer gzip-compressed to a client that takes it, the same JSON once unpacked', async () => {
    const session = await login(ctx.app, phone, PASSWORD);
    const plain = await session.get(catalogue);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);

    const packed = await session.request({ method: 'GET', url: catalogue, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(packed.statusCode).toBe(200);
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(packed.headers['content-length'])).toBe(packed.rawPayload.length);
    expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(gunzipSync(packed.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('leaves small answers, errors of a refused gzip and refusals as they are', async () => {
    const small = await ctx.app.inject({ method: 'GET', url: '/api/platform-info', headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toHaveProperty('demo');

    const session = await login(ctx.app, phone, PASSWORD);
    const refused = await session.request({ method: 'GET', url: catalogue, headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json().items.length).toBeGreaterThan(0);

    const anonymous = await ctx.app.inject({ method: 'GET', url: catalogue, headers: { 'accept-encoding': 'gzip' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBeTypeOf('string');
  });
});
