// `npm run bench`: runs every benchmark, prints a table and writes bench-results.json.
import fs from 'node:fs';
import path from 'node:path';
import { careBench } from './care.bench.ts';
import { casesBench } from './cases.bench.ts';
import { householdsBench } from './households.bench.ts';
import { monitoringBench } from './monitoring.bench.ts';
import { monitoringIngestBench } from './monitoring-ingest.bench.ts';
import { pointsBench } from './points.bench.ts';
import type { BenchResult } from './results.ts';
import { screenBench } from './screen.bench.ts';
import { screenBrowserBench } from './screen-browser.bench.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// BENCH_ONLY=care,points runs some of them (while working on one).
const only = process.env.BENCH_ONLY?.split(',');
const results: BenchResult[] = [];

const benches: [string, string, (options: { seconds: number }) => Promise<BenchResult[]>][] = [
  ['households', 'households.list (100,000 households, SQLite)', householdsBench],
  ['points', 'points.ledger (grants through the service, SQLite)', pointsBench],
  ['care', 'care (10,000 elders, readings in batches of 100, SQLite)', careBench],
  ['cases', 'cases (1,000,000 cases, SQLite)', casesBench],
  ['screen', 'screen (the demo county’s wall screen: section reads, requests per minute, SQLite)', screenBench],
  ['monitoring', 'monitoring.detect (held-out synthetic scenes, 1920×1080, worker thread)', monitoringBench],
  ['monitoring-ingest', 'monitoring (1920×1080 snapshots pushed over HTTP while detecting, SQLite)', monitoringIngestBench],
  ['screen-browser', 'screen.render_ms / update_ms (the demo county’s wall screen in chromium, 1920×1080, SQLite)', screenBrowserBench],
];
for (const [name, title, bench] of benches) {
  if (only && !only.includes(name)) continue;
  process.stdout.write(`${title}\n`);
  results.push(...(await bench({ seconds })));
}

const round = (n: number) => Math.round(n * 100) / 100;
console.table(results.map((r) => ({ ...r, value: round(r.value), referenceValue: round(r.referenceValue), ratio: round(r.ratio) })));
const file = path.resolve(import.meta.dirname, '../../../bench-results.json');
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`written to ${file}\n`);
