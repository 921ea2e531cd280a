// `npm run import:regions -- <file>`, `npm run import:grids -- <file>`, `npm run import:households -- <file>`
// Reads a county's own spreadsheet (XLSX, or CSV in UTF-8) into the configured database. Every row
// is checked first; with any problem each is printed with its line and nothing is imported.
// `npm run import:shapes -- <file.geojson>` reads the regions' outlines (a GeoJSON FeatureCollection,
// WGS84, each feature's properties.code a region code) the same way, a problem's line being the
// feature's number.
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
import { importRegionShapes } from '../modules/org/region-shapes.service.ts';
import { keepDataPrivate, prepare } from '../platform/bootstrap.ts';
import type { Deps } from '../platform/deps.ts';
import { exitWith } from './cli-output.ts';

type Plan = { read(data: Buffer): unknown; run(deps: Deps, input: never): Promise<ImportResult> };
const sheetOf = (columns: Columns, required: string[]) => (data: Buffer) => readSheet(data, columns, required);

const KINDS: Record<string, Plan> = {
  regions: { read: sheetOf(REGION_COLUMNS, ['code', 'name']), run: (deps, sheet: Sheet) => importRegions(deps, sheet) },
  grids: { read: sheetOf(GRID_COLUMNS, ['village', 'name', 'groups']), run: (deps, sheet: Sheet) => importGrids(deps, sheet) },
  households: {
    read: sheetOf(HOUSEHOLD_COLUMNS, ['number', 'region', 'name', 'relation']),
    run: (deps, sheet: Sheet) => importHouseholds(deps, sheet),
  },
  shapes: {
    read: (data) => {
      try {
        return JSON.parse(data.toString('utf8'));
      } catch {
        return undefined;
      }
    },
    run: (deps, collection: unknown) => importRegionShapes(deps, collection),
  },
};

const [kind, file] = process.argv.slice(2);
const plan = kind ? KINDS[kind] : undefined;
if (!plan || !file) {
  process.stderr.write('usage: import-org.ts <regions|grids|households|shapes> <file.xlsx|file.csv|file.geojson>\n');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  process.stderr.write(`no such file: ${file}\n`);
  process.exit(2);
}

try {
  const config = loadConfig();
  keepDataPrivate(config);
  const input = plan.read(fs.readFileSync(file)) as never;
  const { database, deps } = await prepare(config);
  let result: ImportResult;
  try {
    result = await plan.run(deps, input);
  } finally {
    await database.close();
  }
  const people = result.people === undefined ? '' : `, ${result.people} 人 people`;
  process.stdout.write(`已导入 imported: ${result.imported} ${kind}${people}\n`);
  process.exit(0);
} catch (error) {
  exitWith(error);
}
