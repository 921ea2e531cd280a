// Applications for service items: made online by a villager for their household, or at a postal
// service hall by an agent on a villager's behalf (with the villager's consent recorded). The
// department accepts (the promised time starts), asks once for everything missing, approves or
// refuses, and delivers (collected, or mailed with a tracking number). The applicant is told at
// every step and sees the whole history.
import type { Kysely, Transaction } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, ServiceApplicationTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../../platform/notify.ts';
import { departmentsOfUser, findCalendar } from '../cases/cases.repository.ts';
import { addWorkingHours, DEFAULT_CALENDAR } from '../cases/working-time.ts';
import { findPerson } from '../org/people.repository.ts';
import { findItem, type ServiceItem } from './catalogue.ts';

export type ApplicationState = ServiceApplicationTable['state'];
export const OPEN_STATES: ApplicationState[] = ['submitted', 'accepted', 'moreMaterials'];

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
  overdue: boolean;
  version: number;
  placement: { regionId: string; villageId: string | null; townshipId: string | null; countyId: string | null; householdId: string | null };
};

type Row = ServiceApplicationTable & { item_name: string; applicant_name: string };

const toApplication = (r: Row): Application => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  departmentId: r.department_id,
  applicantPersonId: r.applicant_person_id,
  applicantName: r.applicant_name,
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
  overdue: r.overdue_at !== null,
  version: r.version,
  placement: placementOf(r, r.household_id),
});

const selectApplications = (db: Kysely<DB>) =>
  db
    .selectFrom('service_applications as a')
    .innerJoin('service_items as i', 'i.id', 'a.item_id')
    .innerJoin('people as p', 'p.id', 'a.applicant_person_id')
    .selectAll('a')
    .select(['i.name as item_name', 'p.name as applicant_name']);

async function findApplication(db: Kysely<DB>, id: string): Promise<Application | undefined> {
  const row = await selectApplications(db).where('a.id', '=', id).executeTakeFirst();
  return row && toApplication(row);
}

/** Who may see an application: the applicant's household, the places that hold it, the hall, the department. */
async function maySee(deps: Deps, principal: Principal, application: Application): Promise<boolean> {
  if (principal.householdId && principal.householdId === application.placement.householdId) return true;
  if (principal.userId === application.agentUserId) return true;
  if (allows(principal, 'services.read', application.placement) && !principal.assignments.every((a) => a.role === 'villager')) return true;
  return (await departmentsOfUser(deps.reader, principal.userId)).includes(application.departmentId);
}

async function visibleApplication(deps: Deps, principal: Principal, id: string): Promise<Application> {
  const application = await findApplication(deps.reader, id);
  if (!application || !(await maySee(deps, principal, application))) throw notFound('application');
  return application;
}

async function denied(deps: Deps, actor: Actor, action: string, targetId: string | null, details: Record<string, unknown>) {
  await recordAudit(deps.db, actor, { action, outcome: 'denied', targetType: 'serviceApplication', targetId, details }, deps.now());
}

export type ApplyInput = {
  itemId: string;
  applicantPersonId: string;
  /** A service-hall agent records that the villager agreed to be represented. */
  consent?: boolean;
  delivery: 'collect' | 'mail';
  address?: string;
};

/**
 * Opens an application. A villager applies online for a member of their own household; an agent
 * applies at the hall for a villager of their township, with consent. A forged applicant, an
 * agent outside their township or an item not offered that way is refused, changes nothing and
 * is audited.
 */
export async function apply(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: ApplyInput,
  idempotencyKey: string | undefined,
): Promise<Application> {
  const item = await findItem(deps.reader, input.itemId);
  if (!item?.active) throw notFound('serviceItem');
  const person = await findPerson(deps.reader, input.applicantPersonId);
  const isAgent = principal.assignments.some((a) => a.role === 'serviceHallAgent');
  const ownHousehold = person !== undefined && principal.householdId !== null && person.householdId === principal.householdId;
  const agentMay = person !== undefined && isAgent && allows(principal, 'services.apply', person.placement);
  if (!person || !(ownHousehold || agentMay)) {
    await denied(deps, actor, 'services.application.create', null, { applicantPersonId: input.applicantPersonId, itemId: input.itemId });
    throw notFound('person');
  }
  const channel = ownHousehold && !agentMay ? 'online' : 'proxy';
  if (channel === 'online' && !item.places.includes('online')) throw new AppError('not_offered_online');
  if (channel === 'proxy' && !input.consent) throw new AppError('applicant_consent_required');
  if (input.delivery === 'mail' && !input.address?.trim())
    throw new AppError('validation_failed', {}, { field: 'address', problem: 'required for mail' });
  const application = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'services.apply', payload: input },
    async (trx) => {
      const now = deps.now();
      const id = uuidv7(now);
      await trx
        .insertInto('service_applications')
        .values({
          id,
          item_id: item.id,
          department_id: item.departmentId,
          applicant_person_id: person.id,
          household_id: person.householdId,
          ...placedColumns(person.placement),
          channel,
          agent_user_id: channel === 'proxy' ? principal.userId : null,
          consent_at: channel === 'proxy' ? now : null,
          state: 'submitted',
          missing: null,
          delivery: input.delivery,
          address: input.address?.trim() || null,
          tracking_number: null,
          reason: null,
          created_by: principal.userId,
          created_at: now,
          accepted_at: null,
          due_at: null,
          decided_at: null,
          delivered_at: null,
          overdue_at: null,
          version: 0,
        })
        .execute();
      await addEvent(trx, id, 'submit', null, 'submitted', principal.userId, channel === 'proxy' ? '代办 proxy' : null, now);
      await recordAudit(
        trx,
        actor,
        { action: 'services.application.create', targetType: 'serviceApplication', targetId: id, regionId: person.placement.regionId },
        now,
      );
      await tellApplicant(trx, person.id, id, item.name, 'submitted', null, now);
      return id;
    },
  );
  return (await findApplication(deps.db, application)) as Application;
}

async function addEvent(
  db: Kysely<DB>,
  applicationId: string,
  action: string,
  from: string | null,
  to: string,
  actorUserId: string | null,
  note: string | null,
  now: number,
) {
  await db
    .insertInto('service_application_events')
    .values({
      id: uuidv7(now),
      application_id: applicationId,
      action,
      from_state: from,
      to_state: to,
      actor_user_id: actorUserId,
      note,
      at: now,
    })
    .execute();
}

const STATE_WORDS: Record<string, [string, string]> = {
  submitted: ['已提交，等待受理', 'has been submitted and waits to be accepted'],
  accepted: ['已受理', 'has been accepted'],
  moreMaterials: ['需补充材料', 'needs more materials'],
  approved: ['已办结（通过）', 'has been approved'],
  refused: ['未予通过', 'was refused'],
  delivered: ['已送达', 'has been delivered'],
};

/** The applicant hears of each step: in the app when they have an account, else by text to their phone. */
async function tellApplicant(
  db: Kysely<DB>,
  personId: string,
  applicationId: string,
  itemName: string,
  state: string,
  extra: string | null,
  now: number,
) {
  const [zh, en] = STATE_WORDS[state] as [string, string];
  const message = {
    topic: 'services.application',
    subjectType: 'serviceApplication',
    subjectId: applicationId,
    zh: `【政务服务】您申请的“${itemName}”${zh}${extra ? `：${extra}` : '。'}`,
    en: `[Government services] Your application for "${itemName}" ${en}${extra ? `: ${extra}` : '.'}`,
  };
  const user = await db.selectFrom('users').select('id').where('person_id', '=', personId).executeTakeFirst();
  if (user) {
    await notify(db, { userId: user.id }, message, now);
    return;
  }
  const person = await db.selectFrom('people').select('phone').where('id', '=', personId).executeTakeFirst();
  if (person?.phone) await notify(db, { phone: person.phone }, message, now);
}

// ---- Materials ---------------------------------------------------------------------------------

export type UploadedMaterial = { id: string; material: string; contentType: string; bytes: number; createdAt: number };

/** Whether the applicant's side may act on the application: their household, or the hall agent of its township. */
function isApplicantSide(principal: Principal, application: Application): boolean {
  if (principal.householdId && principal.householdId === application.placement.householdId) return true;
  return principal.assignments.some((a) => a.role === 'serviceHallAgent') && allows(principal, 'services.apply', application.placement);
}

/**
 * Adds a material to an application while it is submitted or waiting for more materials. The
 * material must be one the item asks for (or one the department asked for); the bytes must be
 * a picture or a PDF, whatever they claim to be.
 */
export async function uploadMaterial(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  applicationId: string,
  material: string,
  data: Buffer,
  idempotencyKey: string | undefined,
): Promise<UploadedMaterial> {
  const application = await visibleApplication(deps, principal, applicationId);
  if (!isApplicantSide(principal, application)) {
    await denied(deps, actor, 'services.material.upload', applicationId, { material });
    throw new AppError('forbidden');
  }
  if (application.state !== 'submitted' && application.state !== 'moreMaterials') {
    throw new AppError('invalid_transition', {}, { state: application.state, action: 'upload' });
  }
  const item = (await findItem(deps.reader, application.itemId)) as ServiceItem;
  const known = new Set([...item.materials.map((m) => m.name), ...application.missing]);
  if (!known.has(material)) throw new AppError('validation_failed', {}, { field: 'material', known: [...known] });
  const checked = await checkDocument(data).catch(async (error: unknown) => {
    await denied(deps, actor, 'services.material.upload', applicationId, { material, problem: 'not_a_document' });
    throw error;
  });
  return runIdempotent(
    deps.db,
    {
      principalId: principal.userId,
      key: idempotencyKey,
      operation: `services.upload:${applicationId}:${material}`,
      payload: { bytes: data.length },
    },
    async (trx) => {
      const now = deps.now();
      const id = uuidv7(now);
      const key = `services/${applicationId}/${id}${checked.contentType === 'application/pdf' ? '.pdf' : '.jpg'}`;
      await deps.files.put(key, checked.data);
      await trx
        .insertInto('service_application_files')
        .values({
          id,
          application_id: applicationId,
          material,
          file_key: key,
          content_type: checked.contentType,
          bytes: checked.data.length,
          created_by: principal.userId,
          created_at: now,
        })
        .execute();
      await recordAudit(
        trx,
        actor,
        {
          action: 'services.material.upload',
          targetType: 'serviceApplication',
          targetId: applicationId,
          regionId: application.placement.regionId,
          details: { material },
        },
        now,
      );
      return { id, material, contentType: checked.contentType, bytes: checked.data.length, createdAt: now };
    },
  );
}

async function uploadsOf(db: Kysely<DB>, applicationId: string): Promise<(UploadedMaterial & { key: string })[]> {
  const rows = await db
    .selectFrom('service_application_files')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    material: r.material,
    contentType: r.content_type,
    bytes: r.bytes,
    createdAt: r.created_at,
    key: r.file_key,
  }));
}

/** The required materials (and those asked for) without an upload since `since`. */
async function stillMissing(db: Kysely<DB>, application: Application, item: ServiceItem, since = 0): Promise<string[]> {
  const uploaded = new Set((await uploadsOf(db, application.id)).filter((u) => u.createdAt >= since).map((u) => u.material));
  const wanted = since === 0 ? item.materials.filter((m) => m.required).map((m) => m.name) : application.missing;
  return wanted.filter((name) => !uploaded.has(name));
}

// ---- Transitions -------------------------------------------------------------------------------

export type TransitionInput = {
  action: 'accept' | 'askMaterials' | 'resubmit' | 'approve' | 'refuse' | 'deliver';
  note?: string;
  /** askMaterials: materials beyond the item's list that the department needs. */
  missing?: string[];
  trackingNumber?: string;
};

const FROM: Record<TransitionInput['action'], ApplicationState[]> = {
  accept: ['submitted'],
  askMaterials: ['submitted', 'accepted'],
  resubmit: ['moreMaterials'],
  approve: ['accepted'],
  refuse: ['submitted', 'accepted', 'moreMaterials'],
  deliver: ['approved'],
};

const DEPARTMENT_ACTIONS = new Set(['accept', 'askMaterials', 'approve', 'refuse']);

export async function transition(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: TransitionInput,
  idempotencyKey: string | undefined,
): Promise<Application> {
  const application = await visibleApplication(deps, principal, id);
  const handler = (await departmentsOfUser(deps.reader, principal.userId)).includes(application.departmentId);
  // The department decides; the applicant's side resubmits; the department or the hall hands over.
  const hallAgent =
    principal.assignments.some((a) => a.role === 'serviceHallAgent') && allows(principal, 'services.apply', application.placement);
  const allowed = DEPARTMENT_ACTIONS.has(input.action)
    ? handler
    : input.action === 'resubmit'
      ? isApplicantSide(principal, application)
      : handler || hallAgent;
  if (!allowed) {
    await denied(deps, actor, `services.application.${input.action}`, id, {});
    throw new AppError('forbidden');
  }
  if (!FROM[input.action].includes(application.state)) {
    await denied(deps, actor, `services.application.${input.action}`, id, { state: application.state });
    throw new AppError('invalid_transition', {}, { state: application.state, action: input.action });
  }
  const item = (await findItem(deps.reader, application.itemId)) as ServiceItem;
  const note = input.note?.trim() || null;
  if (input.action === 'refuse' && !note) throw new AppError('reason_required');
  if (input.action === 'deliver' && application.delivery === 'mail' && !input.trackingNumber?.trim()) {
    throw new AppError('validation_failed', {}, { field: 'trackingNumber', problem: 'required for mail' });
  }
  const done = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: `services.transition:${id}`, payload: input },
    async (trx) => {
      const now = deps.now();
      const changes: Partial<ServiceApplicationTable> = {};
      let extra: string | null = note;
      let to: ApplicationState;
      switch (input.action) {
        case 'accept': {
          const missing = await stillMissing(trx, application, item);
          if (missing.length > 0) throw new AppError('materials_missing', { names: missing.join('、') }, { missing });
          const calendar = application.placement.countyId ? await findCalendar(trx, application.placement.countyId) : DEFAULT_CALENDAR;
          const dayHours = (calendar.dayEndMinute - calendar.dayStartMinute) / 60;
          to = 'accepted';
          Object.assign(changes, { accepted_at: now, due_at: addWorkingHours(now, item.promisedDays * dayHours, calendar) });
          break;
        }
        case 'askMaterials': {
          // Asked once, with everything that is missing.
          const asked = await trx
            .selectFrom('service_application_events')
            .select('id')
            .where('application_id', '=', id)
            .where('action', '=', 'askMaterials')
            .executeTakeFirst();
          if (asked) throw new AppError('materials_already_asked');
          const missing = [
            ...new Set([...(await stillMissing(trx, application, item)), ...(input.missing ?? []).map((m) => m.trim()).filter(Boolean)]),
          ];
          if (missing.length === 0) throw new AppError('validation_failed', {}, { field: 'missing', problem: 'nothing is missing' });
          to = 'moreMaterials';
          changes.missing = JSON.stringify(missing);
          extra = `${missing.join('、')}${note ? `（${note}）` : ''}`;
          break;
        }
        case 'resubmit': {
          const askedAt = await trx
            .selectFrom('service_application_events')
            .select('at')
            .where('application_id', '=', id)
            .where('action', '=', 'askMaterials')
            .executeTakeFirstOrThrow();
          const missing = await stillMissing(trx, application, item, askedAt.at);
          if (missing.length > 0) throw new AppError('materials_missing', { names: missing.join('、') }, { missing });
          to = application.acceptedAt === null ? 'submitted' : 'accepted';
          break;
        }
        case 'approve':
          to = 'approved';
          changes.decided_at = now;
          break;
        case 'refuse':
          to = 'refused';
          Object.assign(changes, { decided_at: now, reason: note });
          break;
        case 'deliver':
          to = 'delivered';
          Object.assign(changes, { delivered_at: now, tracking_number: input.trackingNumber?.trim() || null });
          extra = application.delivery === 'mail' ? `邮寄单号 ${input.trackingNumber?.trim()}` : note;
          break;
      }
      const updated = await trx
        .updateTable('service_applications')
        .set({ ...changes, state: to, version: application.version + 1 })
        .where('id', '=', id)
        .where('version', '=', application.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError('case_busy');
      await addEvent(trx, id, input.action, application.state, to, principal.userId, extra, now);
      await recordAudit(
        trx,
        actor,
        {
          action: `services.application.${input.action}`,
          targetType: 'serviceApplication',
          targetId: id,
          regionId: application.placement.regionId,
        },
        now,
      );
      await tellApplicant(trx, application.applicantPersonId, id, item.name, to, extra, now);
      return id;
    },
  );
  return (await findApplication(deps.db, done)) as Application;
}

// ---- Reading ----------------------------------------------------------------------------------

export type ApplicationEvent = {
  action: string;
  from: string | null;
  to: string;
  actorUserId: string | null;
  note: string | null;
  at: number;
};

export async function applicationDetail(deps: Deps, principal: Principal, id: string) {
  const application = await visibleApplication(deps, principal, id);
  const events = await deps.reader
    .selectFrom('service_application_events')
    .selectAll()
    .where('application_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    application,
    materials: (await uploadsOf(deps.reader, id)).map(({ key: _key, ...rest }) => rest),
    history: events.map((e) => ({
      action: e.action,
      from: e.from_state,
      to: e.to_state,
      actorUserId: e.actor_user_id,
      note: e.note,
      at: e.at,
    })),
  };
}

export async function materialFile(deps: Deps, principal: Principal, actor: Actor, applicationId: string, fileId: string) {
  const application = await visibleApplication(deps, principal, applicationId);
  const file = (await uploadsOf(deps.reader, applicationId)).find((f) => f.id === fileId);
  if (!file) throw notFound('file');
  const data = await deps.files.get(file.key);
  if (!data) throw notFound('file');
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'services.material.read',
      targetType: 'serviceApplication',
      targetId: applicationId,
      regionId: application.placement.regionId,
    },
    deps.now(),
  );
  return { data, contentType: file.contentType };
}

export type ListFilter = { view: 'mine' | 'queue' | 'scope'; state?: ApplicationState; limit: number; cursor?: string };

/**
 * mine: my household's applications (and those I made at the hall); queue: my department's open
 * applications, due first; scope: those of the places I serve.
 */
export async function listApplications(deps: Deps, principal: Principal, filter: ListFilter) {
  let query = selectApplications(deps.reader);
  if (filter.view === 'mine') {
    query = query.where((eb) =>
      eb.or([
        ...(principal.householdId ? [eb('a.household_id', '=', principal.householdId)] : []),
        eb('a.agent_user_id', '=', principal.userId),
      ]),
    );
  } else if (filter.view === 'queue') {
    const departments = await departmentsOfUser(deps.reader, principal.userId);
    if (departments.length === 0) return { items: [], nextCursor: null };
    query = query.where('a.department_id', 'in', departments).where('a.state', 'in', filter.state ? [filter.state] : OPEN_STATES);
    // Due first; not yet accepted (no deadline) before everything.
    const rows = await query.orderBy('a.due_at').orderBy('a.id').limit(filter.limit).execute();
    return { items: rows.map(toApplication), nextCursor: null };
  } else {
    query = query.where(inScope(scopeFor(principal, 'services.read'), { table: 'a', householdColumn: 'household_id' }));
  }
  if (filter.state) query = query.where('a.state', '=', filter.state);
  if (filter.cursor) query = query.where('a.id', '<', filter.cursor);
  const rows = await query
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const items = rows.slice(0, filter.limit).map(toApplication);
  return { items, nextCursor: rows.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** Applications past their promised time without a decision: flagged once, the department told. */
export async function flagOverdueApplications(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await selectApplications(deps.reader)
    .where('a.state', 'in', ['accepted', 'moreMaterials'])
    .where('a.overdue_at', 'is', null)
    .where('a.due_at', '<', now)
    .limit(500)
    .execute();
  let flagged = 0;
  for (const row of due) {
    const application = toApplication(row);
    const done = await deps.db.transaction().execute(async (trx: Transaction<DB>) => {
      const updated = await trx
        .updateTable('service_applications')
        .set({ overdue_at: now, version: application.version + 1 })
        .where('id', '=', application.id)
        .where('version', '=', application.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      await addEvent(trx, application.id, 'overdue', application.state, application.state, null, null, now);
      const handlers = await trx
        .selectFrom('role_assignments')
        .select('user_id')
        .where('role', '=', 'departmentHandler')
        .where('department_id', '=', application.departmentId)
        .execute();
      for (const h of handlers) {
        await notify(
          trx,
          { userId: h.user_id },
          {
            topic: 'services.overdue',
            subjectType: 'serviceApplication',
            subjectId: application.id,
            zh: `【政务服务】${application.applicantName}申请的“${application.itemName}”已超过承诺时限，请尽快办理。`,
            en: `[Government services] ${application.applicantName}'s application for "${application.itemName}" is past its promised time.`,
          },
          now,
        );
      }
      return true;
    });
    if (done) flagged++;
  }
  return flagged;
}
