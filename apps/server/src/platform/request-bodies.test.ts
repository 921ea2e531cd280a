// Hostile bodies against every route: a body a route does not take is refused before it is read,
// every route has a size limit, and validation answers with one problem that repeats nothing sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD } from '../../test/factories.ts';
import { uuidv7 } from './ids.ts';

const TEN_MB = 10 * 1_048_576;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Answer = { status: number; ms: number; bytes: number };

/** Sends `size` bytes as `type` and resolves on the answer, even when the server stops reading early. */
function sendBody(port: number, method: string, url: string, type: string, size: number, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path: url, agent: false, headers: { ...headers, 'content-type': type, 'content-length': size } },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on('end', () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes });
        });
      },
    );
    // The server may answer and close before the body is through; that is the point.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!request.write(piece)) {
          request.once('drain', pump);
          return;
        }
      }
      request.end();
    };
    pump();
  });
}

function concreteUrl(url: string): string {
  return url
    .replace(/:format/g, 'json')
    .replace(/:[A-Za-z]+/g, () => uuidv7())
    .replace(/\*$/, 'x');
}

describe.each(dialects)('request bodies on %s', (dialect) => {
  let admin: Session;
  /** Holds user.manage: the account routes read the body only for a caller who holds it. */
  let security: Session;
  let port: number;

  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    const user = await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county });
    admin = await login(ctx.app, user.phone, PASSWORD);
    const securityUser = await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county });
    security = await login(ctx.app, securityUser.phone, PASSWORD);
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    port = (ctx.app.server.address() as AddressInfo).port;
  });

  it('refuses 10 MB of every content type at every route within a second, while /healthz stays quick', async () => {
    const routes = ctx.app.routeTable.filter((r) => BODY_METHODS.has(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const types = [...new Set(['application/json', 'text/plain', ...routes.flatMap((r) => r.consumes)])];

    let probing = true;
    const health: number[] = [];
    const prober = (async () => {
      while (probing) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        await response.text();
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const slow: string[] = [];
    const refusedBadly: string[] = [];
    for (const route of routes) {
      const url = concreteUrl(route.url);
      for (const type of types) {
        const signedIn: Record<string, string> = { cookie: `cz_session=${admin.cookie}`, 'x-csrf-token': admin.csrfToken };
        for (const headers of [{}, signedIn]) {
          const answer = await sendBody(port, route.method, url, type, TEN_MB, headers);
          const label = `${route.method} ${route.url} ${type}${'cookie' in headers ? ' (signed in)' : ''}`;
          if (answer.status < 400 || answer.status >= 500) refusedBadly.push(`${label} -> ${answer.status}`);
          if (answer.ms > 1000) slow.push(`${label} took ${Math.round(answer.ms)} ms`);
          // An error answer is a few hundred bytes, whatever was sent.
          expect(answer.bytes, label).toBeLessThan(4096);
        }
      }
    }
    probing = false;
    await prober;

    expect(refusedBadly).toEqual([]);
    expect(slow).toEqual([]);
    // The event loop never stalls: nearly every probe is under 100 ms, and none waits a second
    // (a shared CI machine may pause any process now and then).
    health.sort((a, b) => a - b);
    expect(health.length).toBeGreaterThan(5);
    expect(health[Math.floor(health.length * 0.95)]).toBeLessThan(100);
    expect(health[health.length - 1]).toBeLessThan(1000);
  }, 600_000);

  it('turns away a gateway or device route without a key or a session before judging its body', async () => {
    for (const url of ['/api/care/readings', `/api/care/device/commands/${uuidv7()}/ack`]) {
      const response = await ctx.app.inject({ method: 'POST', url, payload: {} });
      expect(response.statusCode, url).toBe(401);
    }
  });

  it('refuses a picture sent to a JSON route with 415 before reading it', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/cases/',
      headers: { 'content-type': 'image/jpeg' },
      payload: Buffer.alloc(1_048_576, 0xff),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
    expect(response.body.length).toBeLessThan(300);
  });

  it('answers a CSV body to the applications route with 415, and an oversized JSON body with 413', async () => {
    const csv = await admin.request({
      method: 'POST',
      url: '/api/services/applications',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b\n'.repeat(2 * 1_048_576),
    });
    expect(csv.statusCode).toBe(415);
    const big = await admin.request({
      method: 'POST',
      url: '/api/services/applications',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ note: 'x'.repeat(2 * 1_048_576) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
  });

  it('reports one problem for a body of many, naming the field without repeating the input', async () => {
    const hostile = '<script>alert(1)</script>';
    const response = await security.post('/api/org/users', {
      phone: hostile,
      displayName: hostile.repeat(100),
      password: 42,
      [hostile]: hostile,
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details).toHaveLength(1);
    expect(response.body).not.toContain('script');
  });

  it('does not quote a broken JSON body back', async () => {
    const response = await security.request({
      method: 'POST',
      url: '/api/org/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone": "1380000", <secret-marker>',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('secret-marker');
  });

  it('takes JSON types as sent: no coercion of booleans or strings to numbers', async () => {
    // A redemption of `true` goods was once taken as 1.
    const response = await admin.post('/api/points/redemptions', { householdId: uuidv7(), goodsId: uuidv7(), quantity: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].field).toBe('body.quantity');
    const numeric = await admin.post('/api/points/redemptions', { householdId: uuidv7(), goodsId: uuidv7(), quantity: '2' });
    expect(numeric.statusCode).toBe(400);
  });

  it('still reads numbers from query strings, which are text by nature', async () => {
    const response = await admin.get('/api/org/households?limit=5');
    expect(response.statusCode).toBe(200);
    const bad = await admin.get('/api/org/households?limit=five');
    expect(bad.statusCode).toBe(400);
  });

  it('refuses control characters in stored text and in queries, keeping line breaks', async () => {
    const report = { source: 'villagerVoice', channel: 'app', categoryId: uuidv7(), regionId: uuidv7(), title: 'a', description: 'x' };
    const nul = await admin.post('/api/cases/', { ...report, title: 'bad\u0000title' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details[0]).toEqual({ field: 'body.title', problem: 'must not contain control characters' });
    // Deep in a batch, the field named is the one that holds it.
    const batch = await admin.post('/api/care/readings', {
      readings: [
        { device: 'BR-1', kind: 'heartRate', value: 70, at: '2026-12-01T08:00:00Z' },
        { device: 'BR-1', id: 'r\u0007', kind: 'heartRate', value: 70, at: '2026-12-01T08:00:00Z' },
      ],
    });
    expect(batch.statusCode).toBe(400);
    expect(batch.json().error.details[0]).toEqual({ field: 'body.readings.1.id', problem: 'must not contain control characters' });
    const terminalCode = await admin.post('/api/cases/', { ...report, description: 'line one\n\u001b[31m' });
    expect(terminalCode.json().error.details[0].field).toBe('body.description');
    for (const hidden of ['\u0085', '\u009b', '\u202e', '\u2067']) {
      const refused = await admin.post('/api/cases/', { ...report, title: `invoice${hidden}fdp.exe` });
      expect(refused.json().error.details[0].problem, JSON.stringify(hidden)).toBe('must not contain control characters');
    }
    // Tabs and line breaks are text: the same body with them passes validation and meets the
    // next check (here, the unknown category).
    const lines = await admin.post('/api/cases/', { ...report, description: 'line one\r\nline\ttwo' });
    expect(lines.json().error.code).not.toBe('validation_failed');
    const bell = await admin.get('/api/org/households?q=%07');
    expect(bell.statusCode).toBe(400);
    const query = await admin.get('/api/org/households?q=%00');
    expect(query.statusCode).toBe(400);
  });
});
