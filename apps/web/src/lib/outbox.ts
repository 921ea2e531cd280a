// Actions taken on a phone are written to an outbox in the browser (IndexedDB) first and sent from
// there, in order, when there is a network. Each carries its own id as its Idempotency-Key, so a
// send whose answer was lost is sent again safely: the server does the work once and answers the
// same. Online, the outbox simply empties at once; offline, it waits for the network to come back.
import { useSyncExternalStore } from 'react';
import { getCsrfToken } from './api-client.ts';
import { newId } from './new-id.ts';

export type OutboxItem = {
  id: string;
  path: string;
  /** JSON body, or a file (a photo) sent as it is. */
  json?: unknown;
  file?: Blob;
  /** What the person did, shown while it waits: 接单 / Accept … */
  label: string;
  /** The case (or other thing) it acts on, so pages can show what is still waiting. */
  subjectId?: string;
  action?: string;
  createdAt: number;
};

export type OutboxFailure = { id: string; label: string; message: string };

type Snapshot = { pending: OutboxItem[]; failures: OutboxFailure[]; sending: boolean };

const DB_NAME = 'cunzhi-outbox';
const STORE = 'items';
let snapshot: Snapshot = { pending: [], failures: [], sending: false };
const listeners = new Set<() => void>();
const sentListeners = new Set<(item: OutboxItem) => void>();

function publish(next: Partial<Snapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const listener of listeners) listener();
}

let database: Promise<IDBDatabase> | undefined;
function open(): Promise<IDBDatabase> {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

async function store<T>(mode: IDBTransactionMode, work: (objects: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

async function readAll(): Promise<OutboxItem[]> {
  const items = await store<OutboxItem[]>('readonly', (objects) => objects.getAll() as IDBRequest<OutboxItem[]>);
  return items.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

let order = 0;
export async function enqueue(item: Omit<OutboxItem, 'id' | 'createdAt'> & { id?: string }): Promise<string> {
  const full: OutboxItem = { ...item, id: item.id ?? newId(), createdAt: Date.now() * 1000 + (order++ % 1000) };
  await store('readwrite', (objects) => objects.put(full));
  publish({ pending: await readAll() });
  void flush();
  return full.id;
}

/** Transient: try again later. Anything else is final, and the person is told. */
const RETRY_STATUSES = new Set([0, 401, 408, 425, 429, 500, 502, 503, 504]);

async function send(item: OutboxItem): Promise<{ ok: boolean; status: number; message: string }> {
  const headers: Record<string, string> = { 'idempotency-key': item.id, 'x-csrf-token': getCsrfToken() };
  if (item.file) headers['content-type'] = item.file.type || 'application/octet-stream';
  else headers['content-type'] = 'application/json';
  try {
    const response = await fetch(item.path, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: item.file ?? JSON.stringify(item.json ?? {}),
    });
    const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    return { ok: response.ok, status: response.status, message: data.error?.message ?? response.statusText };
  } catch {
    return { ok: false, status: 0, message: 'network' };
  }
}

let flushing: Promise<void> | undefined;

/**
 * Sends what waits, oldest first; stops at the first transient failure and keeps the rest. Items
 * added while a send is under way are picked up by the same run.
 */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    publish({ sending: true });
    let blocked = false;
    try {
      while (!blocked) {
        const waiting = await readAll();
        if (waiting.length === 0) break;
        for (const item of waiting) {
          const result = await send(item);
          if (!result.ok && RETRY_STATUSES.has(result.status)) {
            blocked = true;
            break;
          }
          await store('readwrite', (objects) => objects.delete(item.id));
          if (result.ok) for (const listener of sentListeners) listener(item);
          else publish({ failures: [...snapshot.failures, { id: item.id, label: item.label, message: result.message }] });
          publish({ pending: await readAll() });
        }
      }
    } finally {
      flushing = undefined;
      const left = await readAll();
      publish({ sending: false, pending: left });
      // Something added just as the run ended goes now, not at the next retry.
      if (left.length > 0 && !blocked) void flush();
    }
  })();
  return flushing;
}

export function dismissFailure(id: string): void {
  publish({ failures: snapshot.failures.filter((f) => f.id !== id) });
}

/** Called after each item the server accepted (pages refresh what it changed). */
export function onSent(listener: (item: OutboxItem) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

let started = false;
/** Sends on start, whenever the browser comes back online, and every 15 s while something waits. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flush());
  setInterval(() => {
    if (snapshot.pending.length > 0 && navigator.onLine) void flush();
  }, 15_000);
  void readAll().then((pending) => {
    publish({ pending });
    if (pending.length > 0) void flush();
  });
}

export function useOutbox(): Snapshot {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}
