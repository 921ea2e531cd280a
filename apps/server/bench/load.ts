// Drives HTTP load from a second process (autocannon), so the load generator does not share the
// server's event loop; returns throughput and latency.
import { spawn } from 'node:child_process';
import path from 'node:path';

const AUTOCANNON = path.resolve(import.meta.dirname, '../../../node_modules/autocannon/autocannon.js');

export type LoadResult = { rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number };

export async function load(
  url: string,
  options: { headers?: Record<string, string>; seconds?: number; connections?: number } = {},
): Promise<LoadResult> {
  const args = [AUTOCANNON, '-j', '-c', String(options.connections ?? 10), '-d', String(options.seconds ?? 10)];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(url);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`autocannon failed: ${stderr}`))));
  });
  const result = JSON.parse(output);
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
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
