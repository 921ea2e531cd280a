import type { HouseholdInput } from '@cunzhi/contracts/org';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { authorize, type Placement, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditPersonalRead, auditReadUnlessOwn, ownHousehold, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import * as repo from './households.repository.ts';
import { movePeopleOfHousehold } from './people.repository.ts';
import type { RegionRecord } from './regions.repository.ts';
import { findRegion, requireRegion } from './regions.service.ts';

export type HouseholdQuery = { regionId?: string; q?: string; limit?: number; cursor?: string };

/** What a page of households is read from: a change to any of them makes a kept page stale. */
export const LIST_TABLES = ['households', 'people', 'regions'] as const;

/** Everything a page of households depends on besides those tables: the reader's scope and the query. */
export function listKey(principal: Principal, query: HouseholdQuery): string {
  const scope = JSON.stringify(scopeFor(principal, 'org.read'));
  // JSON of the parts, not the parts joined with a separator: a search for `冉|x` must not share a
  // page with a search for `冉` and a cursor that ends in `|x`.
  return JSON.stringify(['org.households', scope, query.regionId ?? '', query.q?.trim() ?? '', query.cursor ?? '', query.limit ?? 20]);
}

export async function listHouseholds(deps: Deps, principal: Principal, query: HouseholdQuery): Promise<Page<repo.HouseholdRecord>> {
  const limit = query.limit ?? 20;
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const after = decodeCursor(query.cursor, ['text'])?.[0];
  const rows = await repo.listHouseholds(deps.reader, {
    scope: scopeFor(principal, 'org.read'),
    region,
    q: query.q?.trim() || undefined,
    after,
    limit,
  });
  // Placed and named from org's kept regions rather than joined per row: a page's households sit
  // in a handful of regions, each read once per process.
  const regions = new Map<string, RegionRecord>();
  for (const { regionId } of rows) if (!regions.has(regionId)) regions.set(regionId, (await findRegion(deps, regionId)) as RegionRecord);
  const named = rows.map((h): repo.HouseholdRecord => {
    const region = regions.get(h.regionId) as RegionRecord;
    const { villageId, townshipId, countyId } = region.placement;
    return {
      id: h.id,
      number: h.number,
      headName: h.headName,
      address: h.address,
      phone: h.phone,
      regionName: region.name,
      memberCount: h.memberCount,
      placement: { regionId: h.regionId, villageId, townshipId, countyId, householdId: h.id },
      createdAt: h.createdAt,
      updatedAt: h.updatedAt,
    };
  });
  return toPage(named, limit, (h) => [h.number]);
}

export async function getHousehold(deps: Deps, principal: Principal, id: string): Promise<repo.HouseholdRecord> {
  const household = await repo.findHousehold(deps.db, id);
  if (!household) throw notFound('household');
  authorize(principal, 'org.read', household.placement, 'household');
  return household;
}

/** One household for GET /households/:id, traced unless it is the reader's own. */
export async function readHousehold(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<repo.HouseholdRecord> {
  const household = await getHousehold(deps, principal, id);
  await auditReadUnlessOwn(deps, principal, actor, household.id, {
    action: 'household.read',
    targetType: 'household',
    targetId: id,
    regionId: household.placement.regionId,
  });
  return household;
}

/**
 * The trace of a list of households (their heads, addresses, phones): one per list, with how many,
 * also when the list came from the read cache. None for a reader who may list only their own household.
 */
export async function auditHouseholdList(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: HouseholdQuery,
  count: number | undefined,
): Promise<void> {
  // A reader who may read only their own household's record lists only that.
  const scope = scopeFor(principal, 'org.read');
  const onlyOwn =
    scope.countyIds.length + scope.townshipIds.length + scope.villageIds.length + scope.regionIds.length === 0 &&
    scope.householdIds.every((id) => ownHousehold(principal, id));
  if (onlyOwn) return;
  await auditPersonalRead(
    deps.db,
    actor,
    {
      action: 'household.list',
      targetType: 'household',
      regionId: query.regionId ?? null,
      details: { count, by: query.q?.trim() ? ['q'] : [] },
    },
    deps.now(),
  );
}

/** Households hang off a village or one of its villager groups, never a township. */
async function householdRegion(deps: Deps, principal: Principal, regionId: string): Promise<RegionRecord> {
  const region = await requireRegion(deps, regionId);
  authorize(principal, 'org.write', region.placement, 'region');
  if (region.level !== 'village' && region.level !== 'villagerGroup') throw new AppError('region_level_mismatch');
  return region;
}

export async function createHousehold(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: HouseholdInput,
  idempotencyKey?: string,
): Promise<repo.HouseholdRecord> {
  const region = await householdRegion(deps, principal, input.regionId);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'org.household.create', payload: input };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = uuidv7(now);
    const number = input.number ?? `${region.code}-${String(await repo.takeHouseholdNumber(trx, `${region.code}-`)).padStart(4, '0')}`;
    const values = {
      number,
      headName: input.headName,
      address: input.address ?? null,
      phone: input.phone ?? null,
      placement: region.placement,
    };
    await explainUniqueViolation('household_number_taken', () => repo.insertHousehold(trx, id, values, now));
    await recordAudit(trx, actor, { action: 'household.create', targetType: 'household', targetId: id, regionId: region.id }, now);
    return repo.readHousehold(trx, id);
  });
}

/**
 * What else moves with a household: care's elders and their open alarms (in the move's transaction),
 * and the caches of them dropped after it commits. Care's functions, handed in at wiring (app.ts):
 * care depends on org, not back.
 */
export type HouseholdMoves = {
  moveWith: (db: Kysely<DB>, householdId: string, placement: Placement, now: number) => Promise<void>;
  moved: () => void;
};

export async function updateHousehold(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  patch: Partial<HouseholdInput>,
  moves: HouseholdMoves,
): Promise<repo.HouseholdRecord> {
  const current = await getHousehold(deps, principal, id);
  authorize(principal, 'org.write', current.placement, 'household');
  const region = patch.regionId ? await householdRegion(deps, principal, patch.regionId) : undefined;
  const updated = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const placement = region?.placement ?? current.placement;
    await explainUniqueViolation('household_number_taken', () =>
      repo.updateHousehold(
        trx,
        id,
        {
          number: patch.number ?? current.number,
          headName: patch.headName ?? current.headName,
          address: patch.address === undefined ? current.address : patch.address,
          phone: patch.phone === undefined ? current.phone : patch.phone,
          placement,
        },
        now,
      ),
    );
    if (region) {
      await movePeopleOfHousehold(trx, id, placement, now);
      await moves.moveWith(trx, id, placement, now);
    }
    await recordAudit(
      trx,
      actor,
      {
        action: 'household.update',
        targetType: 'household',
        targetId: id,
        regionId: placement.regionId,
        details: { fields: Object.keys(patch) },
      },
      now,
    );
    return repo.readHousehold(trx, id);
  });
  if (region) moves.moved();
  return updated;
}

export async function deleteHousehold(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<void> {
  const current = await getHousehold(deps, principal, id);
  authorize(principal, 'org.write', current.placement, 'household');
  if (current.memberCount > 0) throw new AppError('household_not_empty');
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteHousehold(trx, id);
    await recordAudit(trx, actor, {
      action: 'household.delete',
      targetType: 'household',
      targetId: id,
      regionId: current.placement.regionId,
      details: { number: current.number, headName: current.headName },
    });
  });
}

export function countHouseholdsByVillage(deps: Deps, principal: Principal) {
  return repo.countHouseholdsByVillage(deps.reader, scopeFor(principal, 'org.read'));
}

/** A household's place, checked as getHousehold checks it, without its details (a read on the reader). */
export async function householdPlacement(deps: Deps, principal: Principal, id: string): Promise<Placement> {
  const placement = await repo.findHouseholdPlacement(deps.reader, id);
  if (!placement) throw notFound('household');
  authorize(principal, 'org.read', placement, 'household');
  return placement;
}

/**
 * The head's name of each household, by id, for a list the caller was already allowed to see
 * (a notice's receipts). Asked in slices so a county-wide list stays under the parameter limits.
 */
export async function headNamesOf(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let start = 0; start < ids.length; start += 5000)
    for (const [id, name] of await repo.findHeadNames(deps.reader, ids.slice(start, start + 5000))) names.set(id, name);
  return names;
}

/** The ids of the households in or under a region, by number. Not access-checked: for loaders such as the demo's. */
export async function householdIdsUnder(deps: Deps, regionId: string): Promise<string[]> {
  return repo.listHouseholdIdsUnder(deps.reader, await requireRegion(deps, regionId));
}

/** A household as another module lists it beside its own rows: its number, head and place. */
export type HouseholdHead = repo.HouseholdHead;

/**
 * The number, head and place of each of these households, by id, for rows the caller was already
 * allowed to see (points claims and redemptions). Asked in slices, as headNamesOf is.
 */
export async function householdHeadsOf(deps: Deps, ids: readonly string[]): Promise<Map<string, HouseholdHead>> {
  const unique = [...new Set(ids)];
  const heads = new Map<string, HouseholdHead>();
  for (let start = 0; start < unique.length; start += 5000)
    for (const [id, head] of await repo.findHouseholdHeads(deps.reader, unique.slice(start, start + 5000))) heads.set(id, head);
  return heads;
}

/** The households in or under a region with their number, head and place, by number. Not access-checked: the caller checks the region. */
export async function householdHeadsUnder(deps: Deps, regionId: string): Promise<HouseholdHead[]> {
  return repo.listHouseholdHeadsUnder(deps.reader, await requireRegion(deps, regionId));
}

/** How many households are in or under a region. Not access-checked: the caller checks the region. */
export async function countHouseholdsUnder(deps: Deps, regionId: string): Promise<number> {
  return repo.countHouseholdsUnder(deps.reader, await requireRegion(deps, regionId));
}

/**
 * The ids of the households in these villager groups: how another module whose rows are placed
 * only down to the village narrows them to a grid worker's groups.
 */
export function householdIdsInGroups(deps: Deps, groupIds: readonly string[]): Promise<string[]> {
  return repo.listHouseholdIdsInGroups(deps.reader, groupIds);
}
