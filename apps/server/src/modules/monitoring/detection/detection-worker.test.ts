import { afterEach, describe, expect, it } from 'vitest';
import { createDetectionWorker, type DetectionWorker } from './detection-worker.ts';
import { DetectionError } from './image-input.ts';
import { makeCase, renderBaseline, renderSnapshot, TUNING_RANGES } from './scenes.ts';

describe('detection worker', () => {
  let worker: DetectionWorker | undefined;
  afterEach(async () => {
    await worker?.close();
  });

  it('prepares baselines and detects on another thread, refuses bad input typed, and closes', async () => {
    worker = createDetectionWorker({ maxQueue: 2 });
    const scene = makeCase('structure', 5, TUNING_RANGES);
    const baseline = await worker.prepareBaseline(await renderBaseline(scene, 320, 180));
    expect(baseline).toMatchObject({ kind: 'monitoring.baseline', width: 320, height: 180 });
    const snapshot = await renderSnapshot(scene, 0, 320, 180);
    const job = { baseline, snapshot, watchArea: scene.watchArea, privacyMasks: scene.privacyMasks };
    const results = await Promise.all([worker.detect(job), worker.detect(job)]);
    expect(results[0]?.regions.length).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);

    const refused = await worker.detect({ ...job, snapshot: Buffer.from('not a picture') }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DetectionError);
    expect((refused as DetectionError).code).toBe('not_an_image');

    const running = [worker.detect(job), worker.detect(job)];
    const third = await worker.detect(job).catch((e: unknown) => e);
    expect((third as DetectionError).code).toBe('queue_full');
    await Promise.all(running);
    expect(worker.pending).toBe(0);

    await worker.close();
    const late = await worker.detect(job).catch((e: unknown) => e);
    expect((late as DetectionError).code).toBe('worker_closed');
  });
});
