import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { compiledPerShape } from '../../db/compiled-once.ts';
import { keysetPage } from '../../db/keyset.ts';
import { highestAfterPrefix, takeNextNumber } from '../../db/number-counters.ts';
import { placementOf } from '../../db/placement.ts';
import type { CaseTable, DB } from '../../db/schema.ts';
import { inScope, scopeShape, slottedScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import { CASE_STATES, type CaseState, type EscalationLevel } from './case-workflow.ts';
import { DEFAULT_CALENDAR, type WorkCalendar } from './working-time.ts';

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

export async function insertCategory(db: Kysely<DB>, category: Category & { sortOrder?: number }, now: number): Promise<void> {
  await db
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
    .execute();
}

export async function updateCategory(db: Kysely<DB>, category: Category & { sortOrder?: number }): Promise<void> {
  await db
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
    .execute();
}

export async function saveCalendar(db: Kysely<DB>, countyId: string, calendar: WorkCalendar, now: number): Promise<void> {
  await db
    .insertInto('work_calendars')
    .values({ county_id: countyId, calendar: JSON.stringify(calendar), updated_at: now })
    .onConflict((oc) => oc.column('county_id').doUpdateSet({ calendar: JSON.stringify(calendar), updated_at: now }))
    .execute();
}

export async function listDepartments(db: Kysely<DB>): Promise<{ id: string; name: string; nameEn: string | null }[]> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'name_en']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en }));
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

export async function departmentsOfUser(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('department_id')
    .where('user_id', '=', userId)
    .where('role', '=', 'departmentHandler')
    .where('department_id', 'is not', null)
    .execute();
  return rows.map((r) => r.department_id as string);
}

export async function findCalendar(db: Kysely<DB>, countyId: string): Promise<WorkCalendar> {
  const row = await db.selectFrom('work_calendars').select('calendar').where('county_id', '=', countyId).executeTakeFirst();
  return row ? { ...DEFAULT_CALENDAR, ...(JSON.parse(row.calendar) as Partial<WorkCalendar>) } : DEFAULT_CALENDAR;
}

/** The grid worker of the grid that holds this villager group, if the group has one. */
export async function findGridWorker(db: Kysely<DB>, regionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('grid_groups as gg')
    .innerJoin('role_assignments as ra', 'ra.grid_id', 'gg.grid_id')
    .select('ra.user_id')
    .where('gg.region_id', '=', regionId)
    .where('ra.role', '=', 'gridWorker')
    .orderBy('ra.created_at')
    .executeTakeFirst();
  return row?.user_id;
}

export type CaseRecord = {
  id: string;
  number: string;
  source: string;
  channel: string;
  categoryId: string;
  categoryName: string;
  title: string;
  description: string;
  placement: Placement;
  regionName: string;
  latitude: number | null;
  longitude: number | null;
  reporterUserId: string | null;
  reporterHouseholdId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  anonymous: boolean;
  state: CaseState;
  assigneeUserId: string | null;
  assigneeDepartmentId: string | null;
  escalationLevel: EscalationLevel;
  returnCount: number;
  deadlineAt: number;
  answeredAt: number | null;
  assignedAt: number | null;
  acceptedAt: number | null;
  handledAt: number | null;
  repliedAt: number | null;
  closedAt: number | null;
  rating: number | null;
  mergedIntoId: string | null;
  meTooCount: number;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** When the deadline passed unmet (set by the deadline job); null while on time. */
  overdueAt: number | null;
  remindedAt: number | null;
  /** The exposure board: pending moderation, published or rejected; null when not on it. */
  publicState: 'pending' | 'published' | 'rejected' | null;
  publicTitle: string | null;
  publicText: string | null;
};

function selectCases(db: Kysely<DB>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.id', 'c.region_id')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .selectAll('c')
    .select(['r.name as region_name', 'cat.name as category_name']);
}

type Row = CaseTable & { region_name: string; category_name: string };

const toCase = (row: Row): CaseRecord => ({
  id: row.id,
  number: row.number,
  source: row.source,
  channel: row.channel,
  categoryId: row.category_id,
  categoryName: row.category_name,
  title: row.title,
  description: row.description,
  placement: placementOf(row),
  regionName: row.region_name,
  latitude: row.latitude,
  longitude: row.longitude,
  reporterUserId: row.reporter_user_id,
  reporterHouseholdId: row.reporter_household_id,
  reporterName: row.reporter_name,
  reporterPhone: row.reporter_phone,
  anonymous: row.anonymous === 1,
  state: row.state as CaseState,
  assigneeUserId: row.assignee_user_id,
  assigneeDepartmentId: row.assignee_department_id,
  escalationLevel: row.escalation_level as EscalationLevel,
  returnCount: row.return_count,
  deadlineAt: row.deadline_at,
  answeredAt: row.answered_at,
  assignedAt: row.assigned_at,
  acceptedAt: row.accepted_at,
  handledAt: row.handled_at,
  repliedAt: row.replied_at,
  closedAt: row.closed_at,
  rating: row.rating,
  mergedIntoId: row.merged_into_id,
  meTooCount: row.me_too_count,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  overdueAt: row.overdue_at,
  remindedAt: row.reminded_at,
  publicState: row.public_state as CaseRecord['publicState'],
  publicTitle: row.public_title,
  publicText: row.public_text,
});

export async function findCase(db: Kysely<DB>, id: string): Promise<CaseRecord | undefined> {
  const row = await selectCases(db).where('c.id', '=', id).executeTakeFirst();
  return row && toCase(row as Row);
}

export type CaseInsert = Omit<
  CaseTable,
  | 'version'
  | 'me_too_count'
  | 'return_count'
  | 'rating'
  | 'merged_into_id'
  | 'reminded_at'
  | 'overdue_at'
  | 'public_title'
  | 'public_text'
  | 'moderated_by'
  | 'moderated_at'
>;

export async function insertCase(db: Kysely<DB>, values: CaseInsert): Promise<void> {
  await db
    .insertInto('cases')
    .values({
      ...values,
      version: 0,
      me_too_count: 0,
      return_count: 0,
      rating: null,
      merged_into_id: null,
      reminded_at: null,
      overdue_at: null,
      public_title: null,
      public_text: null,
      moderated_by: null,
      moderated_at: null,
    })
    .execute();
}

/** Applies the change only if nobody changed the case since it was read; false means read again. */
export async function updateCaseAtVersion(db: Kysely<DB>, id: string, version: number, changes: Partial<CaseTable>): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type CaseEvent = {
  id: string;
  caseId: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorUserId: string | null;
  actorRole: string | null;
  note: string | null;
  details: Record<string, unknown> | null;
  at: number;
};

export async function insertEvent(db: Kysely<DB>, event: CaseEvent): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      id: event.id,
      case_id: event.caseId,
      action: event.action,
      from_state: event.fromState,
      to_state: event.toState,
      actor_user_id: event.actorUserId,
      actor_role: event.actorRole,
      note: event.note,
      details: event.details ? JSON.stringify(event.details) : null,
      at: event.at,
    })
    .execute();
}

export async function listEvents(db: Kysely<DB>, caseId: string): Promise<CaseEvent[]> {
  const rows = await db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    note: row.note,
    details: row.details ? JSON.parse(row.details) : null,
    at: row.at,
  }));
}

export type QueueFilter = {
  /** Cases in the hands of this user or these departments… */
  assigneeUserId?: string;
  departmentIds?: string[];
  /** …or anywhere in this scope (a supervisor's view). */
  scope?: Scope;
  reporterUserId?: string;
  states: CaseState[];
  after?: [number, string];
  limit: number;
};

type QueueShape = {
  states: CaseState[];
  assignee: boolean;
  departments: number;
  reporter: boolean;
  scope?: string;
  after: boolean;
  limit: number;
};

// Every queue page (a worker's first screen) runs this: compiled once per shape. The states are
// written into the text rather than bound: the partial indexes on open cases serve a query only
// when it names their states itself (cases_open_assignee_idx, cases_open_department_idx); bound,
// a worker's page sorted all their open cases on every request (npm run bench: cases.queue).
const queuePage = compiledPerShape<QueueShape, Row>(
  (s) => `${s.states.join(',')}|${s.assignee}|${s.departments}|${s.reporter}|${s.scope ?? ''}|${s.after}|${s.limit}`,
  (db, slot, shape) => {
    for (const state of shape.states) if (!CASE_STATES.includes(state)) throw new Error(`Not a case state: ${state}`);
    const query = selectCases(db)
      .where(sql<SqlBool>`${sql.ref('c.state')} in (${sql.join(shape.states.map((state) => sql.lit(state)))})`)
      .where((eb) => {
        const mine: Expression<SqlBool>[] = [];
        if (shape.assignee) mine.push(eb('c.assignee_user_id', '=', slot<string>('assigneeUserId')));
        if (shape.departments > 0) {
          const ids = Array.from({ length: shape.departments }, (_, i) => slot<string>(`departmentIds.${i}`));
          mine.push(eb('c.assignee_department_id', 'in', ids));
        }
        if (shape.reporter) mine.push(eb('c.reporter_user_id', '=', slot<string>('reporterUserId')));
        if (shape.scope !== undefined) mine.push(inScope(slottedScope(shape.scope, slot, 'scope'), { table: 'c' }));
        return mine.length > 0 ? eb.or(mine) : sql<SqlBool>`1 = 0`;
      });
    const after = shape.after ? [slot<number>('after.0'), slot<string>('after.1')] : undefined;
    return keysetPage(query, QUEUE_ORDER, after, shape.limit);
  },
);

const QUEUE_ORDER = [
  ['c.deadline_at', 'asc'],
  ['c.id', 'asc'],
] as const;

/** Open work by deadline, soonest first; keyset on (deadline, id). */
export async function listQueue(db: Kysely<DB>, filter: QueueFilter): Promise<CaseRecord[]> {
  const shape: QueueShape = {
    states: filter.states,
    assignee: filter.assigneeUserId !== undefined,
    departments: filter.departmentIds?.length ?? 0,
    reporter: filter.reporterUserId !== undefined,
    scope: filter.scope && scopeShape(filter.scope),
    after: filter.after !== undefined,
    limit: filter.limit,
  };
  const { rows } = await queuePage(db, shape, filter);
  return rows.map(toCase);
}

/** Counted once per household: a second "me too" from the same household changes nothing. */
export async function addMeToo(db: Kysely<DB>, caseId: string, householdId: string, userId: string, now: number): Promise<boolean> {
  const existing = await db
    .selectFrom('case_me_too')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  if (existing) return false;
  await db.insertInto('case_me_too').values({ case_id: caseId, household_id: householdId, user_id: userId, at: now }).execute();
  await db
    .updateTable('cases')
    .set((eb) => ({ me_too_count: eb('me_too_count', '+', 1), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', caseId)
    .execute();
  return true;
}

/** The day's next case number (yyyymmdd): one per case, however many arrive together. */
export function takeCaseNumber(db: Kysely<DB>, day: string): Promise<number> {
  return takeNextNumber(db, `case:${day}`, async () => {
    const rows = await db.selectFrom('cases').select('number').where('number', 'like', `${day}-%`).execute();
    return highestAfterPrefix(
      rows.map((r) => r.number),
      `${day}-`,
    );
  });
}

export type CaseSearch = {
  scope: Scope;
  ids?: string[];
  categoryIds?: string[];
  fromMs?: number;
  toMs?: number;
  closed?: boolean;
  limit: number;
};

/** Cases in scope matching a client's filters, newest first (Open311 GET requests). */
export async function searchCases(db: Kysely<DB>, filter: CaseSearch): Promise<CaseRecord[]> {
  let query = selectCases(db).where(inScope(filter.scope, { table: 'c' }));
  if (filter.ids) query = query.where('c.id', 'in', filter.ids.length > 0 ? filter.ids : ['']);
  if (filter.categoryIds) query = query.where('c.category_id', 'in', filter.categoryIds.length > 0 ? filter.categoryIds : ['']);
  if (filter.fromMs !== undefined) query = query.where('c.created_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('c.created_at', '<', filter.toMs);
  if (filter.closed !== undefined) query = query.where('c.state', filter.closed ? '=' : '!=', 'closed');
  const rows = await query.orderBy('c.created_at', 'desc').limit(filter.limit).execute();
  return rows.map((row) => toCase(row as Row));
}

/** Open cases of a category in a village since a moment, with a position: candidates to compare by distance. */
export async function listOpenWithPosition(
  db: Kysely<DB>,
  filter: { categoryId: string; villageId: string; sinceMs: number; excludeId: string },
): Promise<CaseRecord[]> {
  const rows = await selectCases(db)
    .where('c.category_id', '=', filter.categoryId)
    .where('c.village_id', '=', filter.villageId)
    .where('c.state', 'in', ['received', 'assigned', 'accepted', 'handled'])
    .where('c.created_at', '>=', filter.sinceMs)
    .where('c.id', '!=', filter.excludeId)
    .where('c.latitude', 'is not', null)
    .where('c.merged_into_id', 'is', null)
    .orderBy('c.created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => toCase(row as Row));
}

export async function updateDescription(db: Kysely<DB>, id: string, description: string, now: number): Promise<void> {
  await db
    .updateTable('cases')
    .set((eb) => ({ description, reporter_phone: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function listMergedInto(db: Kysely<DB>, targetId: string): Promise<CaseRecord[]> {
  const rows = await selectCases(db).where('c.merged_into_id', '=', targetId).execute();
  return rows.map((row) => toCase(row as Row));
}

/** Open cases whose deadline falls before `until` and that have not been flagged yet, soonest first. */
export async function listDeadlineDue(db: Kysely<DB>, kind: 'reminder' | 'overdue', until: number, limit: number): Promise<CaseRecord[]> {
  const flag = kind === 'reminder' ? 'c.reminded_at' : 'c.overdue_at';
  const rows = await selectCases(db)
    .where('c.state', 'in', ['received', 'assigned', 'accepted', 'handled'])
    .where('c.deadline_at', '<', until)
    .where(flag, 'is', null)
    .orderBy('c.deadline_at')
    .limit(limit)
    .execute();
  return rows.map((row) => toCase(row as Row));
}

/** Marks the reminder or the overdue flag once; false when another run got there first. */
export async function markDeadlineFlag(db: Kysely<DB>, id: string, kind: 'reminder' | 'overdue', now: number): Promise<boolean> {
  const column = kind === 'reminder' ? 'reminded_at' : 'overdue_at';
  const result = await db
    .updateTable('cases')
    .set({ [column]: now })
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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

const SUPERVISORS_AT_LEVEL: Record<EscalationLevel, { roles: string[]; column: 'village_id' | 'township_id' | 'county_id' }> = {
  grid: { roles: ['villageCadre'], column: 'village_id' },
  village: { roles: ['villageCadre'], column: 'village_id' },
  township: { roles: ['townshipOfficial'], column: 'township_id' },
  county: { roles: ['appealsAgent', 'countyAdmin'], column: 'county_id' },
};

/** Who supervises a case at its escalation level: the village's cadres, the township's officials, or the county's centre. */
export async function supervisorsOf(db: Kysely<DB>, c: CaseRecord): Promise<string[]> {
  const { roles, column } = SUPERVISORS_AT_LEVEL[c.escalationLevel];
  const regionId = { village_id: c.placement.villageId, township_id: c.placement.townshipId, county_id: c.placement.countyId }[column];
  if (!regionId) return [];
  const rows = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('role', 'in', roles)
    .where('region_id', '=', regionId)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

export async function listPublished(db: Kysely<DB>, villageId: string, before: string | undefined, limit: number): Promise<CaseRecord[]> {
  let query = selectCases(db).where('c.village_id', '=', villageId).where('c.public_state', '=', 'published');
  if (before) query = query.where('c.id', '<', before);
  const rows = await query
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  return rows.map((row) => toCase(row as Row));
}

export async function listPendingModeration(db: Kysely<DB>, scope: Scope, limit: number): Promise<CaseRecord[]> {
  const rows = await selectCases(db)
    .where('c.public_state', '=', 'pending')
    .where(inScope(scope, { table: 'c' }))
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((row) => toCase(row as Row));
}
