// Browser tests run against the web app as built from the sources under test: build it first
// (a few seconds), so a stale dist/ can never pass for the current code.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup() {
  const web = path.resolve(import.meta.dirname, '..');
  // Vitest runs with NODE_ENV=test, which would make Vite build React's development bundle.
  const build = spawnSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) throw new Error('building the web app failed');
}
