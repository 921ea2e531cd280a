// SQLite's WAL is copied back into the database file (a checkpoint) by a worker thread with its own
// connection, not by whichever request's commit happens to cross the threshold: the copy and its
// fsync of the database file then run beside the requests, on another core. The writer keeps a
// high automatic threshold only as a safety net should the worker stop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    // PASSIVE: copies what it can without waiting for or blocking the writer and readers.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(file: string, everyMs = 500, onError: (message: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs } });
  let stopped: (() => void) | undefined;
  worker.on('message', (message: { error?: string; stopped?: boolean }) => {
    if (message.error) onError(message.error);
    if (message.stopped) stopped?.();
  });
  worker.unref();
  return {
    stop: async () => {
      // The worker closes its connection between checkpoints, then goes.
      worker.ref();
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage('stop');
      });
      await worker.terminate();
    },
  };
}
