// Every request leaves through request(): a page's query, a form's write and the outbox's queued
// command carry the same language, CSRF token, idempotency key and content type.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The i18n set-up reads the stored language when it loads; node has no localStorage.
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
const { ApiError, api, markCsrfTokenUnknown, request, setCsrfToken } = await import('./api-client.ts');

type Sent = { path: string; init: RequestInit };
let sent: Sent[] = [];

function answer(status: number, body?: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      sent.push({ path, init });
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    }),
  );
}

const headersOf = (index = 0) => sent[index]?.init.headers as Record<string, string>;

describe('api client', () => {
  beforeEach(() => {
    sent = [];
    setCsrfToken('csrf-1');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks in the page language and sends no CSRF token on a read', async () => {
    answer(200, { items: [] });
    expect(await api('/api/cases')).toEqual({ items: [] });
    expect(headersOf()).toEqual({ 'accept-language': 'zh-CN' });
  });

  it('sends a JSON write with the CSRF token and its idempotency key', async () => {
    answer(201, { id: 'c1' });
    await api('/api/cases', { method: 'POST', body: { title: 'x' }, idempotencyKey: 'key-1' });
    expect(headersOf()).toEqual({
      'accept-language': 'zh-CN',
      'content-type': 'application/json',
      'x-csrf-token': 'csrf-1',
      'idempotency-key': 'key-1',
    });
    expect(sent[0]?.init.body).toBe('{"title":"x"}');
  });

  it('sends a photo as it is, with its own type', async () => {
    answer(204);
    const photo = new Blob(['jpeg'], { type: 'image/jpeg' });
    expect(await api('/api/cases/c1/photos?stage=report', { method: 'POST', file: photo, idempotencyKey: 'key-2' })).toBeUndefined();
    expect(headersOf()['content-type']).toBe('image/jpeg');
    expect(headersOf()['idempotency-key']).toBe('key-2');
    expect(sent[0]?.init.body).toBe(photo);
  });

  it('asks for the CSRF token before the first write when the session came from the kept offline copy', async () => {
    markCsrfTokenUnknown();
    answer(200, { session: { csrfToken: 'csrf-fresh' } });
    await api('/api/cases', { method: 'POST', body: {} });
    await api('/api/cases', { method: 'POST', body: {} });
    expect(sent.map((request) => request.path)).toEqual(['/api/auth/current', '/api/cases', '/api/cases']);
    expect(headersOf(1)['x-csrf-token']).toBe('csrf-fresh');
    expect(headersOf(2)['x-csrf-token']).toBe('csrf-fresh');
  });

  it('does not send a write while only the kept copy of the session answers (no token): it fails as no network', async () => {
    markCsrfTokenUnknown();
    answer(200, { session: { csrfToken: '' } });
    const refused = await request('/api/cases/c1/transitions', {
      method: 'POST',
      body: { action: 'checkIn' },
      idempotencyKey: 'key-3',
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 0, code: 'network' });
    expect(sent.map((request) => request.path)).toEqual(['/api/auth/current']);
  });

  it('sends a write refused 403 csrf_failed again once, with a fresh token and the same idempotency key', async () => {
    setCsrfToken('csrf-stale');
    const answers = [
      new Response(JSON.stringify({ error: { code: 'csrf_failed', message: '请求校验失败' } }), { status: 403 }),
      new Response(JSON.stringify({ session: { csrfToken: 'csrf-fresh' } }), { status: 200 }),
      new Response(JSON.stringify({ id: 'c1' }), { status: 200 }),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        sent.push({ path, init });
        return answers.shift() as Response;
      }),
    );
    expect(await api('/api/cases/c1/transitions', { method: 'POST', body: { action: 'checkIn' }, idempotencyKey: 'key-4' })).toEqual({
      id: 'c1',
    });
    expect(sent.map((request) => request.path)).toEqual(['/api/cases/c1/transitions', '/api/auth/current', '/api/cases/c1/transitions']);
    expect(headersOf(0)['x-csrf-token']).toBe('csrf-stale');
    expect(headersOf(2)['x-csrf-token']).toBe('csrf-fresh');
    expect(headersOf(0)['idempotency-key']).toBe('key-4');
    expect(headersOf(2)['idempotency-key']).toBe('key-4');
  });

  it('does not send again a write refused 403 for another reason', async () => {
    answer(403, { error: { code: 'forbidden', message: '无权限' } });
    const refused = await request('/api/cases/c1/transitions', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
    expect(sent).toHaveLength(1);
  });

  it('deletes the answers kept for offline use on a 401, and only those', async () => {
    const deleted: string[] = [];
    vi.stubGlobal('caches', { delete: async (name: string) => deleted.push(name) });
    answer(401, { error: { code: 'not_authenticated', message: '请先登录' } });
    await request('/api/cases', { method: 'POST', body: {} }).catch(() => undefined);
    expect(deleted).toEqual(['cunzhi-data']);
  });

  it("throws a refusal as an ApiError with the server's code and message", async () => {
    answer(409, { error: { code: 'insufficient_balance', message: '积分不足' } });
    const refused = await request('/api/points/redemptions', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 409, code: 'insufficient_balance', message: '积分不足' });
  });

  it('throws a lost network as status 0, which the outbox keeps for later', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(request('/api/cases')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
