// The catalogue of government service items (政务服务事项): searched by words and pinyin (full or
// initials: "yyzz" finds 营业执照), browsed by tag and life event, kept by the county, imported and
// exported as CSV (and exported as XLSX).
import { SERVICE_PLACES, SERVICE_TAGS, type ServiceItem } from '@cunzhi/contracts/services';
import type { Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import { containsText } from '../../db/like.ts';
import type { DB, ServiceItemTable } from '../../db/schema.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export { LIFE_EVENTS, SERVICE_PLACES, SERVICE_TAGS } from '@cunzhi/contracts/services';

/** `sample`: the id of a filled-in sample of the material (样表), when the county has put one up. */
export type Material = { name: string; required: boolean; note: string; sample?: string | null };

export type { ServiceItem };

export type ItemInput = Omit<ServiceItem, 'id' | 'departmentName' | 'active'> & { active?: boolean };

/** What search matches: the name, its pinyin and its pinyin initials, lower case. */
export function searchTextOf(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  return `${name} ${syllables.join('')} ${initials.join('')}`.toLowerCase();
}

type Row = ServiceItemTable & { department_name: string };

const toItem = (r: Row): ServiceItem => ({
  id: r.id,
  code: r.code,
  name: r.name,
  departmentId: r.department_id,
  departmentName: r.department_name,
  legalBasis: r.legal_basis,
  materials: JSON.parse(r.materials) as Material[],
  fee: r.fee,
  statutoryDays: r.statutory_days,
  promisedDays: r.promised_days,
  places: JSON.parse(r.places) as string[],
  tags: JSON.parse(r.tags) as string[],
  lifeEvents: JSON.parse(r.life_events) as string[],
  active: r.active === 1,
});

const selectItems = (db: Kysely<DB>) =>
  db
    .selectFrom('service_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .selectAll('i')
    .select('d.name as department_name');

export async function findItem(db: Kysely<DB>, id: string): Promise<ServiceItem | undefined> {
  const row = await selectItems(db).where('i.id', '=', id).executeTakeFirst();
  return row && toItem(row);
}

export type ItemFilter = {
  q?: string;
  tag?: string;
  lifeEvent?: string;
  departmentId?: string;
  includeInactive?: boolean;
  limit: number;
  cursor?: string;
};

/** Items in code order, filtered; keyset-paged by code. */
export async function listItems(db: Kysely<DB>, filter: ItemFilter): Promise<{ items: ServiceItem[]; nextCursor: string | null }> {
  let query = selectItems(db);
  if (!filter.includeInactive) query = query.where('i.active', '=', 1);
  if (filter.q?.trim()) {
    // Every word must match: "营业 变更" and "yyzz bg" both narrow down.
    for (const word of filter.q.trim().toLowerCase().split(/\s+/)) {
      query = query.where(containsText('i.search_text', word));
    }
  }
  if (filter.tag) query = query.where(containsText('i.tags', `"${filter.tag}"`));
  if (filter.lifeEvent) query = query.where(containsText('i.life_events', `"${filter.lifeEvent}"`));
  if (filter.departmentId) query = query.where('i.department_id', '=', filter.departmentId);
  if (filter.cursor) query = query.where('i.code', '>', filter.cursor);
  const rows = await query
    .orderBy('i.code')
    .limit(filter.limit + 1)
    .execute();
  const items = rows.slice(0, filter.limit).map(toItem);
  return { items, nextCursor: rows.length > filter.limit ? (items[items.length - 1]?.code ?? null) : null };
}

function checkItem(input: ItemInput): void {
  if (input.promisedDays > input.statutoryDays) {
    throw new AppError('validation_failed', {}, { field: 'promisedDays', problem: 'the promised time cannot exceed the statutory one' });
  }
  for (const tag of input.tags)
    if (!(SERVICE_TAGS as readonly string[]).includes(tag)) throw new AppError('validation_failed', {}, { field: 'tags', tag });
  for (const place of input.places)
    if (!(SERVICE_PLACES as readonly string[]).includes(place)) throw new AppError('validation_failed', {}, { field: 'places', place });
  if (input.tags.includes('fullyOnline') && !input.places.includes('online')) {
    throw new AppError('validation_failed', {}, { field: 'tags', problem: 'a fully online item must be offered online' });
  }
}

/** Inserts or updates an item by its code (the county's catalogue number). */
export async function upsertItem(db: Kysely<DB>, input: ItemInput, now: number): Promise<string> {
  const values = {
    name: input.name,
    department_id: input.departmentId,
    legal_basis: input.legalBasis,
    materials: JSON.stringify(input.materials),
    fee: input.fee,
    statutory_days: input.statutoryDays,
    promised_days: input.promisedDays,
    places: JSON.stringify(input.places),
    tags: JSON.stringify(input.tags),
    life_events: JSON.stringify(input.lifeEvents),
    search_text: searchTextOf(input.name),
    active: input.active === false ? 0 : 1,
    updated_at: now,
  };
  const existing = await db.selectFrom('service_items').select(['id', 'materials']).where('code', '=', input.code).executeTakeFirst();
  if (existing) {
    // A material keeps its sample when it keeps its name (an import carries no samples).
    const samples = new Map((JSON.parse(existing.materials) as Material[]).map((m) => [m.name, m.sample ?? null]));
    const materials = input.materials.map((m) => ({ ...m, sample: m.sample ?? samples.get(m.name) ?? null }));
    await db
      .updateTable('service_items')
      .set({ ...values, materials: JSON.stringify(materials) })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const id = uuidv7(now);
  await db
    .insertInto('service_items')
    .values({ id, code: input.code, ...values, created_at: now })
    .execute();
  return id;
}

async function departmentIds(db: Kysely<DB>): Promise<Set<string>> {
  return new Set((await db.selectFrom('departments').select('id').execute()).map((d) => d.id));
}

export async function saveItem(deps: Deps, principal: Principal, actor: Actor, input: ItemInput): Promise<ServiceItem> {
  const county = principal.assignments.find((a) => a.role === 'systemAdmin');
  if (!county) throw new AppError('forbidden');
  authorize(
    principal,
    'services.catalogue',
    { regionId: county.regionId, villageId: null, townshipId: null, countyId: county.regionId },
    'region',
  );
  checkItem(input);
  if (!(await departmentIds(deps.db)).has(input.departmentId)) throw notFound('department');
  const id = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const saved = await upsertItem(trx, input, now);
    await recordAudit(
      trx,
      actor,
      { action: 'services.item.save', targetType: 'serviceItem', targetId: saved, regionId: county.regionId },
      now,
    );
    return saved;
  });
  return (await findItem(deps.db, id)) as ServiceItem;
}

// ---- CSV --------------------------------------------------------------------------------------

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

export async function allItems(db: Kysely<DB>): Promise<ServiceItem[]> {
  return (await selectItems(db).orderBy('i.code').execute()).map(toItem);
}

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
 * Imports a catalogue table (the export's columns, from CSV or XLSX): every row is checked first; with any problem
 * nothing is stored and every problem is reported by line, otherwise each row is inserted or
 * updated by its code in one transaction.
 */
export async function importCatalogue(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  table: string[][],
): Promise<{ inserted: number; updated: number }> {
  const county = principal.assignments.find((a) => a.role === 'systemAdmin');
  if (!county) throw new AppError('forbidden');
  const [header, ...rows] = table;
  if (!header || CSV_COLUMNS.some((c, i) => header[i]?.trim() !== c)) {
    throw new AppError('validation_failed', {}, { field: 'header', expected: CSV_COLUMNS.join(',') });
  }
  const departments = new Map((await deps.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
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
    const departmentId = departments.get(get('department'));
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
    try {
      checkItem(input);
    } catch (error) {
      const details = (error as AppError).details as { field?: string; problem?: string; tag?: string; place?: string };
      problems.push({
        line,
        field: details?.field ?? '?',
        problem: details?.problem ?? `unknown value ${details?.tag ?? details?.place ?? ''}`,
      });
    }
    inputs.push(input);
  }
  if (problems.length > 0) throw new AppError('import_failed', { count: problems.length }, { problems: problems.slice(0, 100) });
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const existing = new Set((await trx.selectFrom('service_items').select('code').execute()).map((r) => r.code));
    for (const input of inputs) await upsertItem(trx, input, now);
    const updated = inputs.filter((i) => existing.has(i.code)).length;
    await recordAudit(
      trx,
      actor,
      {
        action: 'services.catalogue.import',
        targetType: 'serviceCatalogue',
        targetId: null,
        regionId: county.regionId,
        details: { rows: inputs.length },
      },
      now,
    );
    return { inserted: inputs.length - updated, updated };
  });
}

export type CatalogueStatistics = {
  total: number;
  byTag: Record<string, number>;
  fullyOnlineShare: number;
  byDepartment: { name: string; count: number }[];
};

export async function catalogueStatistics(db: Kysely<DB>): Promise<CatalogueStatistics> {
  const items = await allItems(db);
  const active = items.filter((i) => i.active);
  const byTag = Object.fromEntries(SERVICE_TAGS.map((tag) => [tag, active.filter((i) => i.tags.includes(tag)).length]));
  const departments = new Map<string, number>();
  for (const item of active) departments.set(item.departmentName, (departments.get(item.departmentName) ?? 0) + 1);
  return {
    total: active.length,
    byTag,
    fullyOnlineShare: active.length === 0 ? 0 : (byTag.fullyOnline ?? 0) / active.length,
    byDepartment: [...departments].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
  };
}

// ---- Samples ------------------------------------------------------------------------------------

/** Puts up a filled-in sample (a picture or PDF, checked by its content) for one material of an item. */
export async function addSample(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  itemId: string,
  material: string,
  data: Buffer,
): Promise<ServiceItem> {
  const county = principal.assignments.find((a) => a.role === 'systemAdmin');
  if (!county) throw new AppError('forbidden');
  const item = await findItem(deps.reader, itemId);
  if (!item) throw notFound('serviceItem');
  if (!item.materials.some((m) => m.name === material))
    throw new AppError('validation_failed', {}, { field: 'material', known: item.materials.map((m) => m.name) });
  const checked = await checkDocument(data);
  const now = deps.now();
  const fileId = uuidv7(now);
  await deps.files.put(sampleKey(itemId, fileId, checked.contentType), checked.data);
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('service_items').select('materials').where('id', '=', itemId).executeTakeFirstOrThrow();
    const materials = (JSON.parse(row.materials) as Material[]).map((m) =>
      m.name === material ? { ...m, sample: `${fileId}.${checked.contentType === 'application/pdf' ? 'pdf' : 'jpg'}` } : m,
    );
    await trx
      .updateTable('service_items')
      .set({ materials: JSON.stringify(materials), updated_at: now })
      .where('id', '=', itemId)
      .execute();
    await recordAudit(
      trx,
      actor,
      { action: 'services.sample.add', targetType: 'serviceItem', targetId: itemId, regionId: county.regionId, details: { material } },
      now,
    );
  });
  return (await findItem(deps.db, itemId)) as ServiceItem;
}

const sampleKey = (itemId: string, fileId: string, contentType: string) =>
  `services/samples/${itemId}/${fileId}.${contentType === 'application/pdf' ? 'pdf' : 'jpg'}`;

/** A sample anyone signed in may look at: it holds no one's data. */
export async function sampleFile(deps: Deps, itemId: string, sample: string): Promise<{ data: Buffer; contentType: string }> {
  const item = await findItem(deps.reader, itemId);
  if (!item?.materials.some((m) => m.sample === sample)) throw notFound('file');
  const data = await deps.files.get(`services/samples/${itemId}/${sample}`);
  if (!data) throw notFound('file');
  return { data, contentType: sample.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg' };
}
