// Service applications, their uploaded materials and their history.
import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { highestAfterPrefix, takeNextNumber } from '../../db/number-counters.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, ServiceApplicationEventTable, ServiceApplicationFileTable, ServiceApplicationTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { ApplicationChanges, ApplicationState } from './application-workflow.ts';

export type Application = {
  id: string;
  itemId: string;
  itemName: string;
  departmentId: string;
  applicantPersonId: string;
  applicantName: string;
  channel: 'online' | 'proxy';
  agentUserId: string | null;
  state: ApplicationState;
  missing: string[];
  delivery: 'collect' | 'mail';
  address: string | null;
  trackingNumber: string | null;
  reason: string | null;
  createdAt: number;
  acceptedAt: number | null;
  dueAt: number | null;
  decidedAt: number | null;
  deliveredAt: number | null;
  /** Who marked it delivered, by name as it was then. */
  deliveredBy: string | null;
  certificateNumber: string | null;
  overdue: boolean;
  version: number;
  placement: Placement & { householdId: string | null };
};

/** An application as this module keeps it: the applicant's name is the org module's to give. */
export type StoredApplication = Omit<Application, 'applicantName'>;

const toApplication = (r: ServiceApplicationTable, itemName: string): StoredApplication => ({
  id: r.id,
  itemId: r.item_id,
  itemName,
  departmentId: r.department_id,
  applicantPersonId: r.applicant_person_id,
  channel: r.channel,
  agentUserId: r.agent_user_id,
  state: r.state,
  missing: r.missing ? (JSON.parse(r.missing) as string[]) : [],
  delivery: r.delivery,
  address: r.address,
  trackingNumber: r.tracking_number,
  reason: r.reason,
  createdAt: r.created_at,
  acceptedAt: r.accepted_at,
  dueAt: r.due_at,
  decidedAt: r.decided_at,
  deliveredAt: r.delivered_at,
  deliveredBy: r.delivered_by_name,
  certificateNumber: r.certificate_number,
  overdue: r.overdue_at !== null,
  version: r.version,
  placement: placementOf(r, r.household_id),
});

const selectApplications = (db: Kysely<DB>) =>
  db
    .selectFrom('service_applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .selectAll('a')
    .select('i.name as item_name');

const fromRow = (r: ServiceApplicationTable & { item_name: string }) => toApplication(r, r.item_name);

export async function findApplication(db: Kysely<DB>, id: string): Promise<StoredApplication | undefined> {
  const row = await selectApplications(db).where('a.id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export type NewApplication = {
  id: string;
  itemId: string;
  departmentId: string;
  applicantPersonId: string;
  placement: Placement & { householdId: string | null };
  channel: 'online' | 'proxy';
  agentUserId: string | null;
  consentAt: number | null;
  delivery: 'collect' | 'mail';
  address: string | null;
  createdBy: string;
  createdAt: number;
};

export async function insertApplication(db: Kysely<DB>, values: NewApplication, itemName: string): Promise<StoredApplication> {
  const row: ServiceApplicationTable = {
    id: values.id,
    item_id: values.itemId,
    department_id: values.departmentId,
    applicant_person_id: values.applicantPersonId,
    household_id: values.placement.householdId,
    ...placedColumns(values.placement),
    channel: values.channel,
    agent_user_id: values.agentUserId,
    consent_at: values.consentAt,
    state: 'submitted',
    missing: null,
    delivery: values.delivery,
    address: values.address,
    tracking_number: null,
    reason: null,
    created_by: values.createdBy,
    created_at: values.createdAt,
    accepted_at: null,
    due_at: null,
    decided_at: null,
    delivered_at: null,
    overdue_at: null,
    certificate_number: null,
    delivered_by: null,
    delivered_by_name: null,
    version: 0,
  };
  await db.insertInto('service_applications').values(row).execute();
  return toApplication(row, itemName);
}

/**
 * Moves the application on from the version it was read at; undefined when someone else moved it
 * first. Returns the application as written.
 */
export async function updateAtVersion(
  db: Kysely<DB>,
  current: StoredApplication,
  state: ApplicationState,
  changes: ApplicationChanges & { overdueAt?: number },
): Promise<StoredApplication | undefined> {
  const row = await db
    .updateTable('service_applications')
    .set({
      state,
      version: current.version + 1,
      ...(changes.acceptedAt !== undefined && { accepted_at: changes.acceptedAt }),
      ...(changes.dueAt !== undefined && { due_at: changes.dueAt }),
      ...(changes.decidedAt !== undefined && { decided_at: changes.decidedAt }),
      ...(changes.deliveredAt !== undefined && { delivered_at: changes.deliveredAt }),
      ...(changes.reason !== undefined && { reason: changes.reason }),
      ...(changes.missing !== undefined && { missing: JSON.stringify(changes.missing) }),
      ...(changes.trackingNumber !== undefined && { tracking_number: changes.trackingNumber }),
      ...(changes.overdueAt !== undefined && { overdue_at: changes.overdueAt }),
      ...(changes.certificateNumber !== undefined && { certificate_number: changes.certificateNumber }),
      ...(changes.deliveredBy !== undefined && {
        delivered_by: changes.deliveredBy.userId,
        delivered_by_name: changes.deliveredBy.name,
      }),
    })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  return row && toApplication(row, current.itemName);
}

export type ApplicationFilter =
  | { view: 'mine'; householdId: string | null; userId: string; state?: ApplicationState }
  | { view: 'scope'; scope: Scope; state?: ApplicationState };

/** Newest first, keyset-paged by id; fetches `limit + 1` for `toPage`. */
export async function listApplications(
  db: Kysely<DB>,
  filter: ApplicationFilter,
  after: readonly [string] | undefined,
  limit: number,
): Promise<StoredApplication[]> {
  let query = selectApplications(db);
  if (filter.view === 'mine') {
    const { householdId, userId } = filter;
    query = query.where((eb) =>
      eb.or([...(householdId ? [eb('a.household_id', '=', householdId)] : []), eb('a.agent_user_id', '=', userId)]),
    );
  } else {
    query = query.where(inScope(filter.scope, { table: 'a', householdColumn: 'household_id' }));
  }
  if (filter.state) query = query.where('a.state', '=', filter.state);
  const rows = await keysetPage(query, [['a.id', 'desc']], after, limit).execute();
  return rows.map(fromRow);
}

/** The departments' open applications, due first; not yet accepted (no deadline) before everything. */
export async function listQueue(
  db: Kysely<DB>,
  departmentIds: string[],
  states: ApplicationState[],
  limit: number,
): Promise<StoredApplication[]> {
  const rows = await selectApplications(db)
    .where('a.department_id', 'in', departmentIds)
    .where('a.state', 'in', states)
    .orderBy('a.due_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** Running past their promised time and not yet flagged. */
export async function listPastDue(db: Kysely<DB>, states: ApplicationState[], now: number, limit: number): Promise<StoredApplication[]> {
  const rows = await selectApplications(db)
    .where('a.state', 'in', states)
    .where('a.overdue_at', 'is', null)
    .where('a.due_at', '<', now)
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

// ---- History ------------------------------------------------------------------------------------

export type ApplicationEvent = {
  action: string;
  from: string | null;
  to: string;
  actorUserId: string | null;
  note: string | null;
  at: number;
};

export async function insertEvent(db: Kysely<DB>, id: string, applicationId: string, event: ApplicationEvent): Promise<void> {
  const row: ServiceApplicationEventTable = {
    id,
    application_id: applicationId,
    action: event.action,
    from_state: event.from,
    to_state: event.to,
    actor_user_id: event.actorUserId,
    note: event.note,
    at: event.at,
  };
  await db.insertInto('service_application_events').values(row).execute();
}

export async function listEvents(db: Kysely<DB>, applicationId: string): Promise<ApplicationEvent[]> {
  const rows = await db
    .selectFrom('service_application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  return rows.map((e) => ({ action: e.action, from: e.from_state, to: e.to_state, actorUserId: e.actor_user_id, note: e.note, at: e.at }));
}

/** When the department asked for more materials, if it has. */
export async function askedMaterialsAt(db: Kysely<DB>, applicationId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('service_application_events')
    .select('at')
    .where('application_id', '=', applicationId)
    .where('action', '=', 'askMaterials')
    .executeTakeFirst();
  return row?.at;
}

// ---- Materials ----------------------------------------------------------------------------------

export type StoredMaterial = { id: string; material: string; contentType: string; bytes: number; createdAt: number; key: string };

const toMaterial = (r: ServiceApplicationFileTable): StoredMaterial => ({
  id: r.id,
  material: r.material,
  contentType: r.content_type,
  bytes: r.bytes,
  createdAt: r.created_at,
  key: r.file_key,
});

/**
 * Whether the application still takes materials (waiting to be accepted, or asked for more), decided
 * in the writer's transaction: on PostgreSQL the row then stays locked until it ends, so a decision
 * made meanwhile comes after the file, never before it.
 */
export async function takesMaterials(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('service_applications')
    .set((eb) => ({ state: eb.ref('state') }))
    .where('id', '=', id)
    .where('state', 'in', ['submitted', 'moreMaterials'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertMaterial(
  db: Kysely<DB>,
  applicationId: string,
  material: StoredMaterial,
  createdBy: string,
): Promise<StoredMaterial> {
  const row: ServiceApplicationFileTable = {
    id: material.id,
    application_id: applicationId,
    material: material.material,
    file_key: material.key,
    content_type: material.contentType,
    bytes: material.bytes,
    created_by: createdBy,
    created_at: material.createdAt,
  };
  await db.insertInto('service_application_files').values(row).execute();
  return toMaterial(row);
}

export async function listMaterials(db: Kysely<DB>, applicationId: string): Promise<StoredMaterial[]> {
  const rows = await db
    .selectFrom('service_application_files')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  return rows.map(toMaterial);
}

/**
 * The next certificate number of a county's year (500242-2026-000123): one per approval, however
 * many are approved together, never given twice (the unique index stands behind the counter).
 */
export async function takeCertificateNumber(db: Kysely<DB>, countyCode: string, year: number): Promise<string> {
  const prefix = `${countyCode}-${year}-`;
  const next = await takeNextNumber(db, `certificate:${prefix}`, async () => {
    const rows = await db
      .selectFrom('service_applications')
      .select('certificate_number')
      .where('certificate_number', 'like', `${prefix}%`)
      .execute();
    return highestAfterPrefix(
      rows.map((r) => r.certificate_number ?? ''),
      prefix,
    );
  });
  return `${prefix}${String(next).padStart(6, '0')}`;
}
