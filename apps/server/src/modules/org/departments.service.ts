// County departments (交通局, 民政局 ...): where cases and service applications are routed, and
// who handles them there. Functions taking `db` run inside the caller's transaction when given one.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Principal, rolesOf } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import * as repo from './departments.repository.ts';

export type { Department } from './departments.repository.ts';

export function listDepartments(deps: Deps): Promise<repo.Department[]> {
  return repo.listDepartments(deps.reader);
}

/** Names of all departments by id, for presenting many cases at once. */
export async function departmentNames(deps: Deps): Promise<Map<string, string>> {
  return new Map((await repo.listDepartments(deps.reader)).map((d) => [d.id, d.name]));
}

export function departmentExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return repo.departmentExists(db, id);
}

export function departmentsOfUser(db: Kysely<DB>, userId: string): Promise<string[]> {
  return repo.departmentsOfUser(db, userId);
}

/**
 * departmentsOfUser for the signed-in principal: someone who holds no department handler role
 * (a grid worker, a supervisor: most of those who open a queue) handles no department's work, and
 * is answered without asking the database. Their roles are those of the session (auth's cache,
 * forgotten on this node as soon as roles change).
 */
export async function departmentsOfPrincipal(db: Kysely<DB>, principal: Principal): Promise<string[]> {
  if (!rolesOf(principal).includes('departmentHandler')) return [];
  return repo.departmentsOfUser(db, principal.userId);
}

export function handlersOfDepartment(db: Kysely<DB>, departmentId: string): Promise<string[]> {
  return repo.handlersOfDepartment(db, departmentId);
}

/** Adds a department (county set-up, demo data and tests); it has no audited use case of its own yet. */
export function addDepartment(db: Kysely<DB>, department: { id: string; name: string; nameEn?: string; regionId: string }, now: number) {
  return repo.insertDepartment(db, department, now);
}

/** Demo data: the account with this phone handles this department's work (nothing if there is no such account). */
export function setDepartmentOfHandler(db: Kysely<DB>, phone: string, departmentId: string): Promise<void> {
  return repo.setDepartmentOfHandler(db, phone, departmentId);
}
