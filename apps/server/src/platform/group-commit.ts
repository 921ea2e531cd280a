// Group commit: writes that arrive while a transaction is under way wait and then go together in
// the next one, each inside its own savepoint. One commit (one fsync on SQLite) serves them all; a
// write that fails is rolled back to its savepoint and fails alone. On SQLite the commit's flush to
// disk runs off the event loop (db/wal-flush.ts): the next transaction is built while the disk
// flushes, and each write is answered once the flush that covers its commit is done. An urgent
// write (an SOS) does not queue behind the others: it is written next, and its commit follows.
import type { Kysely, Transaction } from 'kysely';
import { inSavepoint } from '../db/savepoints.ts';
import type { DB } from '../db/schema.ts';
import { hasSingleWriter } from '../db/single-writer.ts';
import { transactionFlushedLater } from '../db/wal-flush.ts';

type Job = {
  work: (trx: Transaction<DB>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  committed?: () => void;
};
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private readonly queue: Job[] = [];
  private readonly urgent: Job[] = [];
  private draining = false;
  /** Transactions committed and the writes they carried (the benchmark reports writes per commit). */
  readonly stats = { commits: 0, writes: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    /**
     * At most this many writes share a transaction, so that none waits behind too many others, and
     * so that writers who all wait for one flush do not all go in one round: with 16 keepers booking,
     * rounds of 16 left the event loop idle a quarter of the time while each flush ran (main thread
     * busy 74-76 %, 3,700-3,800 grants/s), rounds of 8 are written while the other half's flush runs
     * (91-95 %, 4,100-4,600 grants/s; npm run bench, points, alternating runs).
     */
    private readonly maxJobs = 8,
  ) {}

  /**
   * `urgent`: the write goes before those queued, and the transaction it is in commits after it.
   * `committed`: called once the write is committed, before its commit is on disk (the returned
   * promise waits for that); only for what may be told before then (see care-ingest's SOS).
   */
  run<T>(work: (trx: Transaction<DB>) => Promise<T>, options: { urgent?: boolean; committed?: () => void } = {}): Promise<T> {
    // Where the database runs transactions side by side (PostgreSQL), an urgent write does not wait
    // for the round under way, whose statements each make a round trip: it takes a connection of the
    // pool and commits at once (SOS p99 36.6 ms behind the rounds in npm run bench, care.alarm.pg).
    if (options.urgent && !hasSingleWriter(this.db)) return this.alone(work, options.committed);
    return new Promise<T>((resolve, reject) => {
      const job: Job = { work, resolve: resolve as (value: unknown) => void, reject, committed: options.committed };
      (options.urgent ? this.urgent : this.queue).push(job);
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async alone<T>(work: (trx: Transaction<DB>) => Promise<T>, committed?: () => void): Promise<T> {
    const value = await this.db.transaction().execute(work);
    this.stats.commits++;
    this.stats.writes++;
    committed?.();
    return value;
  }

  /**
   * Each round first lets the event loop take in what has arrived (requests already on their
   * sockets reach run() before setImmediate fires), then writes what is queued in one transaction,
   * letting the event loop run again between writes: the requests read meanwhile join the round (up
   * to maxJobs), and an urgent one is written next and ends the round. Without those pauses a
   * synchronous driver would run a whole round, and commit each write, before the next request is
   * even read: nothing would share a commit, and an SOS would wait for every write queued before it.
   */
  private async drain(): Promise<void> {
    try {
      while (this.urgent.length > 0 || this.queue.length > 0) {
        const jobs: Job[] = [];
        const outcomes: Outcome[] = [];
        const alone = this.urgent.length + this.queue.length === 1;
        let urgentTaken = false;
        const next = (): Job | undefined => {
          if (this.urgent.length > 0) {
            urgentTaken = true;
            return this.urgent.shift();
          }
          if (urgentTaken || jobs.length >= this.maxJobs) return undefined;
          return this.queue.shift();
        };
        let durable: Promise<void>;
        try {
          ({ durable } = await transactionFlushedLater(this.db, async (trx) => {
            if (alone) {
              const job = next() as Job;
              jobs.push(job);
              outcomes.push({ ok: true, value: await job.work(trx) });
              return;
            }
            for (let job = next(); job; job = next()) {
              jobs.push(job);
              try {
                outcomes.push({ ok: true, value: await inSavepoint(trx, () => (job as Job).work(trx)) });
              } catch (error) {
                outcomes.push({ ok: false, error });
              }
              await new Promise((resolve) => setImmediate(resolve));
            }
          }));
        } catch (error) {
          // The transaction (or its commit) failed: nothing of it is stored, and every write says so.
          // Failing before it took any (no connection: the database is closed), it fails the writes
          // it would have taken, so that the queue empties instead of trying again at once forever.
          if (jobs.length === 0) jobs.push(...this.urgent.splice(0), ...this.queue.splice(0, this.maxJobs));
          for (const job of jobs) job.reject(error);
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        this.stats.commits++;
        this.stats.writes += jobs.length;
        for (const [index, job] of jobs.entries()) if (job.committed && (outcomes[index] as Outcome).ok) job.committed();
        // Answered once on disk; meanwhile the next round is built.
        durable.then(
          () => {
            for (const [index, job] of jobs.entries()) {
              const outcome = outcomes[index] as Outcome;
              if (outcome.ok) job.resolve(outcome.value);
              else job.reject(outcome.error);
            }
          },
          (error) => {
            for (const job of jobs) job.reject(error);
          },
        );
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
