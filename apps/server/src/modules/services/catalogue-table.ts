// The catalogue as a table: the columns of the CSV and XLSX export, the CSV text itself (RFC 4180),
// and the reading of an imported row back into an item, with every problem named by line.
import { SERVICE_PLACES, SERVICE_TAGS, type ServiceItem } from '@cunzhi/contracts/services';
import type { Material } from './catalogue.repository.ts';

/** An item as the county writes it: the department by id, no derived fields. */
export type ItemInput = Omit<ServiceItem, 'id' | 'departmentName' | 'active' | 'aliases'> & { active?: boolean; aliases?: string[] };

export type ItemProblem = { field: string; problem: string };

/** The rules a form and an import share; the first problem found, or null. */
export function itemProblem(input: ItemInput): ItemProblem | null {
  if (input.promisedDays > input.statutoryDays) {
    return { field: 'promisedDays', problem: 'the promised time cannot exceed the statutory one' };
  }
  for (const tag of input.tags)
    if (!(SERVICE_TAGS as readonly string[]).includes(tag)) return { field: 'tags', problem: `unknown value ${tag}` };
  for (const place of input.places)
    if (!(SERVICE_PLACES as readonly string[]).includes(place)) return { field: 'places', problem: `unknown value ${place}` };
  if (input.tags.includes('fullyOnline') && !input.places.includes('online')) {
    return { field: 'tags', problem: 'a fully online item must be offered online' };
  }
  return null;
}

const CSV_COLUMNS = [
  'code',
  'name',
  'department',
  'legalBasis',
  'materials',
  'fee',
  'statutoryDays',
  'promisedDays',
  'places',
  'tags',
  'lifeEvents',
  'active',
  'aliases',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

/**
 * Each column's heading in the reader's language (Accept-Language). An import takes any of them, or
 * the column's code as older exports wrote it; the aliases column may be missing (older exports).
 */
const HEADINGS: Record<Column, { zh: string; en: string }> = {
  code: { zh: '事项编码', en: 'Code' },
  name: { zh: '事项名称', en: 'Name' },
  department: { zh: '承办部门', en: 'Department' },
  legalBasis: { zh: '设定依据', en: 'Legal basis' },
  materials: { zh: '申请材料', en: 'Materials' },
  fee: { zh: '收费', en: 'Fee' },
  statutoryDays: { zh: '法定办结时限（工作日）', en: 'Statutory days' },
  promisedDays: { zh: '承诺办结时限（工作日）', en: 'Promised days' },
  places: { zh: '办理地点', en: 'Places' },
  tags: { zh: '标签', en: 'Tags' },
  lifeEvents: { zh: '人生事件', en: 'Life events' },
  active: { zh: '在用', en: 'Active' },
  aliases: { zh: '简称和别名', en: 'Short names' },
};

/** The headings of the export in a language. */
export const headerIn = (language: 'zh' | 'en'): string[] => CSV_COLUMNS.map((c) => HEADINGS[c][language]);

const headingMatches = (cell: string | undefined, column: Column) => {
  const text = cell?.trim() ?? '';
  return text === column || text === HEADINGS[column].zh || text === HEADINGS[column].en;
};

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Lists are joined with "|"; a material is "name*" when required, "name" when optional, "name*:note" with a note. */
const materialText = (m: Material) => `${m.name}${m.required ? '*' : ''}${m.note ? `:${m.note}` : ''}`;

export function itemRow(item: ServiceItem): (string | number)[] {
  return [
    item.code,
    item.name,
    item.departmentName,
    item.legalBasis,
    item.materials.map(materialText).join('|'),
    item.fee,
    item.statutoryDays,
    item.promisedDays,
    item.places.join('|'),
    item.tags.join('|'),
    item.lifeEvents.join('|'),
    item.active ? 1 : 0,
    item.aliases.join('|'),
  ];
}

/** The column codes, which an import also takes as headings. */
export const CSV_HEADER = [...CSV_COLUMNS];

export function toCsv(items: ServiceItem[], language: 'zh' | 'en'): string {
  // A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
  return `\ufeff${[headerIn(language), ...items.map(itemRow)].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  // Runs of plain text are sliced out whole rather than appended a character at a time: a
  // megabyte-long field costs one slice, not a million string appends.
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\ufeff/, '');
  const special = /[",\r\n]/g;
  let i = 0;
  while (i < input.length) {
    if (quoted) {
      const quote = input.indexOf('"', i);
      if (quote === -1) {
        field += input.slice(i);
        break;
      }
      field += input.slice(i, quote);
      if (input[quote + 1] === '"') {
        field += '"';
        i = quote + 2;
      } else {
        quoted = false;
        i = quote + 1;
      }
      continue;
    }
    special.lastIndex = i;
    const next = special.exec(input);
    if (!next) {
      field += input.slice(i);
      break;
    }
    field += input.slice(i, next.index);
    i = next.index + 1;
    const ch = next[0];
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else {
      if (ch === '\r' && input[i] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    }
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export type ImportProblem = { line: number; field: string; problem: string };

/**
 * Reads an imported table (the export's columns) into items, naming departments by their ids.
 * Every row is read, so that every problem can be reported by line at once.
 */
export function readCatalogueTable(
  table: string[][],
  departmentIdsByName: Map<string, string>,
): { header: boolean; inputs: ItemInput[]; problems: ImportProblem[] } {
  const [header, ...rows] = table;
  const required = CSV_COLUMNS.filter((c) => c !== 'aliases');
  if (!header || required.some((c, i) => !headingMatches(header[i], c))) return { header: false, inputs: [], problems: [] };
  const problems: ImportProblem[] = [];
  const inputs: ItemInput[] = [];
  const codes = new Set<string>();
  for (const [index, cells] of rows.entries()) {
    const line = index + 2;
    const get = (column: Column) => (cells[CSV_COLUMNS.indexOf(column)] ?? '').trim();
    const list = (column: Column) =>
      get(column)
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
    const number = (column: Column) => {
      const value = Number(get(column));
      if (!Number.isInteger(value) || value < 0 || value > 365)
        problems.push({ line, field: column, problem: 'a whole number of days from 0 to 365' });
      return value;
    };
    const departmentId = departmentIdsByName.get(get('department'));
    if (!get('code')) problems.push({ line, field: 'code', problem: 'required' });
    else if (codes.has(get('code'))) problems.push({ line, field: 'code', problem: 'appears twice' });
    codes.add(get('code'));
    if (!get('name')) problems.push({ line, field: 'name', problem: 'required' });
    if (!departmentId) problems.push({ line, field: 'department', problem: `no department named ${get('department')}` });
    const input: ItemInput = {
      code: get('code'),
      name: get('name'),
      departmentId: departmentId ?? '',
      legalBasis: get('legalBasis'),
      materials: list('materials').map((m) => {
        const [head, ...note] = m.split(':');
        const name = (head ?? '').replace(/\*$/, '');
        return { name, required: (head ?? '').endsWith('*'), note: note.join(':') };
      }),
      fee: get('fee') || '不收费',
      statutoryDays: number('statutoryDays'),
      promisedDays: number('promisedDays'),
      places: list('places'),
      tags: list('tags'),
      lifeEvents: list('lifeEvents'),
      active: get('active') !== '0',
      aliases: list('aliases'),
    };
    const problem = itemProblem(input);
    if (problem) problems.push({ line, ...problem });
    inputs.push(input);
  }
  return { header: true, inputs, problems };
}
