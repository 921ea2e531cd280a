// The scheduler's wake: a job runs at once when woken, once more after a run under way, and never after stop.
import { describe, expect, it } from 'vitest';
import { createEventBus } from './events.ts';
import { type Job, startJobs, wakeOnEvents } from './jobs.ts';

const HOUR = 3_600_000;

/** A job that runs in this process only (no lease, so no database) and counts its runs; each run waits for `release`. */
function countingJob() {
  let runs = 0;
  let release: () => void = () => {};
  const job: Job = {
    name: 'count',
    everyMs: HOUR,
    local: true,
    run: () => {
      runs++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
  return { job, runs: () => runs, release: () => release() };
}

describe('the job scheduler', () => {
  it('runs a woken job at once, and once more after the run under way when woken during it', async () => {
    const counting = countingJob();
    const scheduler = startJobs(undefined as never, [counting.job], Date.now, () => {});
    scheduler.wake('count');
    expect(counting.runs()).toBe(1);
    // Woken twice while it runs: one more run covers both.
    scheduler.wake('count');
    scheduler.wake('count');
    expect(counting.runs()).toBe(1);
    counting.release();
    await expect.poll(counting.runs).toBe(2);
    counting.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counting.runs()).toBe(2);
    scheduler.wake('no such job');
    await scheduler.stop();
    scheduler.wake('count');
    expect(counting.runs()).toBe(2);
  });

  it('wakes the job named for a live event of that type, and no other', async () => {
    const counting = countingJob();
    const scheduler = startJobs(undefined as never, [counting.job], Date.now, () => {});
    const events = createEventBus();
    const stop = wakeOnEvents(events, scheduler, { 'thing.due': 'count' });
    const event = { permission: 'notices.write' as const, placement: { regionPath: '/' } as never, data: {} };
    events.publish({ ...event, type: 'thing.other' });
    expect(counting.runs()).toBe(0);
    events.publish({ ...event, type: 'thing.due' });
    expect(counting.runs()).toBe(1);
    counting.release();
    stop();
    await scheduler.stop();
  });
});
