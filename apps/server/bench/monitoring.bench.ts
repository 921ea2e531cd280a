// monitoring.detect.*: the change detector measured on the HELD-OUT synthetic scenes (scenes.ts;
// the detector's defaults were chosen on the tuning set only), at 1920×1080:
// - precision and recall of findings (detector + persistence over each 4-snapshot sequence),
//   against the goal of 0.9;
// - milliseconds per snapshot (decode, reduce, compare) in process, against sharp alone decoding
//   and reducing the same JPEG (the floor any detector pays);
// - snapshots per second through the worker thread pool, against the same detections run one
//   after another on the main thread; and the event loop's p99 delay meanwhile (worker against
//   main thread), which is what "never blocks the server" means.
// The machine is shared; milliseconds are indicative. No `….pg` figures: nothing here touches a
// database (the detector works on pictures in memory); monitoring-ingest.bench.ts measures the
// stored path on both databases.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { type DetectionInput, detectChange, prepareBaseline } from '../src/modules/monitoring/detection/change-detector.ts';
import { createDetectionWorker } from '../src/modules/monitoring/detection/detection-worker.ts';
import { evaluateCase, summarise } from '../src/modules/monitoring/detection/scene-evaluation.ts';
import { heldOutSet, renderBaseline, renderSnapshot } from '../src/modules/monitoring/detection/scenes.ts';
import type { BenchResult } from './results.ts';

const GOAL = 0.9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function monitoringBench({ seconds }: { seconds: number }): Promise<BenchResult[]> {
  const cases = heldOutSet();
  const outcomes = [];
  for (const c of cases) outcomes.push(await evaluateCase(c));
  const evaluation = summarise(outcomes);
  process.stdout.write(
    `  held-out: ${cases.length} sequences, ${evaluation.truePositives} found, ${evaluation.falsePositives} false, ${evaluation.falseNegatives} missed\n`,
  );
  for (const o of outcomes) {
    if (o.falsePositives > 0 || (o.expected && !o.truePositive))
      process.stdout.write(`    ${o.expected && !o.truePositive ? 'missed' : 'false'}: ${o.id}\n`);
  }
  const detectMs = median(outcomes.flatMap((o) => o.detectMs));

  // Eight snapshots of four held-out cases, with their baselines.
  const jobs: DetectionInput[] = [];
  for (const c of cases.filter((_, i) => i % 12 === 0).slice(0, 4)) {
    const baseline = await prepareBaseline(await renderBaseline(c));
    for (const i of [1, 2])
      jobs.push({ baseline, snapshot: await renderSnapshot(c, i), watchArea: c.watchArea, privacyMasks: c.privacyMasks });
  }
  const decodeMs: number[] = [];
  for (const job of jobs) {
    const started = performance.now();
    await sharp(job.snapshot).resize({ width: 320 }).greyscale().raw().toBuffer();
    decodeMs.push(performance.now() - started);
  }

  const window = Math.max(2, seconds);
  const mainThread = await throughput(window, (job) => detectChange(job), jobs, 1);
  const worker = createDetectionWorker();
  await worker.detect(jobs[0] as DetectionInput); // start-up is not throughput
  const threaded = await throughput(window, (job) => worker.detect(job), jobs, 4);
  await worker.close();

  const result = (name: string, value: number, unit: string, reference: string, referenceValue: number): BenchResult => ({
    name,
    value,
    unit,
    reference,
    referenceValue,
    ratio: referenceValue === 0 ? 0 : value / referenceValue,
  });
  return [
    result('monitoring.detect.precision', evaluation.precision, 'ratio', `goal (${cases.length} held-out sequences)`, GOAL),
    result('monitoring.detect.recall', evaluation.recall, 'ratio', 'goal', GOAL),
    result('monitoring.detect.ms_per_image', detectMs, 'ms', 'sharp decoding + reducing the same 1920×1080 JPEG', median(decodeMs)),
    result(
      'monitoring.detect.snapshots_per_s',
      threaded.perSecond,
      'snapshots/s',
      'the same detections on the main thread',
      mainThread.perSecond,
    ),
    result(
      'monitoring.detect.event_loop_p99_ms',
      threaded.loopP99,
      'ms',
      'event loop p99 while detecting on the main thread',
      mainThread.loopP99,
    ),
  ];
}

/** Detections for `seconds`, `depth` at a time, with the event loop's delay meanwhile. */
async function throughput(seconds: number, detect: (job: DetectionInput) => Promise<unknown>, jobs: DetectionInput[], depth: number) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: depth }, async () => {
      while (performance.now() < until) {
        await detect(jobs[next++ % jobs.length] as DetectionInput);
        done++;
      }
    }),
  );
  delay.disable();
  return { perSecond: done / ((performance.now() - started) / 1000), loopP99: delay.percentile(99) / 1e6 };
}
