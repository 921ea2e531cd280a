// The service worker: the phone pages open with no network, showing the last data they had.
//
// - The app shell (index.html, the entry and the phone pages' chunks, the manifest and icons) is
//   precached at install; vite.config.ts writes the list (PRECACHE) and the build's VERSION in.
// - A page load (navigation) goes to the network first and falls back to the cached shell, which
//   routes on the client as usual.
// - Hashed assets (/assets/*) never change: cache first; what a page loads online is kept too.
// - API reads (GET /api/*) go to the network first and keep the last good JSON answer, dated; with no
//   network the kept answer is served and the page is told how old it is (a message to the page,
//   shown as 「离线 · 数据更新于 HH:mm」). The page clears these at logout and when another person
//   signs in (lib/offline-data.ts), so they never outlive the person's own session on the device.
// - Writes are never touched: they wait in the outbox (lib/outbox.ts) and are sent from the page.
//
// Written against the small part of the service-worker API it uses, declared here, so that this file
// type-checks in the web app's DOM program without the WebWorker library.

type ExtendableEvent = Event & { waitUntil(work: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; clientId: string; respondWith(answer: Promise<Response>): void };
type WindowClient = { postMessage(message: unknown): void };
type Worker = {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; get(id: string): Promise<WindowClient | undefined> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
};

declare const PRECACHE_LIST: string[];
declare const BUILD_VERSION: string;
const worker = self as unknown as Worker;

const SHELL_CACHE = `cunzhi-shell-${BUILD_VERSION}`;
const ASSET_CACHE = 'cunzhi-assets';
/** Personal data: the page deletes it at logout and when another person signs in (lib/offline-data.ts). */
const DATA_CACHE = 'cunzhi-data';
const STORED_AT = 'x-cunzhi-stored-at';
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
  const network = fetch(request).then((answer) => {
    void tell(event.clientId, { type: 'network' });
    const json = answer.headers.get('content-type')?.includes('application/json');
    if (answer.ok && json) event.waitUntil(keep(request, answer.clone()));
    return answer;
  });
  const waited = await Promise.race([
    network.then((answer) => ({ answer })).catch(() => ({ answer: undefined })),
    new Promise<{ answer: undefined; slow: true }>((resolve) =>
      setTimeout(() => resolve({ answer: undefined, slow: true }), API_PATIENCE_MS),
    ),
  ]);
  if (waited.answer) return waited.answer;
  const kept = await caches.match(request, { cacheName: DATA_CACHE, ignoreVary: true });
  if (!kept) return 'slow' in waited ? network : Response.error();
  await tell(event.clientId, { type: 'kept', storedAt: Number(kept.headers.get(STORED_AT)) || 0 });
  return kept;
}

/** The answer as it came, with the time it came (the page shows it when it is served offline). */
async function keep(request: Request, answer: Response): Promise<void> {
  const headers = new Headers(answer.headers);
  headers.set(STORED_AT, String(Date.now()));
  const body = await answer.blob();
  const cache = await caches.open(DATA_CACHE);
  await cache.put(request, new Response(body, { status: answer.status, statusText: answer.statusText, headers }));
}

async function tell(clientId: string, message: { type: 'network' } | { type: 'kept'; storedAt: number }): Promise<void> {
  if (!clientId) return;
  const client = await worker.clients.get(clientId);
  client?.postMessage({ source: 'cunzhi-sw', ...message });
}

// A module to TypeScript, so its names stay out of the app's global scope; the build strips it.
export {};
