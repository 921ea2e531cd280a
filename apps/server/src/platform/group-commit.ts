// Group commit: writes that arrive while a transaction is under way wait and then go together in
// the next one, each inside its own savepoint. One commit (one fsync on SQLite) serves them all; a
// write that fails is rolled back to its savepoint and fails alone.
import type { Kysely, Transaction } from 'kysely';
import { inSavepoint } from '../db/savepoints.ts';
import type { DB } from '../db/schema.ts';
import { hasSingleWriter } from '../db/single-writer.ts';

type Job = { work: (trx: Transaction<DB>) => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private readonly queue: Job[] = [];
  private draining = false;
  /** Transactions committed and the writes they carried (the benchmark reports writes per commit). */
  readonly stats = { commits: 0, writes: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    /** At most this many writes share a transaction, so none waits behind too many others. */
    private readonly maxJobs = 32,
  ) {}

  run<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * Each round first lets the event loop take in what has arrived (requests already on their
   * sockets reach run() before setImmediate fires), then writes everything queued in one
   * transaction. Without that pause a synchronous driver would commit each write before the next
   * request is even read, and nothing would ever share a commit.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue.splice(0, this.maxJobs);
        const outcomes: Outcome[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            if (jobs.length === 1) {
              outcomes.push({ ok: true, value: await (jobs[0] as Job).work(trx) });
              return;
            }
            for (const job of jobs) {
              try {
                outcomes.push({ ok: true, value: await inSavepoint(trx, () => job.work(trx)) });
              } catch (error) {
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // The transaction (or its commit) failed: nothing of it is stored, and every write says so.
          for (const job of jobs) job.reject(error);
          continue;
        }
        this.stats.commits++;
        this.stats.writes += jobs.length;
        for (const [index, job] of jobs.entries()) {
          const outcome = outcomes[index] as Outcome;
          if (outcome.ok) job.resolve(outcome.value);
          else job.reject(outcome.error);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }
}

const committers = new WeakMap<Kysely<DB>, GroupCommit>();

/** The group committer of a database (one per database handle). */
export function groupCommitFor(db: Kysely<DB>): GroupCommit {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommit(db);
    committers.set(db, committer);
  }
  return committer;
}

/**
 * One write in a commit shared with the writes that arrive with it, where the database has one
 * writer and each commit is one fsync (SQLite): through the group committer. PostgreSQL commits
 * concurrent transactions of the pool with one WAL flush by itself, and a shared transaction there
 * would hold the row locks of every write in it until the last is done: each write keeps its own.
 */
export function inSharedCommit<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return hasSingleWriter(db) ? groupCommitFor(db).run(work) : db.transaction().execute(work);
}
