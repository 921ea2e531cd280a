// The catalogue of government service items (政务服务事项): searched by words and pinyin (full or
// initials: "yyzz" finds 营业执照), browsed by tag and life event, kept by the county, imported and
// exported as CSV (and exported as XLSX).
import { type ItemsQuery, SERVICE_TAGS, type ServiceItem } from '@cunzhi/contracts/services';
import type { Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import type { DB } from '../../db/schema.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { departmentExists, departmentNames, listDepartments } from '../org/departments.service.ts';
import * as repo from './catalogue.repository.ts';
import { CSV_HEADER, type ItemInput, itemProblem, readCatalogueTable } from './catalogue-table.ts';
import { expandSearchWord } from './search-aliases.ts';

export type { ServiceItem };

/** What search matches: the name and each alias, with their pinyin and pinyin initials, lower case. */
export function searchTextOf(name: string, aliases: readonly string[] = []): string {
  return [name, ...aliases]
    .map((words) => {
      const syllables = pinyin(words, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
      const initials = pinyin(words, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
      return `${words} ${syllables.join('')} ${initials.join('')}`;
    })
    .join(' ')
    .toLowerCase();
}

/** Items as the API shows them: with the name of their department, which the org module keeps. */
async function named(deps: Deps, items: repo.StoredItem[]): Promise<ServiceItem[]> {
  if (items.length === 0) return [];
  const names = await departmentNames(deps);
  return items.map((item) => ({ ...item, departmentName: names.get(item.departmentId) ?? '' }));
}

export async function findItem(deps: Deps, id: string): Promise<ServiceItem | undefined> {
  const item = await repo.findItem(deps.reader, id);
  return item && (await named(deps, [item]))[0];
}

export async function getItem(deps: Deps, id: string): Promise<ServiceItem> {
  const item = await findItem(deps, id);
  if (!item) throw notFound('serviceItem');
  return item;
}

/**
 * Items in code order, filtered; every word of `q` must match ("营业 变更" and "yyzz bg" both narrow
 * down), by the name, an alias, their pinyin, or a common short name ("低保": search-aliases.ts).
 */
export async function listItems(deps: Deps, query: ItemsQuery & { includeInactive?: boolean }): Promise<Page<ServiceItem>> {
  const limit = query.limit ?? 50;
  const rows = await repo.listItems(deps.reader, {
    words: query.q?.trim() ? query.q.trim().toLowerCase().split(/\s+/).map(expandSearchWord) : [],
    tag: query.tag,
    lifeEvent: query.lifeEvent,
    departmentId: query.departmentId,
    includeInactive: query.includeInactive,
    after: decodeCursor(query.cursor, ['text'] as const),
    limit,
  });
  const page = toPage(rows, limit, (item) => [item.code]);
  return { items: await named(deps, page.items), nextCursor: page.nextCursor };
}

export async function allItems(deps: Deps): Promise<ServiceItem[]> {
  return named(deps, await repo.allItems(deps.reader));
}

function checkItem(input: ItemInput): void {
  const problem = itemProblem(input);
  if (problem) throw new AppError('validation_failed', {}, problem);
}

/**
 * Inserts or updates an item by its code (the county's catalogue number), inside the caller's
 * transaction. A material keeps its sample when it keeps its name (an import carries no samples).
 */
export async function upsertItem(db: Kysely<DB>, input: ItemInput, now: number): Promise<repo.StoredItem> {
  const aliases = [...new Set((input.aliases ?? []).map((a) => a.trim()).filter(Boolean))];
  const values = { ...input, aliases, active: input.active !== false, searchText: searchTextOf(input.name, aliases) };
  const existing = await repo.findItemByCode(db, input.code);
  if (!existing) return repo.insertItem(db, values, now);
  const samples = new Map(existing.materials.map((m) => [m.name, m.sample ?? null]));
  const materials = input.materials.map((m) => ({ ...m, sample: m.sample ?? samples.get(m.name) ?? null }));
  return repo.updateItem(db, existing.id, { ...values, materials }, now);
}

/** The county whose catalogue a system administrator keeps. */
function countyOf(principal: Principal): string {
  const county = principal.assignments.find((a) => a.role === 'systemAdmin');
  if (!county) throw forbidden();
  return county.regionId;
}

export async function saveItem(deps: Deps, principal: Principal, actor: Actor, input: ItemInput): Promise<ServiceItem> {
  const countyId = countyOf(principal);
  authorize(principal, 'services.catalogue', { regionId: countyId, villageId: null, townshipId: null, countyId }, 'region');
  checkItem(input);
  if (!(await departmentExists(deps.db, input.departmentId))) throw notFound('department');
  const saved = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const item = await upsertItem(trx, input, now);
    await recordAudit(trx, actor, { action: 'services.item.save', targetType: 'serviceItem', targetId: item.id, regionId: countyId }, now);
    return item;
  });
  return (await named(deps, [saved]))[0] as ServiceItem;
}

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
  const countyId = countyOf(principal);
  const departments = new Map((await listDepartments(deps)).map((d) => [d.name, d.id]));
  const { header, inputs, problems } = readCatalogueTable(table, departments);
  if (!header) throw new AppError('validation_failed', {}, { field: 'header', expected: CSV_HEADER.join(',') });
  if (problems.length > 0) throw new AppError('import_failed', { count: problems.length }, { problems: problems.slice(0, 100) });
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const existing = await repo.itemCodes(trx);
    for (const input of inputs) await upsertItem(trx, input, now);
    const updated = inputs.filter((i) => existing.has(i.code)).length;
    await recordAudit(
      trx,
      actor,
      {
        action: 'services.catalogue.import',
        targetType: 'serviceCatalogue',
        targetId: null,
        regionId: countyId,
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

export async function catalogueStatistics(deps: Deps): Promise<CatalogueStatistics> {
  const active = (await allItems(deps)).filter((i) => i.active);
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

const extensionOf = (contentType: string) => (contentType === 'application/pdf' ? 'pdf' : 'jpg');

/** Puts up a filled-in sample (a picture or PDF, checked by its content) for one material of an item. */
export async function addSample(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  itemId: string,
  material: string,
  data: Buffer,
): Promise<ServiceItem> {
  const countyId = countyOf(principal);
  const item = await repo.findItem(deps.reader, itemId);
  if (!item) throw notFound('serviceItem');
  if (!item.materials.some((m) => m.name === material))
    throw new AppError('validation_failed', {}, { field: 'material', known: item.materials.map((m) => m.name) });
  const checked = await checkDocument(data);
  const now = deps.now();
  const sample = `${uuidv7(now)}.${extensionOf(checked.contentType)}`;
  await deps.files.put(`services/samples/${itemId}/${sample}`, checked.data);
  const saved = await deps.db.transaction().execute(async (trx) => {
    const current = (await repo.findItem(trx, itemId)) ?? item;
    const materials = current.materials.map((m) => (m.name === material ? { ...m, sample } : m));
    const updated = await repo.updateMaterials(trx, itemId, materials, now);
    await recordAudit(
      trx,
      actor,
      { action: 'services.sample.add', targetType: 'serviceItem', targetId: itemId, regionId: countyId, details: { material } },
      now,
    );
    return updated;
  });
  return (await named(deps, [saved]))[0] as ServiceItem;
}

/** A sample anyone signed in may look at: it holds no one's data. */
export async function sampleFile(deps: Deps, itemId: string, sample: string): Promise<{ data: Buffer; contentType: string }> {
  const item = await repo.findItem(deps.reader, itemId);
  if (!item?.materials.some((m) => m.sample === sample)) throw notFound('file');
  const data = await deps.files.get(`services/samples/${itemId}/${sample}`);
  if (!data) throw notFound('file');
  return { data, contentType: sample.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg' };
}
