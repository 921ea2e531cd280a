// The real server as a child process, as `npm start` runs it (built, under node alone, so that
// signals reach the server itself), for tests and harnesses that kill, restart or stop it. The tests'
// global set-up builds it; a harness run on its own builds it first (crash-test.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { BUILT_MAIN } from './built-main.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export type ServerProcess = { child: ChildProcess; url: string; logs: () => string; exited: Promise<number | null> };

/**
 * Starts the built server with exactly `env` (plus PATH) and resolves once it listens and `/readyz` answers
 * 200; rejects with the server's output when it exits first or gives no sign in time.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BUILT_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH as string, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let url: string | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server gave no sign in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (url) return;
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        url = found[1] as string;
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`));
    });
  });
  const address = await listening;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${address}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`/readyz never answered 200:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, url: address, logs: () => output, exited };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}
