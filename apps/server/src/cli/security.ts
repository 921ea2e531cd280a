// `npm run security`: the long security run. First the access matrix (platform/access-matrix.test.ts,
// the same test npm test runs), then the schema-driven fuzzer (test/fuzz-harness.ts)
// with many cases per route on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), then sqlmap
// against the main search and list endpoints of a demo server on a temporary DATA_DIR, signed in as
// the county administrator. sqlmap is a system package (`apt-get install sqlmap`); this command
// never installs it and says so when it is missing. Prints a summary table; exits 1 on any finding.
//   --runs N            fuzz cases per route (default 50)
//   --seed N            fast-check seed (default 20261201)
//   --no-sqlmap         skip sqlmap
//   --sqlmap-seconds N  time budget per sqlmap endpoint (default 45)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFuzzWorld, type FuzzReport, fuzzWorld, makeSamples, summarise } from '../../test/fuzz-harness.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DialectName } from '../db/dialect.ts';
import { loadDemoCounty } from '../demo-county.ts';
import { DEMO_PASSWORD } from '../modules/org/org.demo.ts';
import { prepare } from '../platform/bootstrap.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option('--runs', 50);
const seed = option('--seed', 20261201);
const sqlmapSeconds = option('--sqlmap-seconds', 45);
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The search and list endpoints whose text parameters reach SQL, and the parameters to test. */
const SQLMAP_TARGETS: { url: string; params: string }[] = [
  { url: '/api/org/households?q=test', params: 'q' },
  { url: '/api/org/people?name=test&phone=138', params: 'name,phone' },
  { url: '/api/cases/?view=region&state=submitted', params: 'view,state' },
  { url: '/api/audit/entries?action=auth.login', params: 'action' },
  { url: '/api/services/items?q=test', params: 'q' },
  { url: '/api/points/claims?state=pending', params: 'state' },
  { url: '/open311/v2/requests.json?service_code=x&status=open', params: 'service_code,status' },
];

type MatrixResult = { sizes: string[]; passed: boolean; failures: string[] };

/** The access matrix as npm test runs it: its printed size, and whether any leak failed it. */
function runAccessMatrix(): MatrixResult {
  out('access matrix: every route as every role, inside and outside its scope…');
  const run = spawnSync('npx', ['vitest', 'run', 'apps/server/src/platform/access-matrix.test.ts'], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes around vitest's lines
  const text = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return {
    sizes: text
      .split('\n')
      .filter((line) => /^access matrix on \w+:/.test(line.trim()))
      .map((line) => line.trim()),
    passed: run.status === 0,
    failures: text
      .split('\n')
      .filter((line) => /^\s*(FAIL|×)/.test(line))
      .map((line) => line.trim()),
  };
}

type SqlmapResult = { url: string; injectable: boolean; finished: boolean; lines: string[] };

async function runFuzz(): Promise<FuzzReport[]> {
  const dialects: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const samples = await makeSamples();
  const reports: FuzzReport[] = [];
  for (const dialect of dialects) {
    out(`fuzzing every route on ${dialect}, ${runs} cases per route…`);
    const world = await buildFuzzWorld(dialect, samples);
    try {
      reports.push(await fuzzWorld(world, { runsPerRoute: runs, seed }));
    } finally {
      await world.close();
    }
  }
  return reports;
}

function sqlmapInstalled(): boolean {
  const probe = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** One sqlmap run, killed when its budget is spent; injectable when sqlmap says it found a point. */
function runSqlmap(baseUrl: string, cookie: string, target: { url: string; params: string }, outputDir: string): Promise<SqlmapResult> {
  const sqlmapArgs = [
    '-u',
    `${baseUrl}${target.url}`,
    '--cookie',
    `cz_session=${cookie}`,
    '-p',
    target.params,
    '--batch',
    '--level',
    '2',
    '--risk',
    '1',
    '--timeout',
    '10',
    '--retries',
    '1',
    '--flush-session',
    '--disable-coloring',
    '--output-dir',
    outputDir,
  ];
  return new Promise((resolve) => {
    const child = spawn('sqlmap', sqlmapArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    let finished = true;
    const timer = setTimeout(() => {
      finished = false;
      child.kill('SIGTERM');
    }, sqlmapSeconds * 1000);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = text.split('\n');
      const injectable = lines.some(
        (l) =>
          !/does not seem to be injectable|not injectable/i.test(l) &&
          (/identified the following injection point/i.test(l) || /is vulnerable/i.test(l) || /appears to be .* injectable/i.test(l)),
      );
      resolve({ url: target.url, injectable, finished, lines });
    });
  });
}

async function runSqlmapAll(): Promise<SqlmapResult[] | string> {
  if (args.includes('--no-sqlmap')) return 'sqlmap: skipped (--no-sqlmap)';
  if (!sqlmapInstalled())
    return 'sqlmap: not installed, skipped. Install it with `sudo apt-get install sqlmap` (Debian/Ubuntu) and run again.';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-security-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  });
  const { database, deps } = await prepare(config);
  await loadDemoCounty(deps);
  const app = await buildApp(deps, { logger: false });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000001', password: DEMO_PASSWORD }),
    });
    const cookie = /cz_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    if (!login.ok || !cookie) return `sqlmap: the demo county administrator could not sign in (${login.status}); skipped`;
    const results: SqlmapResult[] = [];
    for (const target of SQLMAP_TARGETS) {
      out(`sqlmap ${target.url} (-p ${target.params})…`);
      results.push(await runSqlmap(baseUrl, cookie, target, path.join(dataDir, 'sqlmap')));
    }
    return results;
  } finally {
    await app.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const started = performance.now();
const matrix = runAccessMatrix();
const reports = await runFuzz();
const sqlmap = await runSqlmapAll();

out('');
out('== Security checks ==');
let failed = !matrix.passed;
for (const size of matrix.sizes) out(size);
out(`access matrix: ${matrix.passed ? 'leaks found: 0' : 'FAILED'}`);
for (const failure of matrix.failures.slice(0, 40)) out(`  ${failure}`);
for (const report of reports) {
  for (const line of summarise(report)) out(line);
  if (report.findings.length > 0) failed = true;
  for (const finding of report.findings.slice(0, 40))
    out(`  ${finding.kind.toUpperCase()} ${finding.route}\n    ${finding.request}\n    -> ${finding.detail}`);
}
if (typeof sqlmap === 'string') out(sqlmap);
else {
  const injected = sqlmap.filter((r) => r.injectable);
  out(
    `sqlmap (--level 2 --risk 1, ${sqlmapSeconds} s budget each): ${sqlmap.length} endpoints tested, injections found: ${injected.length}`,
  );
  for (const r of sqlmap)
    out(`  ${r.injectable ? 'INJECTABLE' : 'ok'} ${r.url}${r.finished ? '' : ' (budget spent before sqlmap finished)'}`);
  for (const r of injected) for (const line of r.lines.filter((l) => /injectable|vulnerable|Payload:/i.test(l))) out(`    ${line}`);
  if (injected.length > 0) failed = true;
}
out(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
