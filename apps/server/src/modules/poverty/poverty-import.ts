// Households' figures from the county's XLSX sheets (the form 防返贫监测信息采集表 as offices keep
// it): one row per household, found by its number; every row is checked first and each problem
// reported with its line and column, and with any problem nothing is written.
import type { EconomicsInput } from '@cunzhi/contracts/poverty';
import type { ErrorCode } from '../../platform/errors.ts';

export type ImportProblem = { line: number; field: string; code: ErrorCode; params?: Record<string, string | number> };

/** Each column by the names sheets use for it, Chinese first. */
export const ECONOMICS_COLUMNS = {
  number: ['户号', 'household_number'],
  year: ['年度', 'year'],
  members: ['家庭人口', '家庭人口数', 'members'],
  labour: ['劳动力', '劳动力人数', 'labour'],
  formerlyPoor: ['脱贫户', 'formerly_poor'],
  wage: ['工资性收入', 'wage'],
  business: ['生产经营性收入', '经营性收入', 'business'],
  property: ['财产性收入', 'property'],
  transfer: ['转移性收入', 'transfer'],
  other: ['其他收入', 'other'],
  incomeLast12: ['近12个月收入', '近十二个月收入', 'income_last12'],
  illness: ['医疗支出', 'illness'],
  schooling: ['教育支出', 'schooling'],
  disaster: ['受灾', 'disaster'],
  seriousIllness: ['重病', 'serious_illness'],
} as const;
type Column = keyof typeof ECONOMICS_COLUMNS;
const REQUIRED: Column[] = ['number', 'year', 'members', 'labour', 'incomeLast12'];

const YES = new Set(['是', 'y', 'yes', '1', 'true']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '']);

const normalise = (name: string) =>
  name
    .replace(/^\ufeff/, '')
    .replace(/[\s*＊:：()（）]/g, '')
    .toLowerCase();

export type ParsedRow = { line: number; number: string; input: EconomicsInput };

/** Rows of text (the first is the header) into inputs and problems. */
export function parseEconomicsRows(rows: string[][]): { parsed: ParsedRow[]; problems: ImportProblem[] } {
  const [header = [], ...body] = rows;
  const names = header.map(normalise);
  const index = new Map<Column, number>();
  for (const [column, aliases] of Object.entries(ECONOMICS_COLUMNS) as [Column, readonly string[]][]) {
    const at = names.findIndex((name) => aliases.map(normalise).includes(name));
    if (at >= 0) index.set(column, at);
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0)
    return {
      parsed: [],
      problems: missing.map((c) => ({
        line: 1,
        field: ECONOMICS_COLUMNS[c][0],
        code: 'import_field_missing',
        params: { column: ECONOMICS_COLUMNS[c][0] },
      })),
    };
  const parsed: ParsedRow[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  body.forEach((cells, i) => {
    const line = i + 2;
    const get = (c: Column) => {
      const at = index.get(c);
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    const bad = (c: Column) =>
      problems.push({ line, field: ECONOMICS_COLUMNS[c][0], code: 'import_field_invalid', params: { column: ECONOMICS_COLUMNS[c][0] } });
    const amount = (c: Column, max = 100_000_000): number | undefined => {
      const text = get(c);
      if (text === '') return undefined;
      const value = Number(text.replace(/[,，]/g, ''));
      if (!Number.isFinite(value) || value < 0 || value > max) {
        bad(c);
        return undefined;
      }
      return value;
    };
    const whole = (c: Column, min: number, max: number): number => {
      const value = Number(get(c));
      if (!Number.isInteger(value) || value < min || value > max) bad(c);
      return value;
    };
    const flag = (c: Column): boolean => {
      const text = get(c).toLowerCase();
      if (YES.has(text)) return true;
      if (!NO.has(text)) bad(c);
      return false;
    };
    const number = get('number');
    if (!number || number.length > 40) bad('number');
    else if (seen.has(number))
      problems.push({
        line,
        field: ECONOMICS_COLUMNS.number[0],
        code: 'import_field_invalid',
        params: { column: ECONOMICS_COLUMNS.number[0] },
      });
    seen.add(number);
    const year = whole('year', 2000, 2100);
    const members = whole('members', 1, 30);
    const labour = whole('labour', 0, 30);
    if (get('incomeLast12') === '') bad('incomeLast12');
    const incomeLast12 = amount('incomeLast12') ?? 0;
    const expenses: EconomicsInput['expenses'] = [];
    const illness = amount('illness');
    if (illness) expenses.push({ kind: 'illness', amount: illness });
    const schooling = amount('schooling');
    if (schooling) expenses.push({ kind: 'schooling', amount: schooling });
    const income: EconomicsInput['income'] = {};
    for (const source of ['wage', 'business', 'property', 'transfer', 'other'] as const) {
      const value = amount(source);
      if (value !== undefined) income[source] = value;
    }
    parsed.push({
      line,
      number,
      input: {
        year,
        members,
        labour,
        formerlyPoor: flag('formerlyPoor'),
        income,
        incomeLast12,
        expenses,
        // A sheet of figures says nothing of the assurances: the visit records them.
        assurances: { food: true, clothing: true, education: true, medical: true, housing: true, water: true },
        seriousIllness: flag('seriousIllness'),
        disaster: flag('disaster'),
      },
    });
  });
  return { parsed, problems };
}
