// Applications for service items: made online by a villager for their household, or at a postal
// service hall by an agent on a villager's behalf (with the villager's consent recorded). The
// department accepts (the promised time starts), asks once for everything missing, approves or
// refuses, and delivers (collected, or mailed with a tracking number). The applicant is told at
// every step and sees the whole history. The rules of each step are in application-workflow.ts.
import type { ApplicationsQuery, ApplyInput, TransitionInput } from '@cunzhi/contracts/services';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditPersonalRead, auditReadUnlessOwn, ownHousehold, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { addWorkingHours, DEFAULT_CALENDAR } from '../../platform/working-time.ts';
import { departmentsOfUser, handlersOfDepartment } from '../org/departments.service.ts';
import { findPersonUnchecked } from '../org/people.service.ts';
import { findRegion } from '../org/regions.service.ts';
import { calendarOf } from '../org/work-calendar.service.ts';
import { withApplicantNames } from './applicant-names.ts';
import { actorsOf, recordDenied, visibleApplication } from './application-access.ts';
import { applicantRecipient, tellApplicant, tellHandlersOfOverdue } from './application-messages.ts';
import {
  type ApplicationAction,
  type ApplicationState,
  alreadyDone,
  checkInput,
  checkTransition,
  materialsToAsk,
  OPEN_STATES,
  RUNNING_STATES,
  stillMissing,
  transitionWrites,
} from './application-workflow.ts';
import * as repo from './applications.repository.ts';
import * as catalogue from './catalogue.repository.ts';

export type { Application, ApplicationEvent } from './applications.repository.ts';

async function addEvent(db: Kysely<DB>, applicationId: string, event: repo.ApplicationEvent): Promise<void> {
  await repo.insertEvent(db, uuidv7(event.at), applicationId, event);
}

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
): Promise<repo.Application> {
  const item = await catalogue.findItem(deps.reader, input.itemId);
  if (!item?.active) throw notFound('serviceItem');
  const person = await findPersonUnchecked(deps, input.applicantPersonId);
  const isAgent = principal.assignments.some((a) => a.role === 'serviceHallAgent');
  const ownHousehold = person !== undefined && principal.householdId !== null && person.householdId === principal.householdId;
  const agentMay = person !== undefined && isAgent && allows(principal, 'services.apply', person.placement);
  if (!person || !(ownHousehold || agentMay)) {
    await recordDenied(deps, actor, 'services.application.create', null, {
      applicantPersonId: input.applicantPersonId,
      itemId: input.itemId,
    });
    throw notFound('person');
  }
  const channel = ownHousehold && !agentMay ? 'online' : 'proxy';
  if (channel === 'online' && !item.places.includes('online')) throw new AppError('not_offered_online');
  if (channel === 'proxy' && !input.consent) throw new AppError('applicant_consent_required');
  if (input.delivery === 'mail' && !input.address?.trim())
    throw new AppError('validation_failed', {}, { field: 'address', problem: 'required for mail' });
  const recipient = await applicantRecipient(deps, person.id);
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'services.apply', payload: input },
    async (trx) => {
      const now = deps.now();
      const application = await repo.insertApplication(
        trx,
        {
          id: uuidv7(now),
          itemId: item.id,
          departmentId: item.departmentId,
          applicantPersonId: person.id,
          placement: { ...person.placement, householdId: person.householdId },
          channel,
          agentUserId: channel === 'proxy' ? principal.userId : null,
          consentAt: channel === 'proxy' ? now : null,
          delivery: input.delivery,
          address: input.address?.trim() || null,
          createdBy: principal.userId,
          createdAt: now,
        },
        item.name,
      );
      await addEvent(trx, application.id, {
        action: 'submit',
        from: null,
        to: 'submitted',
        actorUserId: principal.userId,
        note: channel === 'proxy' ? '代办 proxy' : null,
        at: now,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'services.application.create',
          targetType: 'serviceApplication',
          targetId: application.id,
          regionId: person.placement.regionId,
        },
        now,
      );
      await tellApplicant(trx, recipient, application, 'submitted', null, now);
      return { ...application, applicantName: person.name };
    },
  );
}

/** The due time: the item's promised working days, counted in the county's working hours. */
async function promisedDueAt(db: Kysely<DB>, application: repo.Application, promisedDays: number, now: number): Promise<number> {
  const { countyId } = application.placement;
  const calendar = countyId ? await calendarOf(db, countyId) : DEFAULT_CALENDAR;
  const dayHours = (calendar.dayEndMinute - calendar.dayStartMinute) / 60;
  return addWorkingHours(now, promisedDays * dayHours, calendar);
}

/**
 * What the step needs from the database, checked in its transaction: every required material
 * before an acceptance (which sets the due time), one request for materials at most, and every
 * asked-for material uploaded since before a resubmission.
 */
async function stepFacts(
  trx: Kysely<DB>,
  action: ApplicationAction,
  application: repo.Application,
  item: catalogue.StoredItem,
  named: string[] | undefined,
  now: number,
): Promise<{ dueAt?: number; missing?: string[] }> {
  const required = item.materials.filter((m) => m.required).map((m) => m.name);
  const owing = (missing: string[]) => new AppError('materials_missing', { names: missing.join('、') }, { missing });
  if (action === 'accept') {
    const owed = stillMissing(await repo.listMaterials(trx, application.id), required, undefined);
    if (owed.length > 0) throw owing(owed);
    return { dueAt: await promisedDueAt(trx, application, item.promisedDays, now) };
  }
  if (action === 'askMaterials') {
    if ((await repo.askedMaterialsAt(trx, application.id)) !== undefined) throw new AppError('materials_already_asked');
    const missing = materialsToAsk(stillMissing(await repo.listMaterials(trx, application.id), required, undefined), named);
    if (missing.length === 0) throw new AppError('validation_failed', {}, { field: 'missing', problem: 'nothing is missing' });
    return { missing };
  }
  if (action === 'resubmit') {
    const asked = { names: application.missing, at: (await repo.askedMaterialsAt(trx, application.id)) ?? 0 };
    const owed = stillMissing(await repo.listMaterials(trx, application.id), required, asked);
    if (owed.length > 0) throw owing(owed);
  }
  return {};
}

/** The year in China (UTC+8) at a moment: a certificate of New Year's Eve night is next year's. */
const chinaYear = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCFullYear();

/** The code of the application's county (500242), which begins its certificate numbers. */
async function countyCodeOf(deps: Deps, application: repo.Application): Promise<string> {
  const { countyId } = application.placement;
  return (countyId ? (await findRegion(deps, countyId))?.code : undefined) ?? '000000';
}

export async function transition(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: TransitionInput,
  idempotencyKey: string | undefined,
): Promise<repo.Application> {
  const { action } = input;
  const application = await visibleApplication(deps, principal, id);
  const problem = checkTransition(action, application.state, await actorsOf(deps, principal, application));
  if (problem === 'forbidden') {
    await recordDenied(deps, actor, `services.application.${action}`, id, {});
    throw forbidden();
  }
  if (problem === 'invalid_transition' && alreadyDone(action, application.state)) return application;
  if (problem === 'invalid_transition') {
    await recordDenied(deps, actor, `services.application.${action}`, id, { state: application.state });
    throw new AppError('invalid_transition', {}, { state: application.state, action });
  }
  const item = (await catalogue.findItem(deps.reader, application.itemId)) as catalogue.StoredItem;
  const note = input.note?.trim() || null;
  const trackingNumber = input.trackingNumber?.trim() || null;
  const inputProblem = checkInput(action, { note, trackingNumber }, application.delivery);
  if (inputProblem === 'reason_required') throw new AppError('reason_required');
  if (inputProblem === 'tracking_number_required') {
    throw new AppError('validation_failed', {}, { field: 'trackingNumber', problem: 'required for mail' });
  }
  const recipient = await applicantRecipient(deps, application.applicantPersonId);
  const countyCode = action === 'approve' ? await countyCodeOf(deps, application) : null;
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: `services.transition:${id}`, payload: input },
    async (trx) => {
      const now = deps.now();
      const { dueAt, missing } = await stepFacts(trx, action, application, item, input.missing, now);
      const writes = transitionWrites(action, {
        now,
        acceptedAt: application.acceptedAt,
        delivery: application.delivery,
        note,
        trackingNumber,
        dueAt,
        missing,
        ...(countyCode !== null && { certificateNumber: await repo.takeCertificateNumber(trx, countyCode, chinaYear(now)) }),
        actor: { userId: principal.userId, name: principal.displayName },
      });
      const updated = await repo.updateAtVersion(trx, application, writes.to, writes.changes);
      if (!updated) throw new AppError('case_busy');
      await addEvent(trx, id, {
        action,
        from: application.state,
        to: writes.to,
        actorUserId: principal.userId,
        note: writes.note,
        at: now,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: `services.application.${action}`,
          targetType: 'serviceApplication',
          targetId: id,
          regionId: application.placement.regionId,
        },
        now,
      );
      await tellApplicant(trx, recipient, application, writes.to, writes.note, now);
      return { ...updated, applicantName: application.applicantName };
    },
  );
}

// ---- Reading ----------------------------------------------------------------------------------

/** An application with its materials and history; opened by anyone but the applicant's household, traced. */
export async function applicationDetail(deps: Deps, principal: Principal, actor: Actor, id: string) {
  const application = await visibleApplication(deps, principal, id);
  // The applicant's name, home address and the post's tracking number are personal data.
  await auditReadUnlessOwn(deps, principal, actor, application.placement.householdId, {
    action: 'services.application.read',
    targetType: 'serviceApplication',
    targetId: id,
    regionId: application.placement.regionId,
  });
  return {
    application,
    materials: (await repo.listMaterials(deps.reader, id)).map(({ key: _key, ...rest }) => rest),
    history: await repo.listEvents(deps.reader, id),
  };
}

/**
 * mine: my household's applications (and those I made at the hall); queue: my department's open
 * applications, due first; scope: those of the places I serve.
 */
export async function listApplications(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: ApplicationsQuery,
): Promise<Page<repo.Application>> {
  const page = await findApplications(deps, principal, query);
  // A desk's or a department's list names applicants: traced, one row per list with how many; so is
  // a hall agent's own list (the villagers they applied for), but not a villager's of their household.
  if (query.view !== 'mine' || !page.items.every((a) => ownHousehold(principal, a.placement.householdId)))
    await auditPersonalRead(
      deps.db,
      actor,
      {
        action: 'services.application.list',
        targetType: 'serviceApplication',
        details: { count: page.items.length, view: query.view ?? 'scope' },
      },
      deps.now(),
    );
  return page;
}

async function findApplications(deps: Deps, principal: Principal, query: ApplicationsQuery): Promise<Page<repo.Application>> {
  const limit = query.limit ?? 50;
  const state = query.state;
  if (query.view === 'queue') {
    const departments = await departmentsOfUser(deps.reader, principal.userId);
    if (departments.length === 0) return { items: [], nextCursor: null };
    const queue = await repo.listQueue(deps.reader, departments, state ? [state] : OPEN_STATES, limit);
    return { items: await withApplicantNames(deps, queue), nextCursor: null };
  }
  const filter: repo.ApplicationFilter =
    query.view === 'mine'
      ? { view: 'mine', householdId: principal.householdId, userId: principal.userId, state }
      : { view: 'scope', scope: scopeFor(principal, 'services.read'), state };
  const rows = await repo.listApplications(deps.reader, filter, decodeCursor(query.cursor, ['text'] as const), limit);
  const page = toPage(rows, limit, (a) => [a.id]);
  return { items: await withApplicantNames(deps, page.items), nextCursor: page.nextCursor };
}

/** Applications past their promised time without a decision: flagged once, the department told. */
export async function flagOverdueApplications(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await withApplicantNames(deps, await repo.listPastDue(deps.reader, RUNNING_STATES, now, 500));
  let flagged = 0;
  for (const application of due) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const state: ApplicationState = application.state;
      if (!(await repo.updateAtVersion(trx, application, state, { overdueAt: now }))) return false;
      await addEvent(trx, application.id, { action: 'overdue', from: state, to: state, actorUserId: null, note: null, at: now });
      await tellHandlersOfOverdue(trx, await handlersOfDepartment(trx, application.departmentId), application, now);
      return true;
    });
    if (done) flagged++;
  }
  return flagged;
}
