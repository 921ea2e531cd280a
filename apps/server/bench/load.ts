// What the benches share: a server of their own on a fresh data folder (production settings), and
// load driven from outside the server's event loop: HTTP load from a second process (autocannon),
// returning throughput and latency, or a bench's own clients in a worker thread.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { buildServer } from '../../../scripts/build-server.mjs';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/platform/bootstrap.ts';
import type { Deps } from '../src/platform/deps.ts';
import type { BenchResult } from './results.ts';

const AUTOCANNON = path.resolve(import.meta.dirname, '../../../node_modules/autocannon/autocannon.js');

/** Preloaded into autocannon's process: reports that process's own CPU time as it exits. */
const REPORT_CPU = path.resolve(import.meta.dirname, 'report-cpu.cjs');

export type LoadResult = {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Requests answered in the run. */
  requests: number;
  /**
   * CPU time of this process during the run, in µs: the server under test, and whatever else the
   * bench keeps in it (idle between runs).
   */
  serverCpuUs: number;
  /** CPU time of the load generator (autocannon's process, its start-up of ~0.1 s included), in µs. */
  clientCpuUs: number;
  /** How long the load ran (autocannon's own measure, without its start-up), in µs. */
  durationUs: number;
};

/** CPU per answered request (µs) of the server and of autocannon, and their shares of one core. */
export function cpuOf(run: LoadResult): {
  serverUsPerRequest: number;
  clientUsPerRequest: number;
  serverShare: number;
  clientShare: number;
} {
  return {
    serverUsPerRequest: run.serverCpuUs / Math.max(run.requests, 1),
    clientUsPerRequest: run.clientCpuUs / Math.max(run.requests, 1),
    serverShare: run.serverCpuUs / run.durationUs,
    clientShare: run.clientCpuUs / run.durationUs,
  };
}

export async function load(
  url: string,
  options: { headers?: Record<string, string>; seconds?: number; connections?: number } = {},
): Promise<LoadResult> {
  const args = ['--require', REPORT_CPU, AUTOCANNON, '-j', '-c', String(options.connections ?? 10), '-d', String(options.seconds ?? 10)];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(url);
  const startedCpu = process.cpuUsage();
  const { output, errors } = await new Promise<{ output: string; errors: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // 'close', not 'exit': the last output (the CPU time) may still be on its way at exit.
    child.on('close', (code) =>
      code === 0 ? resolve({ output: stdout, errors: stderr }) : reject(new Error(`autocannon failed: ${stderr}`)),
    );
  });
  const serverCpu = process.cpuUsage(startedCpu);
  const result = JSON.parse(output);
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
    serverCpuUs: serverCpu.user + serverCpu.system,
    clientCpuUs: Number(/cpu-us (\d+)\s*$/.exec(errors)?.[1] ?? Number.NaN),
    durationUs: result.duration * 1_000_000,
  };
}

/**
 * Latency of a heavy request measured one at a time (a handful of samples): the slowest sample
 * stands for the p99, which with few samples it bounds from above.
 */
export async function sample(
  url: string,
  options: { headers?: Record<string, string>; count?: number } = {},
): Promise<{ p99Ms: number; medianMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < (options.count ?? 5); i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: options.headers });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p99Ms: times[times.length - 1] as number, medianMs: times[Math.floor(times.length / 2)] as number };
}

/**
 * A migrated SQLite database in a new folder under the OS temp folder, with the settings of a
 * production server (no demo, no second factor, silent logs, no web app; `env` changes a setting,
 * e.g. the built web app for a bench in the browser). removeDataDir() deletes the folder after the
 * bench, unless BENCH_KEEP_DATA is set (to look at what it built).
 */
export async function benchDatabase(name: string, env: Record<string, string> = {}) {
  return benchDatabaseIn(fs.mkdtempSync(path.join(os.tmpdir(), `cunzhi-bench-${name}-`)), env);
}

/** The app's dependencies on the data folder `dataDir` (made by benchDatabase, for a server of its own on it). */
export async function benchDatabaseIn(dataDir: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'production',
    REQUIRE_STAFF_TOTP: 'false',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    ...env,
  });
  const { deps, database } = await prepare(config);
  const removeDataDir = () => {
    if (process.env.BENCH_KEEP_DATA) process.stdout.write(`  kept ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { deps, database, dataDir, removeDataDir };
}

/** The whole app listening on a free port of 127.0.0.1, and its base URL. */
export async function listenApp(deps: Deps) {
  const app = await buildApp(deps, { logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/**
 * Runs `source` (plain JavaScript, CommonJS) in a worker thread with `workerData`, and resolves
 * with the first message it posts (its count of what was accepted), ending the thread then.
 */
export function inWorkerThread<T>(source: string, workerData: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData });
    worker.once('message', (answer: T) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** A schema of its own on the PostgreSQL server of BENCH_DATABASE_URL, and the URL that uses it. */
export async function postgresSchema(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${name}_${Date.now()}`;
  const onServer = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await onServer(`create schema ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return { url: withSchema.toString(), drop: () => onServer(`drop schema ${schema} cascade`) };
}

/**
 * A bench's figures on SQLite (`run({})`), and then, when BENCH_DATABASE_URL is set, the same
 * figures on PostgreSQL (`run` with its DATABASE_URL, in a schema of its own dropped afterwards),
 * each named `….pg`: its references are measured there too, in the same run.
 */
export async function alsoOnPostgres(name: string, run: (env: Record<string, string>) => Promise<BenchResult[]>): Promise<BenchResult[]> {
  const results = await run({});
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return results;
  const schema = await postgresSchema(url, name.replaceAll('-', '_'));
  try {
    process.stdout.write(`${name} on PostgreSQL\n`);
    const onPostgres = await run({ DATABASE_URL: schema.url });
    return [...results, ...onPostgres.map((r) => ({ ...r, name: `${r.name}.pg` }))];
  } finally {
    await schema.drop();
  }
}

/**
 * A bench's server as a process of its own: `file` (in bench/, e.g. care-server.ts) built as npm
 * start runs the server and forked with `spec` as its argument. `next(type)` waits for its message
 * of that type; `ask` sends a question and waits for the answer; `close` has it close and exit.
 */
export async function forkBenchServer(file: string, spec: unknown, options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  // Under the tests the global set-up has built it once (test/global-setup.ts): a build here would
  // swap the built folder while another test file's server is starting from it.
  if (!process.env.VITEST) await buildServer();
  const built = path.resolve(import.meta.dirname, '../dist-bench', file.replace(/\.ts$/, '.js'));
  const child = fork(built, [JSON.stringify(spec)], { serialization: 'advanced', ...options });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message as T);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`${file} stopped (${code}) before its '${type}'`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T>(question: string, answer: string) => {
    const answered = next<T>(answer);
    child.send(question);
    return answered;
  };
  const close = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await ask('close', 'closed');
    await exited;
  };
  return { next, ask, close };
}

/**
 * What held a bench server's event loop: `since()` gives its longest wait and p99 (ms) and the
 * garbage collector's pauses (how many, the longest, ms) since the last call, and starts again.
 */
export function watchPauses() {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = { pauses: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.pauses++;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    since() {
      const figures = { loop: { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 }, gc };
      loop.reset();
      gc = { pauses: 0, maxMs: 0 };
      return figures;
    },
  };
}
