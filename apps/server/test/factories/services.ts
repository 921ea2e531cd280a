// Government services: a catalogue entry of a department, and an application for it made by a
// villager for their own household (online) or by a service-hall agent for them (proxy, with consent).
import type { ApplyInput, ServiceItem } from '@cunzhi/contracts/services';
import { addDepartment } from '../../src/modules/org/departments.service.ts';
import type { Application } from '../../src/modules/services/applications.service.ts';
import { apply } from '../../src/modules/services/applications.service.ts';
import { getItem, upsertItem } from '../../src/modules/services/catalogue.service.ts';
import type { ItemInput } from '../../src/modules/services/catalogue-table.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { uuidv7 } from '../../src/platform/ids.ts';
import { actingAs, nextNumber } from './acting.ts';

/** A department of the county (org's), for items and handlers. */
export async function buildDepartment(deps: Deps, overrides: { regionId: string; name?: string }): Promise<{ id: string; name: string }> {
  const id = uuidv7();
  const name = overrides.name ?? `测试局${nextNumber()}`;
  await addDepartment(deps.db, { id, name, regionId: overrides.regionId }, deps.now());
  return { id, name };
}

/**
 * A catalogue item of `departmentId`, offered online and at the township hall, as the catalogue's
 * import stores it (no administrator needed: the catalogue is the county's, not a place's).
 */
export async function buildServiceItem(
  deps: Deps,
  overrides: Partial<ItemInput> & { departmentId: string; active?: boolean },
): Promise<ServiceItem> {
  const n = nextNumber();
  const stored = await upsertItem(
    deps.db,
    {
      code: `TEST-${String(n).padStart(6, '0')}`,
      name: `测试事项${n}`,
      legalBasis: '《测试条例》第一条',
      materials: [{ name: '身份证', required: true, note: '原件' }],
      fee: '不收费',
      statutoryDays: 20,
      promisedDays: 5,
      places: ['townshipHall', 'online'],
      tags: [],
      lifeEvents: [],
      ...overrides,
    },
    deps.now(),
  );
  return getItem(deps, stored.id);
}

/** An application for `itemId` by `by` (a villager of the applicant's household, or an agent of their township). */
export async function buildApplication(
  deps: Deps,
  overrides: { by: string; itemId: string; applicantPersonId: string; consent?: boolean; delivery?: 'collect' | 'mail'; address?: string },
): Promise<Application> {
  const { by, ...input } = overrides;
  const { principal, actor } = await actingAs(deps, by);
  const agent = principal.assignments.some((a) => a.role === 'serviceHallAgent');
  return apply(deps, principal, actor, { delivery: 'collect', ...(agent && { consent: true }), ...input } as ApplyInput, undefined);
}
