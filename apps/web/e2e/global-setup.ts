// Browser tests run against the web app as built from the sources under test: build it first
// (a few seconds), so a stale dist/ can never pass for the current code. A dist/ newer than every
// source is current and is used as it is; test runs started together build it once between them
// (a lock directory), instead of writing over each other's files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const web = path.resolve(import.meta.dirname, '..');
const INPUTS = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public', '../../packages/contracts/src'];

function newestInput(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestInput(path.join(entry, name))));
}

function isCurrent(): boolean {
  const built = fs.statSync(path.join(web, 'dist', 'index.html'), { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs > Math.max(...INPUTS.map((input) => newestInput(path.join(web, input))));
}

export default async function setup() {
  const lock = path.join(web, '.dist-build.lock');
  for (;;) {
    if (isCurrent()) return;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another run is building; a lock older than five minutes is left from a killed run.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    // Vitest runs with NODE_ENV=test, which would make Vite build React's development bundle.
    const build = spawnSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status !== 0) throw new Error('building the web app failed');
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
