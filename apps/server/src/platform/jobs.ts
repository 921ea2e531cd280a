// Background work that runs in the server process. Each job takes a row lease before it runs, so
// that on several nodes (or two processes on one data directory) a job never runs twice at once.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { claimLease, endLease } from './jobs.repository.ts';

/** `local`: the job concerns this process alone (state it holds in memory) and runs without a lease. */
export type Job = { name: string; everyMs: number; run: () => Promise<unknown>; local?: boolean };

const HOLDER = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** True when this process now holds the job's lease until `now + ttlMs`. */
export function takeLease(db: Kysely<DB>, name: string, now: number, ttlMs: number, holder = HOLDER): Promise<boolean> {
  return claimLease(db, name, holder, now, now + ttlMs);
}

function releaseLease(db: Kysely<DB>, name: string, now: number, holder = HOLDER): Promise<void> {
  return endLease(db, name, holder, now);
}

/** Runs the job if no one else is running it; returns whether it ran. */
export async function runOnce(db: Kysely<DB>, job: Job, now: () => number, holder = HOLDER): Promise<boolean> {
  if (job.local) {
    await job.run();
    return true;
  }
  if (!(await takeLease(db, job.name, now(), Math.max(job.everyMs * 5, 60_000), holder))) return false;
  try {
    await job.run();
  } finally {
    await releaseLease(db, job.name, now(), holder);
  }
  return true;
}

export type Scheduler = { stop(): Promise<void> };

/** Runs every job on its interval until stopped; a failure is logged and retried next time. */
export function startJobs(db: Kysely<DB>, jobs: Job[], now: () => number, onError: (job: string, error: unknown) => void): Scheduler {
  const running = new Map<string, Promise<unknown>>();
  const timers = jobs.map((job) =>
    setInterval(() => {
      // A run that outlasts its interval is not started again beside itself.
      if (running.has(job.name)) return;
      const run = runOnce(db, job, now)
        .catch((error) => onError(job.name, error))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }, job.everyMs).unref(),
  );
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running.values()]);
    },
  };
}
