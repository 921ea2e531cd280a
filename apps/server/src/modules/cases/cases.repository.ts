import type { ExpressionBuilder, Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { highestAfterPrefix, takeNextNumber } from '../../db/number-counters.ts';
import { placementOf } from '../../db/placement.ts';
import type { CaseTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { CaseState, EscalationLevel } from './case-workflow.ts';

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

export function selectCases(db: Kysely<DB>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .selectAll('c')
    .select(['cat.name as category_name']);
}

export type Row = CaseTable & { category_name: string };

/** What a write returns: the case row and, as in `selectCases`, the name of its category. */
const writtenCase = (eb: ExpressionBuilder<DB, 'cases'>) => [
  eb.selectFrom('case_categories as cat').select('cat.name').whereRef('cat.id', '=', 'cases.category_id').as('category_name'),
];

export const toCase = (row: Row): CaseRecord => ({
  id: row.id,
  number: row.number,
  source: row.source,
  channel: row.channel,
  categoryId: row.category_id,
  categoryName: row.category_name,
  title: row.title,
  description: row.description,
  placement: placementOf(row),
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
> &
  /** Written at once only by the demo, whose exposure-board reports arrive already moderated. */
  Partial<Pick<CaseTable, 'public_title' | 'public_text'>>;

export async function insertCase(db: Kysely<DB>, values: CaseInsert): Promise<CaseRecord> {
  const row = await db
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
      public_title: values.public_title ?? null,
      public_text: values.public_text ?? null,
      moderated_by: null,
      moderated_at: null,
    })
    .returningAll()
    .returning(writtenCase)
    .executeTakeFirstOrThrow();
  return toCase(row as Row);
}

/** Applies the change only if nobody changed the case since it was read; undefined means read again. */
export async function updateCaseAtVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  changes: Partial<CaseTable>,
): Promise<CaseRecord | undefined> {
  const row = await db
    .updateTable('cases')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .returning(writtenCase)
    .executeTakeFirst();
  return row && toCase(row as Row);
}

/** Counted once per household: a second "me too" from the same household changes nothing (undefined). */
export async function addMeToo(
  db: Kysely<DB>,
  caseId: string,
  householdId: string,
  userId: string,
  now: number,
): Promise<CaseRecord | undefined> {
  const existing = await db
    .selectFrom('case_me_too')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  if (existing) return undefined;
  await db.insertInto('case_me_too').values({ case_id: caseId, household_id: householdId, user_id: userId, at: now }).execute();
  const row = await db
    .updateTable('cases')
    .set((eb) => ({ me_too_count: eb('me_too_count', '+', 1), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', caseId)
    .returningAll()
    .returning(writtenCase)
    .executeTakeFirstOrThrow();
  return toCase(row as Row);
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

export async function updateDescription(db: Kysely<DB>, id: string, description: string, now: number): Promise<CaseRecord> {
  const row = await db
    .updateTable('cases')
    .set((eb) => ({ description, reporter_phone: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .returning(writtenCase)
    .executeTakeFirstOrThrow();
  return toCase(row as Row);
}

export async function listMergedInto(db: Kysely<DB>, targetId: string): Promise<CaseRecord[]> {
  const rows = await selectCases(db).where('c.merged_into_id', '=', targetId).execute();
  return rows.map((row) => toCase(row as Row));
}

/**
 * A village's published exposure-board reports, newest report first. By the time reported, not by
 * id: an id is minted when the row is written (an imported or backdated report gets a new one),
 * so id order is not the order things happened in. The id breaks ties within one millisecond.
 */
export async function listPublished(
  db: Kysely<DB>,
  villageId: string,
  after: readonly [createdAt: number, id: string] | undefined,
  limit: number,
): Promise<CaseRecord[]> {
  const query = selectCases(db).where('c.village_id', '=', villageId).where('c.public_state', '=', 'published');
  const keys = [
    ['c.created_at', 'desc'],
    ['c.id', 'desc'],
  ] as const;
  const rows = await keysetPage(query, keys, after, limit).execute();
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

/** A rating written straight onto a case (demo data: a year of closed cases, most rated well). */
export async function setRating(db: Kysely<DB>, id: string, rating: number): Promise<void> {
  await db.updateTable('cases').set({ rating }).where('id', '=', id).execute();
}

export type Moderation = {
  publicState: 'published' | 'rejected';
  publicTitle: string | null;
  publicText: string | null;
  moderatedBy: string;
};

export async function setModeration(db: Kysely<DB>, id: string, moderation: Moderation, now: number): Promise<CaseRecord> {
  const row = await db
    .updateTable('cases')
    .set((eb) => ({
      public_state: moderation.publicState,
      public_title: moderation.publicTitle,
      public_text: moderation.publicText,
      moderated_by: moderation.moderatedBy,
      moderated_at: now,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .returningAll()
    .returning(writtenCase)
    .executeTakeFirstOrThrow();
  return toCase(row as Row);
}
