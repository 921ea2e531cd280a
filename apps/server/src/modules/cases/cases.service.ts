import type { CASE_CHANNELS, CASE_SOURCES } from '@cunzhi/contracts/cases';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, type Principal, rolesOf, type Scope, scopeFor, scopeIncludes } from '../../platform/access.ts';
import { type Actor, auditPersonalRead, countRecentActions, recordAudit } from '../../platform/audit.ts';
import { isBlankText } from '../../platform/blank-text.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { departmentsOfUser } from '../org/departments.service.ts';
import { getHousehold } from '../org/households.service.ts';
import { regionNames, requireRegion } from '../org/regions.service.ts';
import * as categories from './case-categories.repository.ts';
import * as events from './case-events.repository.ts';
import { tellReporter } from './case-messages.ts';
import { insertRoutedCase } from './case-routing.service.ts';
import { type ActorKind, OPEN_STATES } from './case-workflow.ts';
import * as repo from './cases.repository.ts';
import { distanceMeters } from './geo.ts';

export type NewCase = {
  /** A client's own id for the case (a phone offline); otherwise the server makes one. */
  id?: string;
  source: (typeof CASE_SOURCES)[number];
  channel: (typeof CASE_CHANNELS)[number];
  categoryId: string;
  regionId: string;
  title: string;
  description: string;
  latitude?: number | null;
  longitude?: number | null;
  anonymous?: boolean;
  /** Taken down by an agent for someone who called or walked in. */
  reporterName?: string | null;
  reporterPhone?: string | null;
};

/**
 * A case comes in: from a villager in their own village, or from staff taking it down for someone.
 * Its category routes it to the grid worker of its villager group or to a department, with a
 * deadline in working time; without anyone to route to it waits, received, for the village.
 */
/**
 * Spaces, line breaks and the characters one cannot see: zero-width spaces, marks of direction,
 * variation selectors, combining marks alone, Hangul fillers, the blank braille cell.
 */

/** The most reports one person files for themself in a day; staff taking them down for callers are not limited. */
export const REPORTS_PER_DAY = 20;
const DAY_MS = 24 * 3_600_000;

export async function createCase(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: NewCase,
  idempotencyKey?: string,
): Promise<repo.CaseRecord> {
  // A title of nothing but spaces or invisible characters says nothing, and would be listed in public.
  if (isBlankText(input.title)) throw new AppError('title_blank');
  const region = await requireRegion(deps, input.regionId);
  if (region.level !== 'village' && region.level !== 'villagerGroup') throw new AppError('region_level_mismatch');
  // Staff who see cases here take them down for others; a villager reports in their own village.
  const intake = allows(principal, 'cases.read', region.placement);
  const household = principal.householdId ? await getHousehold(deps, principal, principal.householdId) : undefined;
  const ownVillage = household !== undefined && household.placement.villageId === region.placement.villageId;
  if (!intake && !ownVillage) throw notFound('region');
  const onBehalf = intake && !ownVillage;
  const category = await categories.findCategory(deps.reader, input.categoryId);
  if (!category || category.countyId !== region.placement.countyId) throw notFound('category');
  if (!category.active) throw new AppError('category_inactive');

  // A phone mints the id once per form, so the id is the report's second key: a second tap, or a
  // second send after a lost answer (each outbox item has its own key), is the same report, and
  // the same body from the same account gets the first answer back. Idempotency-Key is asked
  // first: the same key with another body is 422, as everywhere. Any other use of an existing id,
  // whoever's case it is and whether or not the caller may see it, is the same 409 id_taken, which
  // says only that the uuid is in use.
  const request = {
    principalId: principal.userId,
    key: idempotencyKey,
    bodyKey: input.id === undefined ? undefined : { key: `cases.create:${input.id}`, taken: () => new AppError('id_taken') },
    operation: 'cases.create',
    payload: input,
  };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = input.id ?? uuidv7(now);
    if (input.id && (await repo.findCase(trx, input.id))) throw new AppError('id_taken');
    // A villager's own reports are limited per day: one account filing without end would bury the
    // village's matters and drag its public completion rate down (attacker: 25 at once, all taken).
    if (!onBehalf && (await countRecentActions(trx, principal.userId, 'case.create', DAY_MS, now)) >= REPORTS_PER_DAY)
      throw new AppError('reports_too_many', { count: REPORTS_PER_DAY });
    const created = await insertRoutedCase(
      trx,
      actor,
      {
        id,
        source: input.source,
        channel: input.channel,
        category,
        region,
        title: input.title,
        description: input.description,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        reporter: {
          userId: onBehalf ? null : principal.userId,
          householdId: onBehalf ? null : (household?.id ?? null),
          name: input.reporterName ?? (onBehalf ? null : principal.displayName),
          phone: input.reporterPhone ?? (onBehalf ? null : principal.phone),
          anonymous: input.anonymous ?? false,
        },
        // Exposure-board reports wait for a moderator before the public sees anything of them.
        publicState: input.source === 'exposureBoard' ? 'pending' : null,
        createDetails: { source: input.source, channel: input.channel },
      },
      now,
    );
    await tellReporter(trx, created, 'create', created.state, now);
    return created;
  });
}

/** What the gate reads of a case: whose hands it is in, who reported it and where it sits. */
export type CaseParties = Pick<repo.CaseRecord, 'assigneeUserId' | 'assigneeDepartmentId' | 'reporterUserId' | 'placement'>;

/** What the gate knows of the principal before it looks at a case: read once for a whole list. */
type Standing = { userId: string; departments: readonly string[]; supervises: Scope; reads: Scope };

async function standingOf(db: Kysely<DB>, principal: Principal, items: readonly CaseParties[]): Promise<Standing> {
  const departments = items.some((c) => c.assigneeDepartmentId !== null) ? await departmentsOfUser(db, principal.userId) : [];
  return {
    userId: principal.userId,
    departments,
    supervises: scopeFor(principal, 'cases.supervise'),
    reads: scopeFor(principal, 'cases.read'),
  };
}

function relationGiven(standing: Standing, caseItem: CaseParties): { kinds: ActorKind[]; visible: boolean } {
  const kinds: ActorKind[] = [];
  if (
    caseItem.assigneeUserId === standing.userId ||
    (caseItem.assigneeDepartmentId !== null && standing.departments.includes(caseItem.assigneeDepartmentId))
  ) {
    kinds.push('handler');
  }
  if (scopeIncludes(standing.supervises, caseItem.placement)) kinds.push('supervisor');
  if (caseItem.reporterUserId === standing.userId) kinds.push('reporter');
  return { kinds, visible: kinds.length > 0 || scopeIncludes(standing.reads, caseItem.placement) };
}

/**
 * How the principal stands to this case: its handler, a supervisor over it, its reporter, or a
 * reader. `db` is the transaction when called inside one (SQLite has one writer connection).
 */
export async function relationTo(
  db: Kysely<DB>,
  principal: Principal,
  caseItem: CaseParties,
): Promise<{ kinds: ActorKind[]; visible: boolean }> {
  return relationGiven(await standingOf(db, principal, [caseItem]), caseItem);
}

declare const viewed: unique symbol;

/** A case as one principal may receive it; made only by visibleCase(s), so no answer skips the gate. */
export type CaseView<C extends CaseParties = repo.CaseRecord> = {
  readonly caseItem: C;
  readonly showReporter: boolean;
  /** How the principal stands to the case: what the actions it may take follow from. */
  readonly kinds: readonly ActorKind[];
  readonly [viewed]: true;
};

/**
 * The one gate for every answer that carries a case or any part of one: reading it, the queues,
 * the answer to an action on it (create, transitions, me too, withdrawals, moderation), duplicate
 * offers and merge targets. Undefined when the principal may not read the case: its handler, a
 * supervisor over it, its reporter and those who read cases where it sits may. Nobody else learns
 * anything of it, an exposure-board report waiting for moderation included.
 */
export async function visibleCase<C extends CaseParties>(
  db: Kysely<DB>,
  principal: Principal,
  caseItem: C,
): Promise<CaseView<C> | undefined> {
  return (await visibleCases(db, principal, [caseItem]))[0];
}

/**
 * visibleCase for a list: the principal's departments and scopes are read once for the page, and
 * what the principal may not read is left out, in order.
 */
export async function visibleCases<C extends CaseParties>(
  db: Kysely<DB>,
  principal: Principal,
  items: readonly C[],
): Promise<CaseView<C>[]> {
  if (items.length === 0) return [];
  const standing = await standingOf(db, principal, items);
  const views: CaseView<C>[] = [];
  for (const caseItem of items) {
    const { kinds, visible } = relationGiven(standing, caseItem);
    // The reporter's name and phone are for the people handling the case and for the reporter,
    // which is everyone the gate lets through.
    if (visible) views.push({ caseItem, showReporter: true, kinds } as unknown as CaseView<C>);
  }
  return views;
}

export async function getCase(deps: Deps, principal: Principal, id: string): Promise<repo.CaseRecord> {
  return (await readCase(deps, principal, id)).caseItem;
}

/** The case through the gate, or 404 as if it did not exist. */
export async function readCase(deps: Deps, principal: Principal, id: string): Promise<CaseView> {
  const caseItem = await repo.findCase(deps.reader, id);
  const view = caseItem && (await visibleCase(deps.reader, principal, caseItem));
  if (!view) throw notFound('case');
  return view;
}

/**
 * GET /api/cases/:id: the case, its opening traced when it shows a reporter's name or number to
 * someone other than the reporter (the desk, the handler).
 */
export async function openCase(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<CaseView> {
  const view = await readCase(deps, principal, id);
  const { caseItem } = view;
  const personal = Boolean(caseItem.reporterName || caseItem.reporterPhone);
  if (personal && caseItem.reporterUserId !== principal.userId)
    await auditPersonalRead(
      deps.db,
      actor,
      { action: 'case.read', targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
      deps.now(),
    );
  return view;
}

export async function listEvents(deps: Deps, principal: Principal, id: string): Promise<events.CaseEvent[]> {
  await getCase(deps, principal, id);
  return events.listEvents(deps.reader, id);
}

/**
 * A neighbour's "me too" on an open case of their village, counted once per household. The
 * village's matters are public (村务公开), but an exposure-board report is not until a moderator
 * has published it: before that, whoever cannot read it gets the same 404 as for reading it. The
 * caller gets back only what the gate lets them read (nothing, for a neighbour's report).
 */
export async function meToo(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<repo.CaseRecord> {
  const caseItem = await repo.findCase(deps.reader, id);
  if (!caseItem) throw notFound('case');
  const household = principal.householdId ? await getHousehold(deps, principal, principal.householdId) : undefined;
  if (!household || household.placement.villageId !== caseItem.placement.villageId) throw notFound('case');
  const unpublished = caseItem.publicState !== null && caseItem.publicState !== 'published';
  if (unpublished && !(await visibleCase(deps.reader, principal, caseItem))) throw notFound('case');
  if (!OPEN_STATES.includes(caseItem.state)) throw new AppError('invalid_transition', {}, { state: caseItem.state, action: 'meToo' });
  // "Me too" counts the neighbours who have the same trouble: the reporter's own household is already counted.
  if (caseItem.reporterUserId === principal.userId || caseItem.reporterHouseholdId === household.id) return caseItem;
  const counted = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const updated = await repo.addMeToo(trx, id, household.id, principal.userId, now);
    if (updated) {
      await recordAudit(
        trx,
        actor,
        { action: 'case.me_too', targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
        now,
      );
    }
    return updated;
  });
  // A second "me too" from the household changed nothing: the case as read is the answer.
  return counted ?? caseItem;
}

export async function searchCases(
  deps: Deps,
  principal: Principal,
  filter: Omit<repo.CaseSearch, 'scope'>,
): Promise<(repo.CaseRecord & { regionName: string })[]> {
  const found = await repo.searchCases(deps.reader, { ...filter, scope: scopeFor(principal, 'cases.read') });
  const names = await regionNamesOf(deps, found);
  return found.map((c) => ({ ...c, regionName: names.get(c.placement.regionId) ?? '' }));
}

/** The names of the regions of these cases, by region id: one call to org for a page, cached there. */
export function regionNamesOf(deps: Deps, items: readonly { placement: { regionId: string } }[]): Promise<Map<string, string>> {
  return regionNames(deps, [...new Set(items.map((c) => c.placement.regionId))]);
}

/**
 * Open cases of the same category near this one and recent (radius and window from the
 * configuration), nearest first: offered to the handler, who may merge.
 */
export async function possibleDuplicates(
  deps: Deps,
  principal: Principal,
  id: string,
): Promise<(repo.CaseRecord & { distanceMeters: number })[]> {
  const caseItem = await getCase(deps, principal, id);
  const { kinds } = await relationTo(deps.reader, principal, caseItem);
  if (!kinds.includes('handler') && !kinds.includes('supervisor')) throw forbidden();
  if (caseItem.latitude === null || caseItem.longitude === null || caseItem.placement.villageId === null) return [];
  const here = { latitude: caseItem.latitude, longitude: caseItem.longitude };
  const candidates = await repo.listOpenWithPosition(deps.reader, {
    categoryId: caseItem.categoryId,
    villageId: caseItem.placement.villageId,
    sinceMs: caseItem.createdAt - deps.config.duplicateWindowDays * 24 * 3_600_000,
    excludeId: caseItem.id,
  });
  const near = candidates
    .map((c) => ({
      ...c,
      distanceMeters: Math.round(distanceMeters(here, { latitude: c.latitude as number, longitude: c.longitude as number })),
    }))
    .filter((c) => c.distanceMeters <= deps.config.duplicateRadiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters);
  // The village's other cases are offered only as far as the handler may read them (a department's
  // handler, a grid worker outside their grid, a report still waiting for moderation).
  const offered: (repo.CaseRecord & { distanceMeters: number })[] = [];
  for (const c of near) if (await visibleCase(deps.reader, principal, c)) offered.push(c);
  return offered;
}

/**
 * The reporter takes back personal details posted by mistake: the description is replaced by the
 * corrected text and the phone number is removed. The old text is not kept in the case's history.
 */
export async function withdrawDetails(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  description: string,
): Promise<repo.CaseRecord> {
  const caseItem = await getCase(deps, principal, id);
  if (caseItem.reporterUserId !== principal.userId) throw forbidden();
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const updated = await repo.updateDescription(trx, id, description, now);
    await events.insertEvent(trx, {
      id: uuidv7(now),
      caseId: id,
      action: 'withdrawDetails',
      fromState: caseItem.state,
      toState: caseItem.state,
      actorUserId: principal.userId,
      actorRole: rolesOf(principal).join(','),
      note: null,
      details: null,
      at: now,
    });
    await recordAudit(
      trx,
      actor,
      { action: 'case.withdraw_details', targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
      now,
    );
    return updated;
  });
}
