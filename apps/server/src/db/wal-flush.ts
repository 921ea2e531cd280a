// Commits that do not stop the event loop while the disk flushes. better-sqlite3 runs on the event
// loop, and with synchronous=FULL each commit waits there for the fsync of the WAL: the whole server
// stood still for every flush (about 1 ms on a quiet disk, 5 to 10 ms on a busy one; npm run bench,
// care.ingest and care.alarm). A transaction run here commits with synchronous=OFF, which appends
// its WAL frames without any flush, and the WAL file is then flushed on libuv's thread pool;
// whoever wrote waits for `durable` before answering, so an acknowledged write is on disk as
// before, while the server reads and checks the next requests during the flush.
//
// Why this is as safe as FULL: WAL frames are appended in commit order, so a flush of the file makes
// every commit before it durable (and a commit with FULL, by any other transaction, flushes the
// ones before it too). The flush covers the whole file, so also the header SQLite writes when it
// starts the WAL over after a checkpoint: with NORMAL SQLite flushed that header itself, on the
// event loop (0.3 to 7 ms each time, once a second or so while readings stream in: strace of the
// care bench's server), and an SOS arriving then waited for it. What must not run without flushes
// is a checkpoint (it copies frames into the database file and lets the WAL be overwritten), so the
// connection's automatic checkpoint is off for these transactions too: checkpoints are the
// checkpointer's (db/checkpointer.ts, its own connection, FULL), which flushes the WAL before
// copying and the database file after. What differs: between the commit and its flush, other
// connections (the reader) can already see the rows; nothing is acknowledged or announced before
// `durable`. Flushes are shared: the commits made while one runs wait for the next, which covers
// them all. Used by platform/group-commit.ts; other transactions keep FULL.
import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

/** The writer connection's automatic checkpoint threshold (pages): only a safety net beside the checkpointer. */
export const WAL_AUTOCHECKPOINT_PAGES = 20000;

export class WalFlusher {
  #fd: number | undefined;
  #inFlight: Promise<void> | undefined;
  #waiting: Promise<void> | undefined;
  #closed = false;
  /** Flushes started (the benchmark and the tests read it). */
  flushes = 0;
  /** The time the flushes took in all and the longest (ms; the benchmark reads it). */
  readonly flushTime = { totalMs: 0, maxMs: 0 };
  constructor(
    private readonly raw: BetterSqlite3.Database,
    private readonly walFile: string,
  ) {}

  /** Runs `work` (a transaction on this connection, which is held meanwhile) with commits that do not flush. */
  async withoutFlush<T>(work: () => Promise<T>): Promise<T> {
    // Executed anew each time: SQLite applies this pragma when the statement is prepared, so a
    // statement prepared once and run again would change nothing.
    this.raw.exec('pragma synchronous = off; pragma wal_autocheckpoint = 0');
    try {
      return await work();
    } finally {
      this.raw.exec(`pragma synchronous = full; pragma wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    }
  }

  /** Resolves once everything committed before the call is on disk. */
  flush(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    if (!this.#inFlight) {
      this.#inFlight = this.#sync();
      return this.#inFlight;
    }
    // The flush under way may have begun before the commit that asks: the next one covers it.
    const waiting = this.#inFlight
      .catch(() => {})
      .then(() => {
        this.#waiting = undefined;
        this.#inFlight = this.#sync();
        return this.#inFlight;
      });
    this.#waiting = waiting;
    return waiting;
  }

  /** Waits for the flushes asked for, then lets go of the file (after SQLite has closed the database). */
  async close(): Promise<void> {
    await (this.#waiting ?? this.#inFlight)?.catch(() => {});
    this.#closed = true;
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  #sync(): Promise<void> {
    this.flushes++;
    const done = new Promise<void>((resolve, reject) => {
      if (this.#closed) return reject(new Error('The database is closed'));
      try {
        // Opened once and kept: closing a file descriptor drops every POSIX lock the process holds on
        // that file, and SQLite keeps the WAL for as long as the writer connection is open.
        this.#fd ??= fs.openSync(this.walFile, 'r+');
      } catch (error) {
        return reject(error);
      }
      const started = performance.now();
      fs.fdatasync(this.#fd, (error) => {
        const ms = performance.now() - started;
        this.flushTime.totalMs += ms;
        this.flushTime.maxMs = Math.max(this.flushTime.maxMs, ms);
        if (error) reject(error);
        else resolve();
      });
    });
    const tracked: Promise<void> = done.finally(() => {
      if (this.#inFlight === tracked) this.#inFlight = undefined;
    });
    return tracked;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any database schema
const flushers = new WeakMap<Kysely<any>, WalFlusher>();

/** Makes `db` (a SQLite database in a file, in WAL mode, opened on `raw`) commit flushed later here. */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function flushLaterOn(db: Kysely<any>, raw: BetterSqlite3.Database, file: string): WalFlusher {
  const flusher = new WalFlusher(raw, `${file}-wal`);
  flushers.set(db, flusher);
  return flusher;
}

/** The flusher of a database, where it has one (a SQLite file). */
export function walFlusherOf(db: Kysely<DB>): WalFlusher | undefined {
  return flushers.get(db);
}

/**
 * Runs `work` in one transaction and commits it without waiting for the disk: `durable` resolves
 * once the commit is on disk (at once where the database flushes each commit itself: PostgreSQL,
 * an in-memory SQLite). Answer nobody about the writes before `durable`.
 */
export async function transactionFlushedLater<T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<{ value: T; durable: Promise<void> }> {
  const flusher = flushers.get(db);
  if (!flusher) return { value: await db.transaction().execute(work), durable: Promise.resolve() };
  // The connection is held from before the pragma until after it is set back, so no other
  // transaction runs with NORMAL (SQLite refuses to change it inside a transaction).
  const value = await db.connection().execute((connection) => flusher.withoutFlush(() => connection.transaction().execute(work)));
  return { value, durable: flusher.flush() };
}
