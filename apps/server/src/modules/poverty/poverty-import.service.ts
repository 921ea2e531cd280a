// The XLSX import of households' figures for one place: the office of that place (or above)
// uploads the sheet; households are found by their number among the place's households.
import type { Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { readXlsx } from '../../platform/xlsx.ts';
import { householdHeadsUnder } from '../org/households.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { guardPlace } from './poverty-access.ts';
import { recordImported } from './poverty-economics.service.ts';
import { ECONOMICS_COLUMNS, type ImportProblem, parseEconomicsRows } from './poverty-import.ts';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MAX_ROWS = 5000;

export async function importEconomics(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  regionId: string,
  workbook: Buffer,
): Promise<{ imported: number; flagged: number }> {
  const region = await requireRegion(deps, regionId);
  await guardPlace(deps, principal, actor, 'poverty.economics.import', region.placement, {
    type: 'region',
    id: region.id,
    notFound: 'region',
  });
  let rows: string[][];
  try {
    if (!workbook.subarray(0, 4).equals(ZIP_MAGIC)) throw new Error('not a zip');
    rows = readXlsx(workbook);
  } catch {
    throw new AppError('validation_failed', {}, [{ field: 'body', problem: 'not an XLSX workbook' }]);
  }
  if (rows.length - 1 > MAX_ROWS) throw new AppError('validation_failed', {}, [{ field: 'body', problem: `more than ${MAX_ROWS} rows` }]);
  const { parsed, problems } = parseEconomicsRows(rows);
  const households = new Map((await householdHeadsUnder(deps, region.id)).map((h) => [h.number, h]));
  const found = [];
  const all: ImportProblem[] = [...problems];
  for (const row of parsed) {
    const household = households.get(row.number);
    const field = ECONOMICS_COLUMNS.number[0];
    if (row.number && !household) all.push({ line: row.line, field, code: 'not_found', params: { target: 'household' } });
    if (row.input.labour > row.input.members)
      all.push({
        line: row.line,
        field: ECONOMICS_COLUMNS.labour[0],
        code: 'import_field_invalid',
        params: { column: ECONOMICS_COLUMNS.labour[0] },
      });
    if (household) found.push({ household, input: row.input });
  }
  if (all.length > 0) {
    all.sort((a, b) => a.line - b.line);
    throw new AppError('import_failed', { count: all.length }, { problems: all });
  }
  return recordImported(deps, principal, actor, found);
}
