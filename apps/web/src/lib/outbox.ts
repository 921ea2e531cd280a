// Actions taken on a phone are written to an outbox in the browser (IndexedDB) first and sent from
// there, in order, when there is a network. Each carries its own id as its Idempotency-Key, so a
// send whose answer was lost is sent again safely: the server does the work once and answers the
// same. Online, the outbox simply empties at once; offline, it waits for the network to come back.
//
// What waits is a typed command (a name and its body), never a path: each feature's API file
// defines its commands and how each goes over the wire (defineCommands), and the outbox sends them
// through the same client as every other request, with the same headers.
//
// Each item belongs to the person who saved it (ownerId) and is sent only while that person is
// signed in: a report saved offline never goes out under someone else's account on a shared phone.
// A 401 keeps the item: the session ran out (often while the phone was offline); the person is told
// to sign in again (app/Providers.tsx) and what waited goes out after they have. So does a 403
// `csrf_failed` (after an offline start the session is the kept copy, without its token): the
// token is asked afresh before anything is sent, and the item goes again with its same key.
// Nothing a person saved is dropped: an item the server refused for good stays in the outbox,
// marked failed, and is shown as 未能完成 (also after a reload) until the person closes the notice.
import { useSyncExternalStore } from 'react';
import { ApiError, ensureCsrfToken, request } from './api-client.ts';
import { newId } from './new-id.ts';

/** How a command goes over the wire: posted to a path with a JSON body, or a file (a photo) as it is. */
export type CommandRequest = { path: string; json?: unknown; file?: Blob };

/** A command as the outbox keeps it. Names outlive a release (a phone may hold one across an update). */
export type OfflineCommand = { name: string; body: unknown };

/** What pages see of an action while it waits. */
export type WaitingItem = {
  /** Also the Idempotency-Key of its request. */
  id: string;
  /** What the person did, shown while it waits: 接单 / Accept … */
  label: string;
  /** The case (or other thing) it acts on, so pages can show what is still waiting. */
  subjectId?: string;
  action?: string;
  createdAt: number;
  /** Who saved it; items written before owners were recorded have none and go with whoever signs in. */
  ownerId?: string;
};

/** Set when the server refused the item for good: kept (and shown) rather than dropped, never sent again. */
type Failed = { failed?: { message: string; at: number } };
type OutboxItem = WaitingItem & Failed & { command: OfflineCommand };
/** Written before commands had names: a path and its body, sent as they are. None are written any more. */
type LegacyItem = WaitingItem & Failed & { path: string; json?: unknown; file?: Blob };
type StoredItem = OutboxItem | LegacyItem;

/** What the page shows for a command while it waits. */
export type Shown = Pick<WaitingItem, 'label' | 'subjectId' | 'action'>;

export type OutboxFailure = { id: string; label: string; message: string };

type Routes = Record<string, (body: never) => CommandRequest>;
const routes = new Map<string, (body: unknown) => CommandRequest>();

/**
 * Registers how each command goes over the wire. The app registers every feature's at start
 * (app/offline-commands.ts), so whichever page is open sends what an earlier visit left waiting.
 */
export function registerCommands(...sets: Routes[]): void {
  for (const set of sets) for (const [name, route] of Object.entries(set)) routes.set(name, route as (body: unknown) => CommandRequest);
}

/**
 * A feature's offline commands, each name with the typed body it takes and how it goes over the
 * wire. `queue(name, body, shown)` sends at once when there is a network and waits in the outbox
 * when there is not.
 */
export function defineCommands<Bodies extends Record<string, unknown>>(
  set: {
    [Name in keyof Bodies]: (body: Bodies[Name]) => CommandRequest;
  },
) {
  return {
    routes: set as Routes,
    /**
     * `key`, when given, is the item's id and so its Idempotency-Key: queued again under the same
     * key (a second tap of the same action), it is the same item, sent (again) under that key.
     */
    queue: <Name extends keyof Bodies & string>(name: Name, body: Bodies[Name], shown: Shown, key?: string): Promise<string> =>
      enqueue({ command: { name, body }, ...shown }, key),
  };
}

type Snapshot = {
  /** What the signed-in person (or, signed out, the last one) saved and is still waiting. */
  pending: WaitingItem[];
  failures: OutboxFailure[];
  sending: boolean;
  /** The server answered 401: the session ended, and what waits needs the person to sign in again. */
  needsSignIn: boolean;
  /**
   * What went out after waiting (saved offline, or kept while the person signed in again), until the
   * person closes the line that says so: the page they come back to may be another, or empty.
   */
  sentLate: SentLate[];
};

/** A line saying an item that waited has gone; a photo sent with its report or step adds none of its own. */
type SentLate = { id: string; label: string; subjectId?: string };

/**
 * Items saved in this page's life and not yet held up: the send that their saving starts takes
 * them at once. One not sent then (no network, the session ended, nobody signed in) has waited, and
 * so has one found saved by an earlier visit: the person is told when it goes.
 */
const fresh = new Set<string>();

const DB_NAME = 'cunzhi-outbox';
const STORE = 'items';
let snapshot: Snapshot = { pending: [], failures: [], sending: false, needsSignIn: false, sentLate: [] };
/** The person signed in now; nothing is sent while nobody is. */
let owner: string | undefined;
/** Whose waiting items the page shows when nobody is signed in (the last person on this device). */
let shownOwner: string | undefined;
const listeners = new Set<() => void>();
const sentListeners = new Set<(item: WaitingItem, answer: unknown) => void>();

function publish(next: Partial<Snapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const listener of listeners) listener();
}

let database: Promise<IDBDatabase> | undefined;
function open(): Promise<IDBDatabase> {
  database ??= new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'id' });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  return database;
}

async function store<T>(mode: IDBTransactionMode, work: (objects: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const done = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(done.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

async function readAll(): Promise<StoredItem[]> {
  const items = await store<StoredItem[]>('readonly', (objects) => objects.getAll() as IDBRequest<StoredItem[]>);
  return items.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

const belongsTo = (person: string | undefined) => (item: StoredItem) => item.ownerId === undefined || item.ownerId === person;

/** What still waits to be sent, of whoever's items are asked for. */
async function readWaiting(person: string | undefined): Promise<StoredItem[]> {
  return (await readAll()).filter((item) => !item.failed && belongsTo(person)(item));
}

/** The items of the person signed in (or last signed in), as pages see them: what waits, and what failed. */
async function readOwn(): Promise<Pick<Snapshot, 'pending' | 'failures'>> {
  const own = (await readAll()).filter(belongsTo(owner ?? shownOwner));
  return {
    pending: own.filter((item) => !item.failed),
    failures: own.flatMap((item) => (item.failed ? [{ id: item.id, label: item.label, message: item.failed.message }] : [])),
  };
}

/**
 * Who is signed in (called with the session: lib/offline-data.ts), or undefined when nobody is.
 * Sends what that person saved.
 */
export function setOutboxOwner(userId: string | undefined, lastSignedIn?: string): void {
  owner = userId;
  shownOwner = userId ?? lastSignedIn ?? shownOwner;
  if (userId) publish({ needsSignIn: false });
  void readOwn().then((own) => {
    publish(own);
    if (owner && own.pending.length > 0) void flush();
  });
}

let order = 0;
async function enqueue(item: Omit<OutboxItem, 'id' | 'createdAt'>, key?: string): Promise<string> {
  // Caught on the developer's first tap, not after a villager's report has waited for nothing.
  if (!routes.has(item.command.name)) throw new Error(`offline command ${item.command.name} is not registered (app/offline-commands.ts)`);
  // Still waiting (or kept as failed) under this key: it is already there, in its place in the order.
  if (key && (await store<StoredItem | undefined>('readonly', (objects) => objects.get(key) as IDBRequest<StoredItem | undefined>)))
    return key;
  const full: OutboxItem = { ...item, id: key ?? newId(), createdAt: Date.now() * 1000 + (order++ % 1000), ownerId: owner };
  await store('readwrite', (objects) => objects.put(full));
  fresh.add(full.id);
  publish(await readOwn());
  void flush();
  return full.id;
}

/** Transient: try again later. Anything else is final, and the person is told. */
const RETRY_STATUSES = new Set([0, 401, 408, 425, 429, 500, 502, 503, 504]);

function wire(item: StoredItem): CommandRequest | undefined {
  if ('path' in item) return { path: item.path, json: item.json, file: item.file };
  return routes.get(item.command.name)?.(item.command.body);
}

type Sent = { ok: boolean; status: number; code?: string; message: string; answer?: unknown };

/** Not sent, or refused for a reason that passes: the item is kept and sent again later, with its same key. */
function transient(result: Sent): boolean {
  return RETRY_STATUSES.has(result.status) || (result.status === 403 && result.code === 'csrf_failed');
}

async function send(item: StoredItem): Promise<Sent> {
  const command = wire(item);
  // A name no release knows any more cannot be sent; the person is told rather than kept waiting.
  if (!command) return { ok: false, status: -1, message: '' };
  try {
    const response = await request(command.path, {
      method: 'POST',
      ...(command.file ? { file: command.file } : { body: command.json ?? {} }),
      idempotencyKey: item.id,
    });
    // What the server made (a photo's id, say), for a later command that refers to it (onSent).
    const answer: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    return { ok: true, status: 200, message: '', answer };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, status: error.status, code: error.code, message: error.message };
    throw error;
  }
}

let flushing: Promise<void> | undefined;

/**
 * Sends what waits, oldest first; stops at the first transient failure and keeps the rest. Items
 * added while a send is under way are picked up by the same run.
 */
export function flush(): Promise<void> {
  // Nobody signed in: nothing can go (it would only be refused); it goes when someone signs in.
  if (!owner) {
    fresh.clear();
    return Promise.resolve();
  }
  flushing ??= (async () => {
    publish({ sending: true });
    let blocked = false;
    try {
      while (!blocked) {
        const sender: string | undefined = owner;
        const waiting = await readWaiting(sender);
        if (waiting.length === 0 || !sender) break;
        // After an offline start the session is the kept copy, without its token: ask the server
        // for it before the first item goes, or every item would be refused 403.
        if (!(await ensureCsrfToken())) {
          blocked = true;
          break;
        }
        for (const item of waiting) {
          // Signed out (or another person signed in) mid-run: what is left waits for its owner.
          if (owner !== sender) {
            blocked = true;
            break;
          }
          const result = await send(item);
          if (!result.ok && transient(result)) {
            if (result.status === 401) publish({ needsSignIn: true });
            blocked = true;
            break;
          }
          if (result.ok) {
            await store('readwrite', (objects) => objects.delete(item.id));
            if (!fresh.delete(item.id) && !goesWithSentAction(item)) {
              if (item.action !== undefined && item.subjectId !== undefined) saidSent.add(item.subjectId);
              publish({ sentLate: [...snapshot.sentLate, { id: item.id, label: item.label, subjectId: item.subjectId }] });
            }
            for (const listener of sentListeners) listener(item, result.answer);
          } else {
            const failed: StoredItem = { ...item, failed: { message: result.message, at: Date.now() } };
            await store('readwrite', (objects) => objects.put(failed));
          }
          publish(await readOwn());
        }
      }
    } finally {
      // What this run could not send has waited.
      if (blocked) fresh.clear();
      flushing = undefined;
      const own = await readOwn();
      publish({ sending: false, ...own });
      // Something added just as the run ended goes now, not at the next retry.
      if (own.pending.length > 0 && !blocked) void flush();
      else if (blocked && !snapshot.needsSignIn) retrySoon();
      else retryDelay = FIRST_RETRY_MS;
    }
  })();
  return flushing;
}

const FIRST_RETRY_MS = 2000;
let retryDelay = FIRST_RETRY_MS;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * A signal that has only just come back often fails the first try: the next comes after 2 s, then
 * 4, 8, up to the 15 s of the regular round (startOutbox), rather than only at that round.
 */
function retrySoon(): void {
  if (retryTimer !== undefined || typeof navigator === 'undefined' || !navigator.onLine) return;
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void flush();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 15_000);
}

/**
 * A photo (an item with a subject and no action of its own) whose report or step has been said to
 * have gone: one line for both, as one line said they waited (OutboxBanner). A report sent offline
 * with its photo stacked three green notices: the report page's own, the report's and the photo's.
 */
function goesWithSentAction(item: WaitingItem): boolean {
  return item.action === undefined && item.subjectId !== undefined && saidSent.has(item.subjectId);
}
/** The subjects whose report or step the person has been told went, in a line or by the page itself. */
const saidSent = new Set<string>();

/** The person has read that a waiting item went. */
export function dismissSentLate(id: string): void {
  publish({ sentLate: snapshot.sentLate.filter((s) => s.id !== id) });
}

/** A page that says itself that this thing has gone (the report page, with the case's number) needs no second line. */
export function dismissSentLateOf(subjectId: string): void {
  saidSent.add(subjectId);
  if (snapshot.sentLate.some((s) => s.subjectId === subjectId))
    publish({ sentLate: snapshot.sentLate.filter((s) => s.subjectId !== subjectId) });
}

/** The person has seen that an item could not be done and closed the notice: only now does it go. */
export function dismissFailure(id: string): void {
  publish({ failures: snapshot.failures.filter((f) => f.id !== id) });
  void store('readwrite', (objects) => objects.delete(id)).then(async () => publish(await readOwn()));
}

/**
 * Called after each item the server accepted, with the server's answer: pages refresh what it
 * changed, and a command that needs what an earlier one made (an observation and the id of its
 * photo, uploaded first) reads it from the answer.
 */
export function onSent(listener: (item: WaitingItem, answer: unknown) => void): () => void {
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
    if (snapshot.pending.length > 0 && navigator.onLine && !snapshot.needsSignIn) void flush();
  }, 15_000);
  void readOwn().then((own) => {
    publish(own);
    if (own.pending.length > 0) void flush();
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
