// `npm run bench`: runs every benchmark, prints a table and writes bench-results.json.
import fs from 'node:fs';
import path from 'node:path';
import { careBench } from './care.bench.ts';
import { casesBench } from './cases.bench.ts';
import { householdsBench } from './households.bench.ts';
import { pointsBench } from './points.bench.ts';
import type { BenchResult } from './results.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const results: BenchResult[] = [];

process.stdout.write('households.list (100,000 households, SQLite)\n');
results.push(...(await householdsBench({ seconds })));

process.stdout.write('points.ledger (grants through the service, SQLite)\n');
results.push(...(await pointsBench({ seconds })));

process.stdout.write('care (10,000 elders, readings in batches of 100, SQLite)\n');
results.push(...(await careBench({ seconds })));

process.stdout.write('cases (1,000,000 cases, SQLite)\n');
results.push(...(await casesBench({ seconds })));

const round = (n: number) => Math.round(n * 100) / 100;
console.table(results.map((r) => ({ ...r, value: round(r.value), referenceValue: round(r.referenceValue), ratio: round(r.ratio) })));
const file = path.resolve(import.meta.dirname, '../../../bench-results.json');
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`written to ${file}\n`);
