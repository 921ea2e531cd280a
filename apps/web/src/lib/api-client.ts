// One fetch wrapper: JSON in and out, the CSRF token on writes, the user's language, typed errors.
// A write never leaves without the session's token: after an offline start it asks the server for
// it first, and a write refused 403 `csrf_failed` goes again once with a fresh one.
import i18n from './i18n.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken = '';
/** The session came from the copy kept for offline use, which holds no token (src/sw.ts). */
let csrfTokenUnknown = false;
export function setCsrfToken(token: string): void {
  csrfToken = token;
  csrfTokenUnknown = false;
}
/** The session is known but not its token (or the server refused it): the next write asks the server for it. */
export function markCsrfTokenUnknown(): void {
  csrfTokenUnknown = true;
}

/** The answers the service worker keeps for offline use (src/sw.ts, lib/offline-data.ts). */
const OFFLINE_DATA_CACHE = 'cunzhi-data';

/**
 * Asks the server for the session's token. Only the server's own answer holds one: the copy the
 * service worker serves when the network does not answer (offline, or a signal only just back) has
 * it blanked, and nothing is learnt from it. Answers 'known', 'signedOut' (the server says nobody
 * is: the write goes and is refused 401, which the outbox keeps) or 'unknown'.
 */
async function askCsrfToken(): Promise<'known' | 'signedOut' | 'unknown'> {
  try {
    const answer = await fetch('/api/auth/current', { credentials: 'same-origin', cache: 'no-store' });
    if (!answer.ok) return 'unknown';
    const { session } = (await answer.json()) as { session: { csrfToken?: string } | null };
    if (session?.csrfToken) {
      setCsrfToken(session.csrfToken);
      return 'known';
    }
    // A kept copy of a session is never a copy of nobody (src/sw.ts clears it then): null is the server's.
    return session === null ? 'signedOut' : 'unknown';
  } catch {
    return 'unknown';
  }
}

let csrfTokenAsked: Promise<'known' | 'signedOut' | 'unknown'> | undefined;
/**
 * Makes sure a write can show the session's token: after an offline start (the session came from
 * the kept copy) or a refused token, asks the server first. False when the server could not be
 * asked: a write sent now would only be refused 403 `csrf_failed`, so it is not sent (the outbox
 * keeps it for the next try).
 */
export async function ensureCsrfToken(): Promise<boolean> {
  if (!csrfTokenUnknown) return true;
  csrfTokenAsked ??= askCsrfToken().finally(() => {
    csrfTokenAsked = undefined;
  });
  return (await csrfTokenAsked) !== 'unknown';
}
export function getCsrfToken(): string {
  return csrfToken;
}

type Options = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (a picture), with its own type. */
  file?: Blob;
  /** The same key on a retried write lets the server do the work once and answer the same. */
  idempotencyKey?: string;
};

/**
 * The one place a request leaves the browser, so every call (a page's query, a form's write, the
 * outbox sending what waited) carries the same headers. Answers with the response when it is a
 * 2xx; a refusal or a lost network is thrown as an ApiError.
 */
export async function request(path: string, options: Options = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { 'accept-language': i18n.language };
  if (options.file) headers['content-type'] = options.file.type || 'application/octet-stream';
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const send = async (): Promise<Response> => {
    if (method === 'GET') return leave(path, method, headers, options);
    if (!(await ensureCsrfToken())) throw networkError();
    return leave(path, method, { ...headers, 'x-csrf-token': csrfToken }, options);
  };
  let response = await send();
  let refusal = response.ok ? undefined : await refusalOf(response);
  // The token was not (or no longer) the session's: the server refused before doing anything, so
  // the same write, with the same idempotency key, goes again once with the token asked afresh.
  if (method !== 'GET' && refusal?.status === 403 && refusal.code === 'csrf_failed') {
    markCsrfTokenUnknown();
    response = await send();
    refusal = response.ok ? undefined : await refusalOf(response);
  }
  if (refusal) throw refusal;
  return response;
}

const networkError = () => new ApiError(0, 'network', i18n.language === 'en' ? 'No network connection' : '网络连接失败');

/**
 * A task of its own for each request. A page's reads start together when React mounts its
 * components (react-query fetches as each observer subscribes, all in one pass of effects), and
 * fetch() itself is not cheap for the main thread: in a trace of the villager's home page loading
 * (chromium, 4× CPU slowdown as Lighthouse's phone, 2026-12-03, a busy machine) the effects that
 * started the tiles' nine reads were one task of 268 ms, 88 of them inside fetch(). Each request
 * now goes out in a task of its own, between which the phone can answer a tap. scheduler.yield()
 * resumes ahead of other waiting tasks where the browser has it.
 */
function ownTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

async function leave(path: string, method: string, headers: Record<string, string>, options: Options): Promise<Response> {
  let response: Response;
  await ownTask();
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw networkError();
  }
  // The session ended (run out, ended elsewhere): what was kept of it for offline use goes with it.
  // The outbox's waiting steps are kept elsewhere and stay for the person to send after signing in.
  if (response.status === 401 && typeof caches !== 'undefined') void caches.delete(OFFLINE_DATA_CACHE);
  return response;
}

async function refusalOf(response: Response): Promise<ApiError> {
  const data = await response.json().catch(() => ({}));
  const error = (data as { error?: { code: string; message: string; details?: unknown } }).error;
  return new ApiError(response.status, error?.code ?? 'unknown', error?.message ?? response.statusText, error?.details);
}

/** A JSON endpoint: the parsed answer (nothing for a 204). */
export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => ({}))) as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
