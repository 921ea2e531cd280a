// The spreadsheets a county already has (CSV saved from Excel or WPS, or the XLSX itself), read as
// rows under named columns, each with the line number a clerk sees in the spreadsheet program.
import { readXlsx } from '../../platform/xlsx.ts';

export type SheetRow = { line: number; get(column: string): string };
export type Sheet = { rows: SheetRow[]; missingColumns: string[] };

/** Each column by the names a county's sheets use for it: Chinese first, then English. */
export type Columns = Record<string, readonly string[]>;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** An XLSX workbook (by its ZIP signature, whatever the file is called) or UTF-8 CSV. */
export function readSheet(content: Buffer, columns: Columns, required: readonly string[]): Sheet {
  const lines = content.subarray(0, 4).equals(ZIP_MAGIC)
    ? readXlsx(content).map((cells, index) => ({ line: index + 1, cells }))
    : csvLines(content.toString('utf8'));
  const [header, ...body] = lines;
  const names = (header?.cells ?? []).map(normalizeHeader);
  const indexOf = new Map<string, number>();
  for (const [column, aliases] of Object.entries(columns)) {
    const wanted = new Set(aliases.map(normalizeHeader));
    const index = names.findIndex((name) => wanted.has(name));
    if (index >= 0) indexOf.set(column, index);
  }
  return {
    missingColumns: required.filter((column) => !indexOf.has(column)).map((column) => columns[column]?.[0] ?? column),
    rows: body.map(({ line, cells }) => ({
      line,
      get: (column) => {
        const index = indexOf.get(column);
        return index === undefined ? '' : (cells[index] ?? '').trim();
      },
    })),
  };
}

const normalizeHeader = (name: string) =>
  name
    .replace(/^\ufeff/, '')
    .replace(/[\s*＊:：()（）]/g, '')
    .toLowerCase();

/** RFC 4180 CSV; each row keeps the line it starts on; blank lines are skipped, not renumbered. */
export function csvLines(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  const input = text.replace(/^\ufeff/, '');
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(field);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    field = '';
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === '\n') line++;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') {
        i++;
        line++;
      } else if (ch === '\r') line++;
      endRow();
      rowLine = line;
    } else field += ch;
  }
  endRow();
  return rows;
}
