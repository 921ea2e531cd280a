// Cases: a category of the county and a villager's report in a region. A category routed to the
// grid assigns the case to the grid worker of its villager group when there is one (as in use).
import type { CASE_CHANNELS, CASE_SOURCES } from '@cunzhi/contracts/cases';
import { type Category, insertCategory } from '../../src/modules/cases/case-categories.repository.ts';
import type { CaseRecord } from '../../src/modules/cases/cases.repository.ts';
import { createCase } from '../../src/modules/cases/cases.service.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { uuidv7 } from '../../src/platform/ids.ts';
import { actingAs, nextNumber } from './acting.ts';

export async function buildCaseCategory(
  deps: Deps,
  overrides: Partial<Omit<Category, 'countyId'>> & { countyId: string },
): Promise<Category> {
  const n = nextNumber();
  const routeTo = overrides.routeTo ?? 'grid';
  return insertCategory(
    deps.db,
    {
      id: uuidv7(),
      code: `test${n}`,
      name: `测试类别${n}`,
      nameEn: `Test category ${n}`,
      departmentId: null,
      deadlineHours: 24,
      active: true,
      ...overrides,
      routeTo,
    },
    deps.now(),
  );
}

/**
 * A report by `reporterId` (a villager of the region's village, or staff taking it down for someone)
 * in `regionId`. Without a category, one routed to the grid is made in `countyId`.
 */
export async function buildCase(
  deps: Deps,
  overrides: {
    reporterId: string;
    regionId: string;
    categoryId?: string;
    countyId?: string;
    title?: string;
    description?: string;
    source?: (typeof CASE_SOURCES)[number];
    channel?: (typeof CASE_CHANNELS)[number];
    anonymous?: boolean;
  },
): Promise<CaseRecord> {
  const { reporterId, countyId, ...input } = overrides;
  let categoryId = input.categoryId;
  if (!categoryId) {
    if (!countyId) throw new Error('buildCase needs a categoryId or a countyId to make one in');
    categoryId = (await buildCaseCategory(deps, { countyId })).id;
  }
  const { principal, actor } = await actingAs(deps, reporterId);
  return createCase(deps, principal, actor, {
    source: 'villagerVoice',
    channel: 'app',
    title: `测试反映${nextNumber()}`,
    description: '村口的路灯坏了好几天了',
    ...input,
    categoryId,
  });
}
