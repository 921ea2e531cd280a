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
