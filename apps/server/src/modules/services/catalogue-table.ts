// The catalogue as a table: the columns of the CSV and XLSX export, the CSV text itself (RFC 4180),
// and the reading of an imported row back into an item, with every problem named by line.
import { SERVICE_PLACES, SERVICE_TAGS, type ServiceItem } from '@cunzhi/contracts/services';
import type { Material } from './catalogue.repository.ts';

/** An item as the county writes it: the department by id, no derived fields. */
export type ItemInput = Omit<ServiceItem, 'id' | 'departmentName' | 'active'> & { active?: boolean };

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
] as const;

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
  ];
}

export const CSV_HEADER = [...CSV_COLUMNS];

export function toCsv(items: ServiceItem[]): string {
  // A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
  return `\ufeff${[CSV_HEADER, ...items.map(itemRow)].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
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
  if (!header || CSV_COLUMNS.some((c, i) => header[i]?.trim() !== c)) return { header: false, inputs: [], problems: [] };
  const problems: ImportProblem[] = [];
  const inputs: ItemInput[] = [];
  const codes = new Set<string>();
  for (const [index, cells] of rows.entries()) {
    const line = index + 2;
    const get = (column: (typeof CSV_COLUMNS)[number]) => (cells[CSV_COLUMNS.indexOf(column)] ?? '').trim();
    const list = (column: (typeof CSV_COLUMNS)[number]) =>
      get(column)
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
    const number = (column: (typeof CSV_COLUMNS)[number]) => {
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
    };
    const problem = itemProblem(input);
    if (problem) problems.push({ line, ...problem });
    inputs.push(input);
  }
  return { header: true, inputs, problems };
}
