// Browser tests need the built web app; build it once if a fresh clone has none.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export default function setup() {
  const web = path.resolve(import.meta.dirname, '..');
  if (fs.existsSync(path.join(web, 'dist/index.html'))) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the web app failed');
}
