// One worker thread per process runs the change detector (monitoring-detection.worker.ts); the
// detection job hands it one snapshot at a time and waits. The worker starts on first use, stops
// after a minute without work, and is restarted if it dies; its thread never keeps the process
// alive. TypeScript is loaded in the worker the way the server itself is (tsx), unless the server runs built. The worker keeps no
// state between snapshots, so one per process serves every app in it (tests start several).
import { Worker } from 'node:worker_threads';
import { FROM_SOURCES, ownFile } from '../../platform/own-files.ts';
import type { DetectionInput, DetectionResult } from './detection/change-detector.ts';
import { DetectionError, isDetectionErrorCode } from './detection/image-input.ts';

const WORKER_FILE = ownFile(import.meta.url, 'monitoring-detection.worker');
const BOOT = FROM_SOURCES
  ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_FILE)}); })`
  : `import(${JSON.stringify(WORKER_FILE)})`;
const IDLE_MS = 60_000;

type Pending = { resolve: (r: DetectionResult) => void; reject: (e: Error) => void };

export class DetectionRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;

  detect(input: DetectionInput): Promise<DetectionResult> {
    const worker = this.started();
    if (this.idle) clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise<DetectionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The snapshot's bytes move to the worker (no copy); the baseline plane is small and copied.
      const snapshot = input.snapshot.slice();
      worker.postMessage({ id, input: { ...input, snapshot } }, [snapshot.buffer as ArrayBuffer]);
    });
  }

  /** Starts the worker now (loading it takes a moment), so that the first comparison does not wait. */
  warm(): void {
    this.started();
  }

  /** Stops the worker (waiting comparisons fail with worker_closed); the next detect starts another. */
  async close(): Promise<void> {
    await this.stop();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOT, { eval: true });
    worker.unref();
    worker.on('message', (m: { id: number; result?: DetectionResult; error?: string }) => {
      const waiting = this.pending.get(m.id);
      if (!waiting) return;
      this.pending.delete(m.id);
      if (m.result) waiting.resolve(m.result);
      else waiting.reject(new DetectionError(isDetectionErrorCode(m.error) ? m.error : 'worker_failed'));
      if (this.pending.size === 0) this.idle = setTimeout(() => void this.stop(), IDLE_MS).unref();
    });
    const fail = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(new DetectionError('worker_failed'));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (this.idle) clearTimeout(this.idle);
    for (const waiting of this.pending.values()) waiting.reject(new DetectionError('worker_closed'));
    this.pending.clear();
    if (worker) await worker.terminate();
  }
}

/** The process's runner. */
export const detectionRunner = new DetectionRunner();
