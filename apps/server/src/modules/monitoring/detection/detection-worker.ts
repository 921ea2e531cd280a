// Detection off the request path: a small pool of worker threads (node:worker_threads) that
// decode and compare snapshots, so a request handler or a job only awaits a promise and the event
// loop never runs the pixel loops.
//
// The workers run this folder's TypeScript without a build step (or its built JavaScript, which needs no loader). A worker thread does not share
// the loader its parent runs TypeScript with (neither tsx's under npm start / npm run bench, nor
// Vite's under vitest: checked, both fail with ERR_UNKNOWN_FILE_EXTENSION), so the worker registers
// tsx's loader (tsx/esm/api, a dependency of the server) before it imports the detector. (Trying a
// plain import first does not work: a failed import of a URL stays failed in that thread.)
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FROM_SOURCES, ownFile } from '../../../platform/own-files.ts';
import type { DetectionInput, DetectionResult, PreparedBaseline } from './change-detector.ts';
import { DetectionError, isDetectionErrorCode } from './image-input.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
async function load() {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  return import(workerData.module);
}
load().then((detector) => {
  parentPort.on('message', async ({ id, kind, payload }) => {
    try {
      const result = kind === 'prepare' ? await detector.prepareBaseline(payload) : await detector.detectChange(payload);
      parentPort.postMessage({ id, result });
    } catch (error) {
      parentPort.postMessage({ id, error: { code: error && error.code, message: String(error && error.message) } });
    }
  });
  parentPort.postMessage({ ready: true });
}, (error) => {
  parentPort.postMessage({ fatal: String((error && error.stack) || error) });
});
`;

export type DetectionWorkerOptions = {
  /** Worker threads (default 1: one core for detection, the rest for the server). */
  threads?: number;
  /** Jobs waiting or running at most; more are refused with DetectionError('queue_full'). */
  maxQueue?: number;
};

export type DetectionWorker = {
  /** Detects changes in a snapshot; the same as detectChange, on another thread. */
  detect(job: DetectionInput): Promise<DetectionResult>;
  /** Prepares a baseline on another thread (accepting a new scene). */
  prepareBaseline(image: Uint8Array): Promise<PreparedBaseline>;
  /** Jobs waiting or running. */
  readonly pending: number;
  /** Lets running jobs finish, refuses new ones, and stops the threads. */
  close(): Promise<void>;
};

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };
type Thread = { worker: Worker; pending: Map<number, Pending>; ready: Promise<void> };

export function createDetectionWorker(options: DetectionWorkerOptions = {}): DetectionWorker {
  const threadCount = Math.max(1, Math.min(8, options.threads ?? 1));
  const maxQueue = Math.max(1, options.maxQueue ?? 64);
  const workerData = {
    module: pathToFileURL(ownFile(import.meta.url, 'change-detector')).href,
    // The package's "import" twin of its "require" entry: the .cjs one cannot be imported. Built
    // (scripts/build-server.mjs), the detector is JavaScript and needs no loader.
    tsx: FROM_SOURCES
      ? pathToFileURL(
          createRequire(import.meta.url)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href
      : undefined,
  };
  let threads: (Thread | undefined)[] = Array.from({ length: threadCount }, () => undefined);
  let nextId = 1;
  let closed = false;
  let pending = 0;

  function start(slot: number): Thread {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    const thread: Thread = { worker, pending: new Map(), ready: Promise.resolve() };
    const fail = (error: Error) => {
      if (threads[slot] === thread) threads[slot] = undefined;
      for (const job of thread.pending.values()) job.reject(error);
      thread.pending.clear();
      void worker.terminate();
    };
    thread.ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (message: { ready?: true; fatal?: string; id?: number; result?: unknown; error?: { code?: unknown; message: string } }) => {
          if (message.ready) return resolve();
          if (message.fatal !== undefined) {
            const error = new DetectionError('worker_failed');
            reject(error);
            return fail(error);
          }
          const job = thread.pending.get(message.id ?? -1);
          if (!job) return;
          thread.pending.delete(message.id ?? -1);
          if (thread.pending.size === 0) worker.unref();
          if (message.error)
            job.reject(
              isDetectionErrorCode(message.error.code) ? new DetectionError(message.error.code) : new Error(message.error.message),
            );
          else job.resolve(message.result as never);
        },
      );
      worker.on('error', (error) => {
        reject(error);
        fail(new DetectionError('worker_failed'));
      });
      worker.on('exit', () => fail(new DetectionError('worker_failed')));
    });
    thread.ready.catch(() => {});
    worker.unref();
    threads[slot] = thread;
    return thread;
  }

  function run<T>(kind: 'detect' | 'prepare', payload: unknown): Promise<T> {
    if (closed) return Promise.reject(new DetectionError('worker_closed'));
    if (pending >= maxQueue) return Promise.reject(new DetectionError('queue_full'));
    // The least busy thread; a thread that died is started again.
    let slot = 0;
    for (let i = 1; i < threadCount; i++) if ((threads[i]?.pending.size ?? 0) < (threads[slot]?.pending.size ?? 0)) slot = i;
    const thread = threads[slot] ?? start(slot);
    const id = nextId++;
    pending++;
    return new Promise<T>((resolve, reject) => {
      thread.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, kind, payload });
    }).finally(() => {
      pending--;
    });
  }

  return {
    detect: (job) => run<DetectionResult>('detect', job),
    prepareBaseline: (image) => run<PreparedBaseline>('prepare', image),
    get pending() {
      return pending;
    },
    async close() {
      closed = true;
      const running = threads.flatMap((t) => (t ? [...t.pending.values()] : []));
      await Promise.allSettled(
        running.map(
          (job) =>
            new Promise<void>((resolve) => {
              const { resolve: done, reject: failed } = job;
              job.resolve = ((value: never) => {
                done(value);
                resolve();
              }) as (value: never) => void;
              job.reject = (error) => {
                failed(error);
                resolve();
              };
            }),
        ),
      );
      const stopping = threads.map((t) => t?.worker.terminate());
      threads = threads.map(() => undefined);
      await Promise.all(stopping);
    },
  };
}
