// The service items table. Items come back without their department's name: departments belong
// to the org module, and the catalogue service adds the names it gets from there.
import { type Kysely, sql } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { containsText } from '../../db/like.ts';
import type { DB, ServiceItemTable } from '../../db/schema.ts';
import { uuidv7 } from '../../platform/ids.ts';

/** `sample`: the id of a filled-in sample of the material (样表), when the county has put one up. */
export type Material = { name: string; required: boolean; note: string; sample?: string | null };

export type StoredItem = {
  id: string;
  code: string;
  name: string;
  departmentId: string;
  legalBasis: string;
  materials: Material[];
  fee: string;
  statutoryDays: number;
  promisedDays: number;
  places: string[];
  tags: string[];
  lifeEvents: string[];
  /** Short names and synonyms people search by. */
  aliases: string[];
  active: boolean;
};

/** What the county keeps of an item; the search text is derived from the name. */
export type ItemWrite = Omit<StoredItem, 'id'> & { searchText: string };

const toItem = (r: ServiceItemTable): StoredItem => ({
  id: r.id,
  code: r.code,
  name: r.name,
  departmentId: r.department_id,
  legalBasis: r.legal_basis,
  materials: JSON.parse(r.materials) as Material[],
  fee: r.fee,
  statutoryDays: r.statutory_days,
  promisedDays: r.promised_days,
  places: JSON.parse(r.places) as string[],
  tags: JSON.parse(r.tags) as string[],
  lifeEvents: JSON.parse(r.life_events) as string[],
  aliases: JSON.parse(r.aliases ?? '[]') as string[],
  active: r.active === 1,
});

const columnsOf = (item: ItemWrite, now: number) => ({
  name: item.name,
  department_id: item.departmentId,
  legal_basis: item.legalBasis,
  materials: JSON.stringify(item.materials),
  fee: item.fee,
  statutory_days: item.statutoryDays,
  promised_days: item.promisedDays,
  places: JSON.stringify(item.places),
  tags: JSON.stringify(item.tags),
  life_events: JSON.stringify(item.lifeEvents),
  aliases: JSON.stringify(item.aliases),
  search_text: item.searchText,
  active: item.active ? 1 : 0,
  updated_at: now,
});

export async function findItem(db: Kysely<DB>, id: string): Promise<StoredItem | undefined> {
  const row = await db.selectFrom('service_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toItem(row);
}

export async function findItemByCode(db: Kysely<DB>, code: string): Promise<StoredItem | undefined> {
  const row = await db.selectFrom('service_items').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toItem(row);
}

export type ItemFilter = {
  /**
   * Lower-case words, each with the words it stands for (a short name's full names): every word
   * must match the name, its aliases, its pinyin or its initials, itself or through one it stands for.
   */
  words: string[][];
  tag?: string;
  lifeEvent?: string;
  departmentId?: string;
  includeInactive?: boolean;
  /** The code of the last item of the previous page. */
  after?: readonly [string];
  limit: number;
};

/** Items in code order, filtered; fetches `limit + 1` for `toPage`. */
export async function listItems(db: Kysely<DB>, filter: ItemFilter): Promise<StoredItem[]> {
  let query = db.selectFrom('service_items as i').selectAll('i');
  if (!filter.includeInactive) query = query.where('i.active', '=', 1);
  for (const alternatives of filter.words) {
    const [first, ...rest] = alternatives.map((word) => containsText('i.search_text', word));
    if (first) query = query.where(rest.length === 0 ? first : sql<boolean>`(${sql.join([first, ...rest], sql` or `)})`);
  }
  if (filter.tag) query = query.where(containsText('i.tags', `"${filter.tag}"`));
  if (filter.lifeEvent) query = query.where(containsText('i.life_events', `"${filter.lifeEvent}"`));
  if (filter.departmentId) query = query.where('i.department_id', '=', filter.departmentId);
  const rows = await keysetPage(query, [['i.code', 'asc']], filter.after, filter.limit).execute();
  return rows.map(toItem);
}

export async function allItems(db: Kysely<DB>): Promise<StoredItem[]> {
  return (await db.selectFrom('service_items').selectAll().orderBy('code').execute()).map(toItem);
}

export async function itemCodes(db: Kysely<DB>): Promise<Set<string>> {
  return new Set((await db.selectFrom('service_items').select('code').execute()).map((r) => r.code));
}

export async function insertItem(db: Kysely<DB>, item: ItemWrite, now: number): Promise<StoredItem> {
  const row = await db
    .insertInto('service_items')
    .values({ id: uuidv7(now), code: item.code, ...columnsOf(item, now), created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(row);
}

export async function updateItem(db: Kysely<DB>, id: string, item: ItemWrite, now: number): Promise<StoredItem> {
  const row = await db.updateTable('service_items').set(columnsOf(item, now)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toItem(row);
}

export async function updateMaterials(db: Kysely<DB>, id: string, materials: Material[], now: number): Promise<StoredItem> {
  const row = await db
    .updateTable('service_items')
    .set({ materials: JSON.stringify(materials), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(row);
}

/** By its name, which the demo county's data uses to name items. */
export async function findItemByName(db: Kysely<DB>, name: string): Promise<StoredItem | undefined> {
  const row = await db.selectFrom('service_items').selectAll().where('name', '=', name).orderBy('code').executeTakeFirst();
  return row && toItem(row);
}
