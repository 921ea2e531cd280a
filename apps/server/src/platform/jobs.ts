// Background work that runs in the server process. Each job takes a row lease before it runs, so
// that on several nodes (or two processes on one data directory) a job never runs twice at once.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { EventBus } from './events.ts';
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

/** `wake`: runs a job now instead of at its next tick (once more after the run under way, if one is). */
export type Scheduler = { stop(): Promise<void>; wake(name: string): void };

/** Runs every job on its interval until stopped; a failure is logged and retried next time. */
export function startJobs(db: Kysely<DB>, jobs: Job[], now: () => number, onError: (job: string, error: unknown) => void): Scheduler {
  const running = new Map<string, Promise<unknown>>();
  const again = new Set<string>();
  let stopped = false;
  const start = (job: Job) => {
    // A run that outlasts its interval is not started again beside itself.
    if (stopped || running.has(job.name)) return;
    const run = runOnce(db, job, now)
      .catch((error) => onError(job.name, error))
      .finally(() => {
        running.delete(job.name);
        // Woken while it ran: what woke it may have come after the run read its work.
        if (again.delete(job.name)) start(job);
      });
    running.set(job.name, run);
  };
  const timers = jobs.map((job) => setInterval(() => start(job), job.everyMs).unref());
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running.values()]);
    },
    wake(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job || stopped) return;
      if (running.has(name)) again.add(name);
      else start(job);
    },
  };
}

/** Wakes jobs on live events: `wakers` maps an event type to the job that does the work it announces. */
export function wakeOnEvents(events: EventBus, scheduler: Scheduler, wakers: Record<string, string>): () => void {
  return events.subscribe((event) => {
    const job = wakers[event.type];
    if (job) scheduler.wake(job);
  });
}
