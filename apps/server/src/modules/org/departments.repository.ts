import type { Kysely } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { DB } from '../../db/schema.ts';

export type Department = { id: string; name: string; nameEn: string | null };

export async function listDepartments(db: Kysely<DB>): Promise<Department[]> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'name_en']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en }));
}

export async function departmentExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertDepartment(
  db: Kysely<DB>,
  department: { id: string; name: string; nameEn?: string; regionId: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('departments')
    .values({
      id: department.id,
      name: department.name,
      name_en: department.nameEn ?? null,
      region_id: department.regionId,
      created_at: now,
    })
    .execute();
}

// Asked by every queue page (cases, applications): compiled once.
const departmentsOfUserQuery = compiledOnce<{ department_id: string | null }>((db, slot) =>
  db
    .selectFrom('role_assignments')
    .select('department_id')
    .where('user_id', '=', slot<string>('userId'))
    .where('role', '=', 'departmentHandler')
    .where('department_id', 'is not', null),
);

/** The departments whose cases and applications this user handles. */
export async function departmentsOfUser(db: Kysely<DB>, userId: string): Promise<string[]> {
  const { rows } = await departmentsOfUserQuery(db, { userId });
  return rows.map((r) => r.department_id as string);
}

/** The people who handle a department's cases. */
export async function handlersOfDepartment(db: Kysely<DB>, departmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('role', '=', 'departmentHandler')
    .where('department_id', '=', departmentId)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

/** Makes the department handler with this phone a handler of this department. */
export async function setDepartmentOfHandler(db: Kysely<DB>, phone: string, departmentId: string): Promise<void> {
  const user = await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
  if (!user) return;
  await db
    .updateTable('role_assignments')
    .set({ department_id: departmentId })
    .where('user_id', '=', user.id)
    .where('role', '=', 'departmentHandler')
    .execute();
}
