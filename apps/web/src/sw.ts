// The service worker: the phone pages open with no network, showing the last data they had.
//
// - The app shell (index.html, the entry and the phone pages' chunks, the manifest and icons) is
//   precached at install; vite.config.ts writes the list (PRECACHE) and the build's VERSION in.
// - A page load (navigation) goes to the network first and falls back to the cached shell, which
//   routes on the client as usual.
// - Hashed assets (/assets/*) never change: cache first; what a page loads online is kept too.
// - API reads go to the network first. Only what the phone pages need offline is kept: a read made
//   by a phone page (`/`, `/m/*`, `/notifications`) of a path on PHONE_READS, answered 200 with
//   JSON; kept dated, and with no network the kept answer is served and the page is told how old it
//   is (a message to the page, shown as 「离线 · 数据更新于 HH:mm」). Desk pages' reads and reveals
//   (an ID number, a key) are never kept: such an answer outlived the session in this cache once.
//   The session's answer is kept without its CSRF token. The page clears what was kept at logout
//   and when another person signs in (lib/offline-data.ts), and a 401 from any API request (the
//   session ended) clears it here and in lib/api-client.ts, so it never outlives the person's own
//   session on the device. The outbox of waiting steps is not in this cache and stays.
// - What the 随手拍 form (/m/report) needs to be written offline is kept ahead, even on a phone that
//   never opened it online: when a page says someone is signed in (lib/offline-data.ts), this worker
//   reads the session, the kinds of problem and the villager's own household (for the village)
//   itself and keeps them as above, dated, through the same allowlist (warmReportForm).
// - Writes are never touched: they wait in the outbox (lib/outbox.ts) and are sent from the page.
//
// Written against the small part of the service-worker API it uses, declared here, so that this file
// type-checks in the web app's DOM program without the WebWorker library.

type ExtendableEvent = Event & { waitUntil(work: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; clientId: string; respondWith(answer: Promise<Response>): void };
type WindowClient = { url: string; postMessage(message: unknown): void };
type ExtendableMessageEvent = ExtendableEvent & { data: unknown; origin: string };
type Worker = {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; get(id: string): Promise<WindowClient | undefined> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
};

declare const PRECACHE_LIST: string[];
declare const BUILD_VERSION: string;
const worker = self as unknown as Worker;

const SHELL_CACHE = `cunzhi-shell-${BUILD_VERSION}`;
const ASSET_CACHE = 'cunzhi-assets';
/** Personal data: the page deletes it at logout and when another person signs in (lib/offline-data.ts). */
const DATA_CACHE = 'cunzhi-data';
const STORED_AT = 'x-cunzhi-stored-at';
/**
 * The API reads the phone pages make, kept for offline use (a path, without its query). An allowlist:
 * a new phone page's read is added here, or that page simply shows no data offline.
 */
const PHONE_READS: RegExp[] = [
  /^\/api\/auth\/current$/,
  /^\/api\/platform-info$/,
  /^\/api\/org\/(household-counts|regions|households\/[\w-]+)$/,
  /^\/api\/notifications$/,
  /^\/api\/notices\/(inbox|[\w-]+)$/,
  /^\/api\/cases$/,
  /^\/api\/cases\/(categories|[\w-]+)$/,
  /^\/api\/points\/(claims|redemptions|accounts\/[\w-]+)$/,
  /^\/api\/points\/villages\/[\w-]+\/(goods|rankings|rules)$/,
  /^\/api\/care\/(elders|alarms|rounds|missed-visits|calls)$/,
  /^\/api\/care\/elders\/[\w-]+\/(home|readings|trends|visits)$/,
  /^\/api\/services\/(catalogue|items|applications|applications\/[\w-]+)$/,
  /^\/api\/poverty\/(tasks|self-reports\/mine|monitored\/[\w-]+|monitored\/[\w-]+\/steps)$/,
  /^\/api\/agri\/(today|weather|questions|questions\/[\w-]+|farms\/[\w-]+|farms\/[\w-]+\/(advice|flocks|plots))$/,
  /^\/api\/monitoring\/evidence\/(cameras|requests)$/,
];
/** Reveals are audited one by one and never kept, whatever page asked and whatever the list above says. */
const REVEAL = /\/(id-number|push-key|evidence-key|package)(\/|$)/;
/** The pages that open offline; any other page's reads are not kept. */
const PHONE_PAGE = /^\/($|m\/|notifications$)/;

/** A network that neither answers nor fails (a weak village signal) is given this long before the kept answer is shown. */
const API_PATIENCE_MS = 8000;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE_LIST))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name.startsWith('cunzhi-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name))),
      )
      // The assets of older builds are dropped with them: a new build's chunks have new names.
      .then(() => caches.delete(ASSET_CACHE))
      // So are the answers an older build kept: it may have kept what this one would not (before the
      // allowlist, a desk page's reveal of an ID number). The next visit online keeps them afresh.
      .then(() => caches.delete(DATA_CACHE))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    // The live stream stays a live stream; photos and files are not kept.
    if (request.headers.get('accept')?.includes('text/event-stream')) return;
    event.respondWith(apiRead(event));
    return;
  }
  if (url.pathname.startsWith('/open311/') || url.pathname.startsWith('/fhir/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
    return;
  }
  event.respondWith(asset(request));
});

/** A kept answer younger than this is not read again ahead of time (the page refreshes it when opened online). */
const WARM_AGAIN_MS = 6 * 60 * 60_000;

worker.addEventListener('message', (event) => {
  const data = event.data as { source?: string; type?: string } | null;
  if (data?.source !== 'cunzhi-page' || data.type !== 'signed-in') return;
  event.waitUntil(warmReportForm().catch(() => undefined));
});

/**
 * Keeps what the report form reads, as the page would have: the session (without its token), the
 * platform's facts, the session's own household (its village is where the report is placed) and the
 * kinds of problem. Only paths on PHONE_READS and no reveal.
 */
async function warmReportForm(): Promise<void> {
  const requestOf = (path: string) => new Request(new URL(path, worker.location.origin).href, { credentials: 'same-origin' });
  const keptLately = async (request: Request) => {
    const kept = await caches.match(keyOf(request), { cacheName: DATA_CACHE, ignoreVary: true });
    return kept && Date.now() - (Number(kept.headers.get(STORED_AT)) || 0) < WARM_AGAIN_MS ? kept : undefined;
  };
  // The session too (without its token, as keep() does for a page): the first page after signing in
  // often read it before this worker was in control, and offline no page opens without it.
  const sessionRequest = requestOf('/api/auth/current');
  let current = await keptLately(sessionRequest);
  if (!current) {
    const answer = await fetch(sessionRequest);
    if (answer.status === 401) return void (await caches.delete(DATA_CACHE));
    if (answer.status !== 200) return;
    current = answer.clone();
    await keep(sessionRequest, answer);
  }
  const { session } = (await current.json()) as { session: { user: { householdId: string | null } } | null };
  const householdId = session?.user.householdId;
  // Nobody signed in (keep() has cleared what was kept), or someone with no household (the form is not theirs to fill).
  if (!householdId) return;
  const reads = ['/api/platform-info', '/api/cases/categories', `/api/org/households/${encodeURIComponent(householdId)}`];
  for (const path of reads) {
    if (REVEAL.test(path) || !PHONE_READS.some((read) => read.test(path))) continue;
    const request = requestOf(path);
    if (await keptLately(request)) continue;
    const answer = await fetch(request);
    if (answer.status === 401) return void (await caches.delete(DATA_CACHE));
    if (answer.status === 200 && answer.headers.get('content-type')?.includes('application/json')) await keep(request, answer);
  }
}

async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match('/index.html', { cacheName: SHELL_CACHE })) ?? Response.error();
  }
}

async function asset(request: Request): Promise<Response> {
  const kept = await caches.match(request, { ignoreVary: true });
  if (kept) return kept;
  const answer = await fetch(request);
  // A build's file missing on the server comes back as index.html (client routing): never kept as the asset.
  const html = answer.headers.get('content-type')?.includes('text/html');
  if (answer.ok && !html && new URL(request.url).pathname.startsWith('/assets/')) {
    const copy = answer.clone();
    void caches.open(ASSET_CACHE).then((cache) => cache.put(request, copy));
  }
  return answer;
}

async function apiRead(event: FetchEvent): Promise<Response> {
  const request = event.request;
  const keptFor = await keepsFor(event);
  const network = fetch(request).then((answer) => {
    // The session ended: nothing of it stays on the device (the outbox is elsewhere and waits).
    if (answer.status === 401) event.waitUntil(caches.delete(DATA_CACHE));
    if (!keptFor) return answer;
    void tell(event.clientId, { type: 'network' });
    const json = answer.headers.get('content-type')?.includes('application/json');
    if (answer.status === 200 && json) event.waitUntil(keep(request, answer.clone()));
    return answer;
  });
  if (!keptFor) return network;
  const waited = await Promise.race([
    network.then((answer) => ({ answer })).catch(() => ({ answer: undefined })),
    new Promise<{ answer: undefined; slow: true }>((resolve) =>
      setTimeout(() => resolve({ answer: undefined, slow: true }), API_PATIENCE_MS),
    ),
  ]);
  if (waited.answer) return waited.answer;
  const kept = await caches.match(keyOf(request), { cacheName: DATA_CACHE, ignoreVary: true });
  if (!kept) return 'slow' in waited ? network : Response.error();
  await tell(event.clientId, { type: 'kept', storedAt: Number(kept.headers.get(STORED_AT)) || 0 });
  return kept;
}

/** Whether this read is one a phone page needs offline: asked by a phone page, for a path on the list, no reveal. */
async function keepsFor(event: FetchEvent): Promise<boolean> {
  const path = new URL(event.request.url).pathname;
  if (REVEAL.test(path) || !PHONE_READS.some((read) => read.test(path)) || !event.clientId) return false;
  const client = await worker.clients.get(event.clientId);
  return client !== undefined && PHONE_PAGE.test(new URL(client.url).pathname);
}

/**
 * What a read is kept under: its address without `since`. The care pages ask for the readings and
 * visits since a moment counted back from now (`?since=…`), a different address on every load, so
 * an elder's readings, visits and everything drawn with them were never found again offline.
 */
function keyOf(request: Request): Request {
  const url = new URL(request.url);
  if (!url.searchParams.has('since')) return request;
  url.searchParams.delete('since');
  return new Request(url.href, { headers: request.headers });
}

/** The answer as it came, with the time it came (the page shows it when it is served offline). */
async function keep(request: Request, answer: Response): Promise<void> {
  const headers = new Headers(answer.headers);
  headers.set(STORED_AT, String(Date.now()));
  let body: Blob | string = await answer.blob();
  // The session is kept so that the pages open offline, but not the token a write must show: a
  // kept copy is no key to act as the person (lib/api-client.ts asks afresh before a write).
  if (new URL(request.url).pathname === '/api/auth/current') {
    const session = await withoutCsrfToken(body);
    // Nobody is signed in any more (the session ended): nothing of it stays, as after a 401.
    if (session === undefined) return void (await caches.delete(DATA_CACHE));
    body = session;
    headers.delete('content-length');
  }
  const cache = await caches.open(DATA_CACHE);
  await cache.put(keyOf(request), new Response(body, { status: answer.status, statusText: answer.statusText, headers }));
}

/** The session's answer without its token; undefined when nobody is signed in. */
async function withoutCsrfToken(body: Blob): Promise<string | undefined> {
  const current = JSON.parse(await body.text()) as { session: { csrfToken?: string } | null };
  if (!current.session) return undefined;
  current.session.csrfToken = '';
  return JSON.stringify(current);
}

async function tell(clientId: string, message: { type: 'network' } | { type: 'kept'; storedAt: number }): Promise<void> {
  if (!clientId) return;
  const client = await worker.clients.get(clientId);
  client?.postMessage({ source: 'cunzhi-sw', ...message });
}

// A module to TypeScript, so its names stay out of the app's global scope; the build strips it.
export {};
