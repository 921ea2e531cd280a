// The care bench itself, in a small run (300 elders, 1 s of ingestion, 10 SOS readings, 3 s of
// background load): `npm run bench` is no test, and when one person came to hold at most 8 live
// streams, its twenty duty screens on one doctor's session were refused and every SOS counted as
// lost (p99 2,010 ms) with nobody told. This asserts the harness measures what it says, never how fast.
import { describe, expect, it } from 'vitest';
import { careBench } from './care.bench.ts';

describe('the care bench, in a small run', () => {
  it('ingests, brings every SOS to the timed duty screen among twenty, and prints each figure', { timeout: 180_000 }, async () => {
    const saved = process.env.BENCH_DATABASE_URL;
    delete process.env.BENCH_DATABASE_URL;
    try {
      const results = await careBench({ seconds: 1, elders: 300, alarms: 10, loadSeconds: 3 });
      const figure = (name: string) => results.find((r) => r.name === name);
      expect(results.map((r) => r.name).sort()).toEqual(
        [
          'care.alarm.background_readings_per_s',
          'care.alarm.lost',
          'care.alarm.p99_ms',
          'care.ingest.batches_per_commit',
          'care.ingest.readings_per_s',
          'care.server.rss_mb',
        ].sort(),
      );
      expect(figure('care.alarm.lost')).toMatchObject({ value: 0, referenceValue: 10 });
      expect(figure('care.ingest.readings_per_s')?.value).toBeGreaterThan(0);
      expect(figure('care.ingest.readings_per_s')?.referenceValue).toBeGreaterThan(0);
      expect(figure('care.ingest.batches_per_commit')?.value).toBeGreaterThanOrEqual(1);
      expect(figure('care.alarm.background_readings_per_s')?.value).toBeGreaterThan(0);
      expect(figure('care.server.rss_mb')?.value).toBeGreaterThan(0);
    } finally {
      if (saved !== undefined) process.env.BENCH_DATABASE_URL = saved;
    }
  });
});
