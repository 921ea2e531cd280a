// `npm start`: build the web app if it is not built yet, build the server's JavaScript
// (scripts/build-server.mjs, about a second: no TypeScript loader in the running server), then run
// the server in this process (so SIGTERM reaches the server's own graceful stop).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from './build-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webIndex = path.join(root, 'apps/web/dist/index.html');

if (!fs.existsSync(webIndex)) {
  process.stdout.write('Building the web app first (one time)…\n');
  const build = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

await buildServer();
await import(path.join(root, 'apps/server/dist/main.js'));
