// The cases bench itself, in a small run (2,000 cases, 1 s of load): `npm run bench` is no test, and
// its server now runs in a process of its own, started twice and fed the cases the bench seeds
// between. This asserts the harness measures what it says (the statistics count every case seeded,
// the queue answers), never how fast.
import { describe, expect, it } from 'vitest';
import { casesBench } from './cases.bench.ts';

describe('the cases bench, in a small run', () => {
  it('seeds, measures the queue and the statistics at a tenth and at all the cases, and prints each figure', {
    timeout: 180_000,
  }, async () => {
    const saved = process.env.BENCH_DATABASE_URL;
    delete process.env.BENCH_DATABASE_URL;
    try {
      const results = await casesBench({ seconds: 1, cases: 2000 });
      const figure = (name: string) => results.find((r) => r.name === name);
      expect(results.map((r) => r.name).sort()).toEqual(
        [
          'cases.queue.rps',
          'cases.queue.p99_ms',
          'cases.queue.p99_ms.at_200',
          'cases.queue.growth',
          'cases.stats.p99_ms',
          'cases.stats.p99_ms.at_200',
          'cases.stats.growth',
        ].sort(),
      );
      expect(figure('cases.queue.rps')?.value).toBeGreaterThan(0);
      expect(figure('cases.stats.p99_ms')?.value).toBeGreaterThan(0);
      expect(figure('cases.stats.p99_ms.at_200')?.value).toBeGreaterThan(0);
    } finally {
      if (saved !== undefined) process.env.BENCH_DATABASE_URL = saved;
    }
  });
});
