// `npm run import:regions -- <file>`, `npm run import:grids -- <file>`, `npm run import:households -- <file>`
// Reads a county's own spreadsheet (XLSX, or CSV in UTF-8) into the configured database. Every row
// is checked first; with any problem each is printed with its line and nothing is imported.
// Exits 0 when imported, 1 when refused, 2 on bad usage or configuration.
import fs from 'node:fs';
import { loadConfig } from '../config.ts';
import {
  GRID_COLUMNS,
  HOUSEHOLD_COLUMNS,
  type ImportResult,
  importGrids,
  importHouseholds,
  importRegions,
  REGION_COLUMNS,
} from '../modules/org/org-import.service.ts';
import { type Columns, readSheet, type Sheet } from '../modules/org/org-import.sheet.ts';
import { keepDataPrivate, prepare } from '../platform/bootstrap.ts';
import type { Deps } from '../platform/deps.ts';
import { exitWith } from './cli-output.ts';

const KINDS: Record<string, { columns: Columns; required: string[]; run(deps: Deps, sheet: Sheet): Promise<ImportResult> }> = {
  regions: { columns: REGION_COLUMNS, required: ['code', 'name'], run: (deps, sheet) => importRegions(deps, sheet) },
  grids: { columns: GRID_COLUMNS, required: ['village', 'name', 'groups'], run: (deps, sheet) => importGrids(deps, sheet) },
  households: {
    columns: HOUSEHOLD_COLUMNS,
    required: ['number', 'region', 'name', 'relation'],
    run: (deps, sheet) => importHouseholds(deps, sheet),
  },
};

const [kind, file] = process.argv.slice(2);
const plan = kind ? KINDS[kind] : undefined;
if (!plan || !file) {
  process.stderr.write('usage: import-org.ts <regions|grids|households> <file.xlsx|file.csv>\n');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  process.stderr.write(`no such file: ${file}\n`);
  process.exit(2);
}

try {
  const config = loadConfig();
  keepDataPrivate(config);
  const sheet = readSheet(fs.readFileSync(file), plan.columns, plan.required);
  const { database, deps } = await prepare(config);
  let result: ImportResult;
  try {
    result = await plan.run(deps, sheet);
  } finally {
    await database.close();
  }
  const people = result.people === undefined ? '' : `, ${result.people} 人 people`;
  process.stdout.write(`已导入 imported: ${result.imported} ${kind}${people}\n`);
  process.exit(0);
} catch (error) {
  exitWith(error);
}
