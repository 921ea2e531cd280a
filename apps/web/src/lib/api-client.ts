// One fetch wrapper: JSON in and out, the CSRF token on writes, the user's language, typed errors.
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
let csrfTokenAsked: Promise<void> | undefined;
export function setCsrfToken(token: string): void {
  csrfToken = token;
  csrfTokenUnknown = false;
}
/** The session is known but not its token: the first write asks the server for it. */
export function markCsrfTokenUnknown(): void {
  csrfTokenUnknown = true;
}

/** The answers the service worker keeps for offline use (src/sw.ts, lib/offline-data.ts). */
const OFFLINE_DATA_CACHE = 'cunzhi-data';

async function askCsrfToken(): Promise<void> {
  try {
    const answer = await fetch('/api/auth/current', { credentials: 'same-origin' });
    const { session } = (await answer.json()) as { session: { csrfToken: string } | null };
    if (session?.csrfToken) setCsrfToken(session.csrfToken);
  } catch {
    // No network: the write that asked fails the same way and waits in the outbox.
  }
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
  if (method !== 'GET' && csrfTokenUnknown) {
    csrfTokenAsked ??= askCsrfToken().finally(() => {
      csrfTokenAsked = undefined;
    });
    await csrfTokenAsked;
  }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError(0, 'network', i18n.language === 'en' ? 'No network connection' : '网络连接失败');
  }
  // The session ended (run out, ended elsewhere): what was kept of it for offline use goes with it.
  // The outbox's waiting steps are kept elsewhere and stay for the person to send after signing in.
  if (response.status === 401 && typeof caches !== 'undefined') void caches.delete(OFFLINE_DATA_CACHE);
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    const error = (data as { error?: { code: string; message: string; details?: unknown } }).error;
    throw new ApiError(response.status, error?.code ?? 'unknown', error?.message ?? response.statusText, error?.details);
  }
  return response;
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
