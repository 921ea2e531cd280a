// The detection worker thread: compares snapshots with their camera's baseline off the main
// thread (decoding a 1920×1080 JPEG and comparing take tens of milliseconds of CPU each, which on
// the server's own thread would hold every request behind them). Started by detection-runner.ts.
import { parentPort } from 'node:worker_threads';
import { type DetectionInput, detectChange } from './detection/change-detector.ts';
import { DetectionError } from './detection/image-input.ts';

type Request = { id: number; input: DetectionInput };

parentPort?.on('message', (message: Request) => {
  detectChange(message.input).then(
    (result) => parentPort?.postMessage({ id: message.id, result }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: error instanceof DetectionError ? error.code : 'worker_failed' }),
  );
});
