import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type Category = {
  id: string;
  countyId: string;
  code: string;
  name: string;
  nameEn: string | null;
  routeTo: 'grid' | 'department';
  departmentId: string | null;
  deadlineHours: number;
  active: boolean;
};

type CategoryRow = {
  id: string;
  county_id: string;
  code: string;
  name: string;
  name_en: string | null;
  route_to: 'grid' | 'department';
  department_id: string | null;
  deadline_hours: number;
  active: number;
};

const toCategory = (row: CategoryRow): Category => ({
  id: row.id,
  countyId: row.county_id,
  code: row.code,
  name: row.name,
  nameEn: row.name_en,
  routeTo: row.route_to,
  departmentId: row.department_id,
  deadlineHours: row.deadline_hours,
  active: row.active === 1,
});

export async function findCategory(db: Kysely<DB>, id: string): Promise<Category | undefined> {
  const row = await db.selectFrom('case_categories').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCategory(row);
}

export async function listCategories(db: Kysely<DB>, countyId: string): Promise<Category[]> {
  const rows = await db.selectFrom('case_categories').selectAll().where('county_id', '=', countyId).orderBy('sort_order').execute();
  return rows.map(toCategory);
}

export async function insertCategory(db: Kysely<DB>, category: Category & { sortOrder?: number }, now: number): Promise<Category> {
  const row = await db
    .insertInto('case_categories')
    .values({
      id: category.id,
      county_id: category.countyId,
      code: category.code,
      name: category.name,
      name_en: category.nameEn,
      route_to: category.routeTo,
      department_id: category.departmentId,
      deadline_hours: category.deadlineHours,
      active: category.active ? 1 : 0,
      sort_order: category.sortOrder ?? 0,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCategory(row);
}

export async function updateCategory(db: Kysely<DB>, category: Category & { sortOrder?: number }): Promise<Category> {
  const row = await db
    .updateTable('case_categories')
    .set({
      code: category.code,
      name: category.name,
      name_en: category.nameEn,
      route_to: category.routeTo,
      department_id: category.departmentId,
      deadline_hours: category.deadlineHours,
      active: category.active ? 1 : 0,
      ...(category.sortOrder !== undefined && { sort_order: category.sortOrder }),
    })
    .where('id', '=', category.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCategory(row);
}
