// What the app keeps so that the phone pages open with no network, and who it is kept for.
//
// The service worker (src/sw.ts) keeps the last answer of each API read a phone page needs (its
// allowlist; never a desk page's read nor a reveal) in the 'cunzhi-data' cache and serves it when
// there is no network, telling the page how old it is. We keep answers there
// rather than persisting react-query's cache: it needs no change to any page or query, it also
// covers the reads made before React starts (the session), and one cache.delete() removes it all.
//
// That data is personal, so it lives no longer than the person's own session on this device:
// clearOfflineData() is called at logout (lib/session.ts), noteSignedIn() clears it when another
// person signs in, and a 401 (the session ended) clears it (src/sw.ts, lib/api-client.ts). What the outbox holds is sent only as the person who saved it (lib/outbox.ts).
import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError } from './api-client.ts';
import i18n from './i18n.ts';
import { offlineWordsEn, offlineWordsZh } from './offline-words.ts';
import { setOutboxOwner } from './outbox.ts';

i18n.addResourceBundle('zh-CN', 'offline', offlineWordsZh);
i18n.addResourceBundle('en', 'offline', offlineWordsEn);

const DATA_CACHE = 'cunzhi-data';
const USER_KEY = 'cunzhi.offline.user';
const LOGGED_OUT_KEY = 'cunzhi.offline.loggedOut';
/** Whom the service worker was last asked to keep the report form's reads for (warmAhead). */
let warmedFor: string | undefined;

/** Deletes every API answer kept for offline use. Called at logout and when another person signs in. */
export async function clearOfflineData(): Promise<void> {
  localStorage.setItem(LOGGED_OUT_KEY, '1');
  warmedFor = undefined;
  staleSince = undefined;
  publish();
  if ('caches' in window) await caches.delete(DATA_CACHE);
}

/**
 * Who is signed in now (from the session query). Another person than the last one: the last one's
 * kept data goes. The outbox sends what this person saved, and only that.
 */
export async function noteSignedIn(userId: string): Promise<void> {
  const last = localStorage.getItem(USER_KEY);
  localStorage.removeItem(LOGGED_OUT_KEY);
  if (last !== userId) {
    if (last !== null && 'caches' in window) await caches.delete(DATA_CACHE);
    localStorage.setItem(USER_KEY, userId);
  }
  setOutboxOwner(userId);
  warmAhead(userId);
}

/**
 * Asks the service worker to keep ahead what the 随手拍 form needs offline (src/sw.ts
 * warmReportForm): a villager who installed the app and never opened the form online can still
 * write a report without signal. Once per page load and person; the worker skips what it kept lately.
 */
function warmAhead(userId: string): void {
  if (warmedFor === userId || !('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  warmedFor = userId;
  void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ source: 'cunzhi-page', type: 'signed-in' }));
}

/** The person whose session this device last had (whose waiting steps the sign-in notice speaks of). */
export function lastSignedIn(): string | undefined {
  return localStorage.getItem(USER_KEY) ?? undefined;
}

/** Whether the last person logged out themselves (rather than their session running out). */
export function loggedOutByChoice(): boolean {
  return localStorage.getItem(LOGGED_OUT_KEY) === '1';
}

// --- what the page shows: since when its data is only the kept copy ---

/** The oldest kept answer shown since the network last answered; undefined while the network answers. */
let staleSince: number | undefined;
let offline = typeof navigator !== 'undefined' && !navigator.onLine;
const listeners = new Set<() => void>();
type OfflineState = { offline: boolean; staleSince?: number };
let state: OfflineState = { offline, staleSince };

function publish() {
  state = { offline: offline || staleSince !== undefined, staleSince };
  for (const listener of listeners) listener();
}

type WorkerMessage = { source?: string; type?: string; storedAt?: number };

/** Listens to the service worker and the browser's own online/offline events. Called once at start. */
export function watchOfflineData(): void {
  window.addEventListener('online', () => {
    // Back online, pages read afresh; the note of old data goes too, or it would stay on a page whose
    // reads are all still fresh enough not to be repeated.
    offline = false;
    staleSince = undefined;
    publish();
  });
  window.addEventListener('offline', () => {
    offline = true;
    publish();
  });
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
    if (event.data?.source !== 'cunzhi-sw') return;
    if (event.data.type === 'network') staleSince = undefined;
    else if (event.data.type === 'kept' && event.data.storedAt)
      staleSince = Math.min(staleSince ?? Number.POSITIVE_INFINITY, event.data.storedAt);
    publish();
  });
  navigator.serviceWorker.startMessages();
}

/** The pages whose reads the service worker keeps (its PHONE_PAGE). */
const PHONE_PAGE = /^\/($|m\/|notifications$)/;

/**
 * Registers the service worker after the page has loaded, so it never competes with the first load.
 * On the very first visit the page's reads went by before the worker was there to keep them, and a
 * family member who opened /m/family once, online, found nothing kept offline: when the new worker
 * takes the page over (clients.claim in src/sw.ts), `readAgain` reads the page's data once more,
 * through it. Not when a worker already had the page (an update): what it read was kept.
 */
export function registerServiceWorker(readAgain: () => Promise<unknown>): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  if (!navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener(
      'controllerchange',
      () => {
        // Only a phone page's reads are kept (src/sw.ts): the wall screen and the desk read nothing again.
        const again = PHONE_PAGE.test(window.location.pathname) ? readAgain() : Promise.resolve();
        // Marked when done, for the browser tests that then take away what a page kept (e2e/browser.ts).
        void again.finally(() => document.documentElement.setAttribute('data-read-again', ''));
      },
      { once: true },
    );
  }
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

export function useOfflineState(): OfflineState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

// --- a read the page could not make: "not loaded yet", never "nothing there" ---

/** What of a read (a react-query result) tells whether it has anything to show and why not. */
export type ReadState = { data?: unknown; fetchStatus: string; error?: unknown; failureReason?: unknown };

/**
 * Whether a read has nothing to show because the network did not answer and nothing was kept for
 * offline use: the page says "not loaded yet" rather than its empty state (a false "nothing"). With
 * networkMode 'offlineFirst' a read that failed offline waits (paused) and is made again once online.
 */
export function notLoadedForNetwork(read: ReadState): boolean {
  if (read.data !== undefined) return false;
  if (read.fetchStatus === 'paused') return true;
  const reason = read.error ?? read.failureReason;
  return reason instanceof ApiError && reason.code === 'network';
}

/**
 * Whether any read the page shows now (an active query) has nothing for want of network: for a list
 * that is not told which read it draws (components/ItemList.tsx).
 */
export function useSomeReadNotLoaded(): boolean {
  const cache = useQueryClient().getQueryCache();
  return useSyncExternalStore(
    (listener) => cache.subscribe(listener),
    () =>
      cache.findAll({ type: 'active' }).some((query) =>
        notLoadedForNetwork({
          data: query.state.data,
          fetchStatus: query.state.fetchStatus,
          error: query.state.error,
          failureReason: query.state.fetchFailureReason,
        }),
      ),
  );
}
