import type { CASE_CHANNELS, CASE_SOURCES, CheckInDetails, MediationDetails } from '@cunzhi/contracts/cases';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import { placementColumn } from '../../db/scope-filter.ts';
import { allows, authorize, hasPermission, type Principal, rolesOf, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../../platform/notify.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { getHousehold } from '../org/households.service.ts';
import { requireRegion } from '../org/regions.service.ts';
import { mergedMessage, reporterOf, tellMergedReporters, tellReporter } from './case-messages.ts';
import * as stats from './case-statistics.repository.ts';
import {
  type ActorKind,
  type CaseAction,
  type CaseState,
  checkTransition,
  escalate,
  nextState,
  OPEN_STATES,
  RETURNS_BEFORE_ESCALATION,
} from './case-workflow.ts';
import * as repo from './cases.repository.ts';
import { distanceMeters } from './geo.ts';
import { addWorkingHours, type WorkCalendar } from './working-time.ts';

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

/** 20261128-00042: the day it came in (Asia/Shanghai) and its number that day. */
async function nextCaseNumber(db: Kysely<DB>, now: number): Promise<string> {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}-${String(await repo.takeCaseNumber(db, day)).padStart(5, '0')}`;
}

/**
 * A case comes in: from a villager in their own village, or from staff taking it down for someone.
 * Its category routes it to the grid worker of its villager group or to a department, with a
 * deadline in working time; without anyone to route to it waits, received, for the village.
 */
export async function createCase(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: NewCase,
  idempotencyKey?: string,
): Promise<repo.CaseRecord> {
  const region = await requireRegion(deps, input.regionId);
  if (region.level !== 'village' && region.level !== 'villagerGroup') throw new AppError('region_level_mismatch');
  // Staff who see cases here take them down for others; a villager reports in their own village.
  const intake = allows(principal, 'cases.read', region.placement);
  const household = principal.householdId ? await getHousehold(deps, principal, principal.householdId) : undefined;
  const ownVillage = household !== undefined && household.placement.villageId === region.placement.villageId;
  if (!intake && !ownVillage) throw notFound('region');
  const onBehalf = intake && !ownVillage;
  const category = await repo.findCategory(deps.reader, input.categoryId);
  if (!category || category.countyId !== region.placement.countyId) throw notFound('category');
  if (!category.active) throw new AppError('category_inactive');

  // A phone that minted the id offline may send the report again without a key when the first
  // answer was lost: the id is then its key, and the same body from the same account gets the
  // first answer back. Any other use of an existing id, whoever's case it is and whether or not
  // the caller may see it, is the same 409 id_taken, which says only that the uuid is in use.
  const implicitKey = idempotencyKey === undefined && input.id !== undefined;
  const key = implicitKey ? `cases.create:${input.id}` : idempotencyKey;
  const request = { principalId: principal.userId, key, operation: 'cases.create', payload: input };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const id = input.id ?? uuidv7(now);
    if (input.id && (await repo.findCase(trx, input.id))) throw new AppError('id_taken');
    const calendar = await repo.findCalendar(trx, category.countyId);
    const assigneeUserId = category.routeTo === 'grid' ? await repo.findGridWorker(trx, region.id) : undefined;
    const assigneeDepartmentId = category.routeTo === 'department' ? category.departmentId : null;
    const routed = assigneeUserId !== undefined || assigneeDepartmentId !== null;
    const state: CaseState = routed ? 'assigned' : 'received';
    await repo.insertCase(trx, {
      id,
      number: await nextCaseNumber(trx, now),
      source: input.source,
      channel: input.channel,
      category_id: category.id,
      title: input.title,
      description: input.description,
      region_id: region.id,
      village_id: region.placement.villageId,
      township_id: region.placement.townshipId,
      county_id: region.placement.countyId,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      reporter_user_id: onBehalf ? null : principal.userId,
      reporter_household_id: onBehalf ? null : (household?.id ?? null),
      reporter_name: input.reporterName ?? (onBehalf ? null : principal.displayName),
      reporter_phone: input.reporterPhone ?? (onBehalf ? null : principal.phone),
      anonymous: input.anonymous ? 1 : 0,
      state,
      assignee_user_id: assigneeUserId ?? null,
      assignee_department_id: assigneeDepartmentId,
      escalation_level: category.routeTo === 'grid' ? 'grid' : 'county',
      deadline_at: addWorkingHours(now, category.deadlineHours, calendar),
      answered_at: null,
      assigned_at: routed ? now : null,
      accepted_at: null,
      handled_at: null,
      replied_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
      // Exposure-board reports wait for a moderator before the public sees anything of them.
      public_state: input.source === 'exposureBoard' ? 'pending' : null,
    });
    const base = { caseId: id, actorUserId: actor.userId, actorRole: actor.roles, note: null, at: now };
    await repo.insertEvent(trx, {
      ...base,
      id: uuidv7(now),
      action: 'create',
      fromState: null,
      toState: 'received',
      details: { source: input.source, channel: input.channel },
    });
    if (routed) {
      await repo.insertEvent(trx, {
        ...base,
        id: uuidv7(now),
        action: 'assign',
        fromState: 'received',
        toState: 'assigned',
        details: { assigneeUserId: assigneeUserId ?? null, assigneeDepartmentId, automatic: true },
      });
    }
    await recordAudit(trx, actor, { action: 'case.create', targetType: 'case', targetId: id, regionId: region.id }, now);
    const created = (await repo.findCase(trx, id)) as repo.CaseRecord;
    await stats.applyToRollups(trx, undefined, created);
    await tellReporter(trx, created, 'create', state, now);
    return created;
  }).catch((error) => {
    if (implicitKey && error instanceof AppError && error.code === 'idempotency_key_reused') throw new AppError('id_taken');
    throw error;
  });
}

/**
 * How the principal stands to this case: its handler, a supervisor over it, its reporter, or a
 * reader. `db` is the transaction when called inside one (SQLite has one writer connection).
 */
export async function relationTo(
  db: Kysely<DB>,
  principal: Principal,
  caseItem: repo.CaseRecord,
): Promise<{ kinds: ActorKind[]; visible: boolean }> {
  const kinds: ActorKind[] = [];
  const departments = caseItem.assigneeDepartmentId ? await repo.departmentsOfUser(db, principal.userId) : [];
  if (
    caseItem.assigneeUserId === principal.userId ||
    (caseItem.assigneeDepartmentId !== null && departments.includes(caseItem.assigneeDepartmentId))
  ) {
    kinds.push('handler');
  }
  if (allows(principal, 'cases.supervise', caseItem.placement)) kinds.push('supervisor');
  if (caseItem.reporterUserId === principal.userId) kinds.push('reporter');
  return { kinds, visible: kinds.length > 0 || allows(principal, 'cases.read', caseItem.placement) };
}

declare const viewed: unique symbol;

/** A case as one principal may receive it; made only by visibleCase(), so no answer skips the gate. */
export type CaseView = { readonly caseItem: repo.CaseRecord; readonly showReporter: boolean; readonly [viewed]: true };

/**
 * The one gate for every answer that carries a case or any part of one: reading it, the queues,
 * the answer to an action on it (create, transitions, me too, withdrawals, moderation), duplicate
 * offers and merge targets. Undefined when the principal may not read the case: its handler, a
 * supervisor over it, its reporter and those who read cases where it sits may. Nobody else learns
 * anything of it, an exposure-board report waiting for moderation included.
 */
export async function visibleCase(db: Kysely<DB>, principal: Principal, caseItem: repo.CaseRecord): Promise<CaseView | undefined> {
  const { visible } = await relationTo(db, principal, caseItem);
  // The reporter's name and phone are for the people handling the case and for the reporter,
  // which is everyone the gate lets through.
  return visible ? ({ caseItem, showReporter: true } as CaseView) : undefined;
}

export async function getCase(deps: Deps, principal: Principal, id: string): Promise<repo.CaseRecord> {
  return (await readCase(deps, principal, id)).caseItem;
}

/** GET /api/cases/:id: the case through the gate, or 404 as if it did not exist. */
export async function readCase(deps: Deps, principal: Principal, id: string): Promise<CaseView> {
  const caseItem = await repo.findCase(deps.reader, id);
  const view = caseItem && (await visibleCase(deps.reader, principal, caseItem));
  if (!view) throw notFound('case');
  return view;
}

export async function listEvents(deps: Deps, principal: Principal, id: string): Promise<repo.CaseEvent[]> {
  await getCase(deps, principal, id);
  return repo.listEvents(deps.reader, id);
}

export type QueueQuery = { view?: 'mine' | 'region' | 'reported'; state?: CaseState; limit?: number; cursor?: string };

/** My work by deadline; a supervisor's whole region; or what I reported. */
export async function listQueue(deps: Deps, principal: Principal, query: QueueQuery): Promise<Page<repo.CaseRecord>> {
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor, ['int', 'text']);
  const view = query.view ?? 'mine';
  const states = query.state ? [query.state] : view === 'reported' ? undefined : OPEN_STATES;
  const rows = await repo.listQueue(deps.reader, {
    states: states ?? ['received', 'answeredOnSpot', 'assigned', 'accepted', 'handled', 'replied', 'closed'],
    assigneeUserId: view === 'mine' ? principal.userId : undefined,
    departmentIds: view === 'mine' ? await repo.departmentsOfUser(deps.reader, principal.userId) : undefined,
    scope: view === 'region' ? scopeFor(principal, 'cases.read') : undefined,
    reporterUserId: view === 'reported' ? principal.userId : undefined,
    after: cursor,
    limit,
  });
  return toPage(rows, limit, (c) => [c.deadlineAt, c.id]);
}

export type TransitionInput = {
  action: CaseAction;
  note?: string;
  rating?: number;
  assigneeUserId?: string;
  departmentId?: string;
  categoryId?: string;
  mergeIntoId?: string;
  /** A check-in's position, or a mediation's parties and agreement: nothing else is kept. */
  details?: CheckInDetails | MediationDetails;
};

/** The one shape of details each action takes; any other action takes none. */
const DETAILS_OF: Partial<Record<CaseAction, (details: CheckInDetails | MediationDetails) => boolean>> = {
  checkIn: (d) => 'latitude' in d,
  recordMediation: (d) => 'parties' in d,
};

/**
 * Details are kept in the case's events as the handler's record, so they must be what the action
 * records and nothing more: a check-in's details are a position, a mediation's its parties, and no
 * action's details can stand in for the rating or assignee the events show.
 */
function checkDetails(input: TransitionInput): void {
  if (input.details === undefined) return;
  const fits = DETAILS_OF[input.action];
  if (!fits?.(input.details)) throw new AppError('validation_failed', {}, { field: 'details', problem: `not taken by ${input.action}` });
}

const MAX_ATTEMPTS = 5;

/**
 * Moves a case by one action. The change is written only if the case is still as it was read
 * (version check); when a concurrent action got there first, the case is read again and the
 * action re-checked, so two people acting at once both land or the second is told why not.
 */
export async function transition(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: TransitionInput,
  idempotencyKey?: string,
): Promise<repo.CaseRecord> {
  if (input.action === 'rate' && (input.rating === undefined || input.rating < 1 || input.rating > 5))
    throw new AppError('rating_required');
  checkDetails(input);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: `cases.transition:${id}`, payload: input };
  return runIdempotent(deps.db, request, async (trx) => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const caseItem = await repo.findCase(trx, id);
      if (!caseItem) throw notFound('case');
      const { kinds, visible } = await relationTo(trx, principal, caseItem);
      if (!visible) throw notFound('case');
      const problem = checkTransition(input.action, caseItem.state, kinds);
      if (problem === 'not_allowed') throw forbidden();
      if (problem) throw new AppError('invalid_transition', {}, { state: caseItem.state, action: input.action });

      const now = deps.now();
      if (input.action === 'object') checkObjectionPeriod(caseItem, deps.config.objectionDays, now);
      const to = nextState(input.action, caseItem.state, input.rating);
      const changes = await effectsOf(trx, principal, caseItem, input, to, now);
      if (!(await repo.updateCaseAtVersion(trx, id, caseItem.version, { ...changes, state: to, updated_at: now }))) continue;
      await repo.insertEvent(trx, {
        id: uuidv7(now),
        caseId: id,
        action: input.action,
        fromState: caseItem.state,
        toState: to,
        actorUserId: actor.userId,
        actorRole: rolesOf(principal).join(','),
        note: input.note ?? null,
        details: eventDetails(input, changes),
        at: now,
      });
      await recordAudit(
        trx,
        actor,
        { action: `case.${input.action}`, targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
        now,
      );
      const updated = (await repo.findCase(trx, id)) as repo.CaseRecord;
      await stats.applyToRollups(trx, caseItem, updated);
      await tellPeople(trx, updated, input.action, to, now);
      return updated;
    }
    throw new AppError('case_busy');
  });
}

function checkObjectionPeriod(caseItem: repo.CaseRecord, days: number, now: number): void {
  const since = caseItem.repliedAt ?? caseItem.closedAt ?? caseItem.updatedAt;
  if (now - since > days * 24 * 3_600_000) throw new AppError('objection_period_over', { days });
}

/** The reporter hears of the step; a merged case's reporter hears where it went, and later the outcome. */
async function tellPeople(trx: Kysely<DB>, updated: repo.CaseRecord, action: CaseAction, to: CaseState, now: number): Promise<void> {
  if (action === 'merge' && updated.mergedIntoId) {
    const target = (await repo.findCase(trx, updated.mergedIntoId)) as repo.CaseRecord;
    const recipient = reporterOf(updated);
    if (recipient) await notify(trx, recipient, mergedMessage(updated, target), now);
    return;
  }
  await tellReporter(trx, updated, action, to, now);
  if (action === 'reply' || action === 'close' || (action === 'rate' && to === 'closed')) {
    await tellMergedReporters(trx, await repo.listMergedInto(trx, updated.id), updated, action === 'rate' ? 'close' : action, now);
  }
}

function eventDetails(input: TransitionInput, changes: Record<string, unknown>): Record<string, unknown> | null {
  // The named fields last: they are what the case became, whatever the details said.
  const details = { ...input.details, ...(input.rating !== undefined && { rating: input.rating }), ...changes };
  return Object.keys(details).length > 0 ? details : null;
}

/** The columns an action changes besides the state. */
async function effectsOf(
  db: Kysely<DB>,
  principal: Principal,
  caseItem: repo.CaseRecord,
  input: TransitionInput,
  to: CaseState,
  now: number,
): Promise<Record<string, string | number | null>> {
  switch (input.action) {
    case 'answerOnSpot':
      return { answered_at: now };
    case 'assign':
    case 'transfer':
      return { ...(await assigneeFrom(db, input)), assigned_at: now };
    case 'accept':
      return { accepted_at: now };
    case 'handle':
      return { handled_at: now };
    case 'reply':
      return { replied_at: now };
    case 'returnForRework': {
      const returns = caseItem.returnCount + 1;
      if (returns < RETURNS_BEFORE_ESCALATION) return { return_count: returns };
      return { return_count: 0, escalation_level: escalate(caseItem.escalationLevel) };
    }
    // A reopened case keeps the time of its last reply (statistics count it); a new reply replaces it.
    case 'rate':
      return to === 'closed' ? { rating: input.rating ?? null, closed_at: now } : { rating: input.rating ?? null };
    case 'object':
    case 'reopen':
      return { closed_at: null };
    case 'close':
      return { closed_at: now };
    case 'merge': {
      if (!input.mergeIntoId || input.mergeIntoId === caseItem.id) throw new AppError('target_required');
      const target = await repo.findCase(db, input.mergeIntoId);
      // A case the actor cannot read is no target: merging into it would tell its number to the reporter.
      if (!target || target.mergedIntoId !== null || !(await visibleCase(db, principal, target))) throw notFound('case');
      return { merged_into_id: target.id, closed_at: now };
    }
    case 'reroute': {
      if (!input.categoryId) throw new AppError('target_required');
      const category = await repo.findCategory(db, input.categoryId);
      if (!category || category.countyId !== caseItem.placement.countyId) throw notFound('category');
      const assigneeUserId = category.routeTo === 'grid' ? ((await repo.findGridWorker(db, caseItem.placement.regionId)) ?? null) : null;
      const calendar = await repo.findCalendar(db, category.countyId);
      return {
        category_id: category.id,
        assignee_user_id: assigneeUserId,
        assignee_department_id: category.routeTo === 'department' ? category.departmentId : null,
        deadline_at: addWorkingHours(now, category.deadlineHours, calendar),
        assigned_at: now,
        // A new deadline gets its own reminder and overdue flag.
        reminded_at: null,
        overdue_at: null,
      };
    }
    default:
      return {};
  }
}

async function assigneeFrom(db: Kysely<DB>, input: TransitionInput): Promise<Record<string, string | null>> {
  if (input.departmentId) {
    const department = await db.selectFrom('departments').select('id').where('id', '=', input.departmentId).executeTakeFirst();
    if (!department) throw notFound('department');
    return { assignee_user_id: null, assignee_department_id: department.id };
  }
  if (input.assigneeUserId) {
    const user = await db.selectFrom('users').select('id').where('id', '=', input.assigneeUserId).executeTakeFirst();
    if (!user) throw notFound('user');
    return { assignee_user_id: user.id, assignee_department_id: null };
  }
  throw new AppError('target_required');
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
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (await repo.addMeToo(trx, id, household.id, principal.userId, now)) {
      await recordAudit(
        trx,
        actor,
        { action: 'case.me_too', targetType: 'case', targetId: id, regionId: caseItem.placement.regionId },
        now,
      );
    }
  });
  return (await repo.findCase(deps.db, id)) as repo.CaseRecord;
}

/** The county this installation serves (the first, should there be several). */
export async function defaultCountyId(deps: Deps): Promise<string | undefined> {
  const row = await deps.reader.selectFrom('regions').select('id').where('level', '=', 'county').orderBy('code').executeTakeFirst();
  return row?.id;
}

/** The categories in use, of the given county or the installation's. */
export async function listCategories(deps: Deps, countyId: string | undefined): Promise<repo.Category[]> {
  return (await listAllCategories(deps, countyId)).filter((c) => c.active);
}

/** Every category, retired ones too: old cases still name them. */
export async function listAllCategories(deps: Deps, countyId: string | undefined): Promise<repo.Category[]> {
  const county = countyId ?? (await defaultCountyId(deps));
  return county ? repo.listCategories(deps.reader, county) : [];
}

export type StatisticsQuery = { regionId?: string; from: string; to: string; source?: string };

export type Statistics = {
  totals: stats.Figures;
  byCategory: (stats.Figures & { key: string; name: string })[];
  byDepartment: (stats.Figures & { key: string; name: string })[];
};

/** The figures of every case in the caller's scope (narrowed to a region if asked) created in [from, to). */
export async function statistics(deps: Deps, principal: Principal, query: StatisticsQuery): Promise<Statistics> {
  if (!hasPermission(principal, 'cases.read')) throw forbidden();
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs) {
    throw new AppError('validation_failed', {}, [{ field: 'querystring.to', problem: 'the period must end after it starts' }]);
  }
  const filter: stats.StatisticsFilter = {
    scope: scopeFor(principal, 'cases.read'),
    region: region ? [placementColumn(region), region.id] : undefined,
    fromMs,
    toMs,
    source: query.source,
    now: deps.now(),
  };
  // Whole local days in a scope of villages or wider are summed from the roll-ups; anything else is counted from the cases.
  return stats.rollupsServe(filter) ? stats.fromRollups(deps.reader, filter) : stats.live(deps.reader, filter);
}

export async function findCategoryByCode(deps: Deps, countyId: string, code: string): Promise<repo.Category | undefined> {
  return (await repo.listCategories(deps.reader, countyId)).find((c) => c.code === code && c.active);
}

export async function searchCases(deps: Deps, principal: Principal, filter: Omit<repo.CaseSearch, 'scope'>): Promise<repo.CaseRecord[]> {
  return repo.searchCases(deps.reader, { ...filter, scope: scopeFor(principal, 'cases.read') });
}

/** Names of all departments by id, for presenting many cases at once. */
export async function departmentNames(deps: Deps): Promise<Map<string, string>> {
  const rows = await deps.reader.selectFrom('departments').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
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
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.updateDescription(trx, id, description, now);
    await repo.insertEvent(trx, {
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
  });
  return (await repo.findCase(deps.db, id)) as repo.CaseRecord;
}

/** The county whose configuration the principal may change (county admins, at their county). */
async function configurableCounty(deps: Deps, principal: Principal, countyId: string | undefined): Promise<string> {
  const county = countyId ?? (await defaultCountyId(deps));
  if (!county) throw notFound('region');
  const region = await requireRegion(deps, county);
  if (region.level !== 'county') throw new AppError('region_level_mismatch');
  authorize(principal, 'cases.configure', region.placement, 'region');
  return region.id;
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
    if (!input.departmentId || !(await repo.listDepartments(deps.reader)).some((d) => d.id === input.departmentId))
      throw notFound('department');
  }
  const id = target.id ?? uuidv7(deps.now());
  const category = { ...input, id, countyId, departmentId: input.routeTo === 'department' ? input.departmentId : null };
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const now = deps.now();
      if (target.id) {
        const existing = await repo.findCategory(trx, target.id);
        if (!existing || existing.countyId !== countyId) throw notFound('category');
        await repo.updateCategory(trx, category);
      } else {
        await repo.insertCategory(trx, category, now);
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
    })
    .catch((error) => {
      if (isUniqueViolation(error)) throw new AppError('category_code_taken');
      throw error;
    });
  return (await repo.findCategory(deps.db, id)) as repo.Category;
}

export async function getCalendar(deps: Deps, principal: Principal, countyId?: string): Promise<WorkCalendar> {
  return repo.findCalendar(deps.reader, await configurableCounty(deps, principal, countyId));
}

/** New deadlines count the new working time; deadlines already set stay. */
export async function saveCalendar(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  calendar: WorkCalendar,
  countyId?: string,
): Promise<WorkCalendar> {
  const county = await configurableCounty(deps, principal, countyId);
  if (calendar.dayEndMinute <= calendar.dayStartMinute) {
    throw new AppError('validation_failed', {}, [{ field: 'body.dayEndMinute', problem: 'the working day must end after it starts' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.saveCalendar(trx, county, calendar, now);
    await recordAudit(trx, actor, { action: 'case.calendar.update', targetType: 'region', targetId: county, regionId: county }, now);
  });
  return repo.findCalendar(deps.db, county);
}

export async function listDepartments(deps: Deps) {
  return repo.listDepartments(deps.reader);
}
