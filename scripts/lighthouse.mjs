// `npm run lighthouse`: Lighthouse 12 (mobile preset: a mid-range phone on slow 4G, simulated) on the
// phone pages of the demo county, with Debian's chromium. Builds the web app into a folder of its own
// (apps/web/dist may be rebuilt by a test run meanwhile), starts the server on a fresh demo county, signs in through the API (the cookie goes to Lighthouse as
// a header), runs each page, prints a table and fails when a page is under the goals.
//
//   npm run lighthouse               all pages
//   npm run lighthouse -- report     only the pages whose name contains "report"
//
// Long (about a minute a page on two cores): not part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO_PASSWORD = 'Cunzhi2026';
const VILLAGER = '13800000011';
const FAMILY = '13800000012';
const GOALS = { performance: 90, accessibility: 95, 'best-practices': 90 };
const PAGES = [
  { name: 'login', path: '/login' },
  { name: 'home', path: '/', as: VILLAGER },
  { name: 'report', path: '/m/report', as: VILLAGER },
  { name: 'points', path: '/m/points', as: VILLAGER },
  { name: 'services', path: '/m/services', as: VILLAGER },
  { name: 'family', path: '/m/family', as: FAMILY },
];

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function build(outDir) {
  const web = path.join(root, 'apps/web');
  const env = { ...process.env, NODE_ENV: 'production' };
  const vite = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: web,
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  if (vite.status !== 0) throw new Error('building the web app failed');
  // Writes the .gz/.br copies the server sends; its own budget check is the bundle-budget test's job.
  spawnSync('node', [path.join(root, 'scripts/bundle-sizes.mjs'), outDir], { cwd: web, stdio: 'ignore', env });
}

async function startServer(webDist) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-lighthouse-'));
  const server = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'apps/server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      WEB_DIST_DIR: webDist,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // The demo county loads before the server listens (about a minute on a small machine).
  for (let waited = 0; ; waited += 500) {
    if (server.exitCode !== null) throw new Error('the server stopped while starting');
    if (waited > 300_000) throw new Error('the server did not start within five minutes');
    const up = await fetch(`${baseUrl}/api/platform-info`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    baseUrl,
    stop: () => {
      server.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function sessionCookie(baseUrl, phone) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`signing in ${phone} failed: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** Main-thread time spent evaluating scripts, as Lighthouse reports it (CPU slowdown included). */
function scriptEvaluation(audits) {
  const items = audits['mainthread-work-breakdown'].details?.items ?? [];
  return items.find((item) => item.group === 'scriptEvaluation')?.duration ?? 0;
}

const only = process.argv[2];
const pages = PAGES.filter((page) => !only || page.name.includes(only));
const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-lighthouse-web-'));
console.log('Building the web app…');
build(webDist);
console.log('Starting the server on a fresh demo county…');
const server = await startServer(webDist);
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const rows = [];
let failed = false;
try {
  const cookies = {};
  for (const page of pages) {
    if (page.as) cookies[page.as] ??= await sessionCookie(server.baseUrl, page.as);
    const result = await lighthouse(
      `${server.baseUrl}${page.path}`,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: Object.keys(GOALS),
        extraHeaders: page.as ? { Cookie: cookies[page.as] } : undefined,
      },
      undefined,
    );
    const { categories, audits, finalDisplayedUrl } = result.lhr;
    // Signed-in pages must not measure the login page they would redirect to.
    if (page.as && new URL(finalDisplayedUrl).pathname.startsWith('/login')) throw new Error(`${page.name}: sent to the login page`);
    const score = (id) => Math.round((categories[id]?.score ?? 0) * 100);
    const row = {
      page: page.name,
      path: page.path,
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      'LCP s': (audits['largest-contentful-paint'].numericValue / 1000).toFixed(1),
      'TBT ms': Math.round(audits['total-blocking-time'].numericValue),
      CLS: Number(audits['cumulative-layout-shift'].numericValue.toFixed(3)),
      // What the page's scripts really took on this machine: Lighthouse reports main-thread time
      // multiplied by the preset's CPU slowdown (4×), and the benchmark index says how busy the
      // machine was (a quiet desktop scores 1,000 and more; a loaded one far less).
      'script ms (real)': Math.round(scriptEvaluation(audits) / result.lhr.configSettings.throttling.cpuSlowdownMultiplier),
      benchmark: Math.round(result.lhr.environment.benchmarkIndex),
    };
    rows.push(row);
    const below = Object.entries(GOALS).filter(([id, goal]) => row[id] < goal);
    if (below.length > 0) {
      failed = true;
      for (const [id] of below) {
        const failing = result.lhr.categories[id].auditRefs
          .map((ref) => audits[ref.id])
          .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative')
          .map((audit) => `${audit.id} (${audit.displayValue ?? Math.round(audit.score * 100)})`);
        console.log(`${page.name} ${id} ${row[id]} < ${GOALS[id]}: ${failing.join(', ')}`);
      }
    }
    fs.writeFileSync(path.join(os.tmpdir(), `cunzhi-lighthouse-${page.name}.json`), result.report);
  }
} finally {
  await chrome.kill();
  server.stop();
  fs.rmSync(webDist, { recursive: true, force: true });
}
console.log(
  `\nLighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, ${CHROMIUM}`,
);
console.table(rows);
console.log(
  `Goals: performance ≥ ${GOALS.performance}, accessibility ≥ ${GOALS.accessibility}, best practices ≥ ${GOALS['best-practices']}.`,
);
console.log(`Full reports: ${path.join(os.tmpdir(), 'cunzhi-lighthouse-<page>.json')}`);
if (failed) process.exitCode = 1;
