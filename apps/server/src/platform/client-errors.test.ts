// What Node's HTTP parser refuses before Fastify sees a request (attacker: a DEL byte in a header
// was answered in Fastify's English text): the platform's error shape, 400 or 431, and nothing of the
// request said back.

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/build-test-app.ts';

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('a request the HTTP parser cannot read', () => {
  let port = 0;
  const ctx = useTestApp('sqlite', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
  });

  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

  it('answers a control character in a header with 400 in the platform error shape, not repeating it', async () => {
    const answer = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nIdempotency-Key: secret\x7fkey\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(answer)).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
    expect(answer).not.toContain('secret');
  });

  it('answers headers over the limit with 431 in the platform error shape', async () => {
    const answer = await raw(port, `GET /healthz?ids=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(answer).error.code).toBe('validation_failed');
    expect(answer).not.toContain('aaaa');
  });
});
