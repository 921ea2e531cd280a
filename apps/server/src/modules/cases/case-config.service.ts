// A county's case configuration: its categories (where each routes and its deadline in working
// hours). The departments they route to and the working time deadlines count belong to org.

import { isUniqueViolation } from '../../db/dialect.ts';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { departmentExists } from '../org/departments.service.ts';
import { configurableCounty, defaultCountyId } from '../org/regions.service.ts';
import * as repo from './case-categories.repository.ts';

export type Category = repo.Category;

/** The categories in use, of the given county or the installation's. */
export async function listCategories(deps: Deps, countyId: string | undefined): Promise<repo.Category[]> {
  return (await listAllCategories(deps, countyId)).filter((c) => c.active);
}

/** Every category, retired ones too: old cases still name them. */
export async function listAllCategories(deps: Deps, countyId: string | undefined): Promise<repo.Category[]> {
  const county = countyId ?? (await defaultCountyId(deps));
  return county ? repo.listCategories(deps.reader, county) : [];
}

export async function findCategoryByCode(deps: Deps, countyId: string, code: string): Promise<repo.Category | undefined> {
  return (await repo.listCategories(deps.reader, countyId)).find((c) => c.code === code && c.active);
}

export type CategoryWrite = Omit<repo.Category, 'id' | 'countyId'> & { sortOrder?: number };

/** Adds or changes a category; cases already routed keep their handler and deadline. */
export async function saveCategory(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  target: { countyId?: string; id?: string },
  input: CategoryWrite,
): Promise<repo.Category> {
  const countyId = await configurableCounty(deps, principal, target.countyId);
  if (input.routeTo === 'department') {
    if (!input.departmentId || !(await departmentExists(deps.reader, input.departmentId))) throw notFound('department');
  }
  const id = target.id ?? uuidv7(deps.now());
  const category = { ...input, id, countyId, departmentId: input.routeTo === 'department' ? input.departmentId : null };
  return deps.db
    .transaction()
    .execute(async (trx) => {
      const now = deps.now();
      let saved: repo.Category;
      if (target.id) {
        const existing = await repo.findCategory(trx, target.id);
        if (!existing || existing.countyId !== countyId) throw notFound('category');
        saved = await repo.updateCategory(trx, category);
      } else {
        saved = await repo.insertCategory(trx, category, now);
      }
      await recordAudit(
        trx,
        actor,
        {
          action: target.id ? 'case.category.update' : 'case.category.create',
          targetType: 'caseCategory',
          targetId: id,
          regionId: countyId,
        },
        now,
      );
      return saved;
    })
    .catch((error) => {
      if (isUniqueViolation(error)) throw new AppError('category_code_taken');
      throw error;
    });
}
