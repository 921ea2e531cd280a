// PIPL in use: separate, withdrawable consents (arts. 14-15, 29), a guardian's consent under 14
// (art. 31), requests to export, correct or delete (arts. 44-47) handled by staff under legal holds,
// purges after withdrawal, and the record of processing (art. 54) made from the modules' declarations.
import { type ConsentInput, type ConsentPurpose, GUARDIAN_CONSENT_UNDER_AGE } from '@cunzhi/contracts/privacy';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, authorize, hasPermission, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditReadUnlessOwn, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Job } from '../../platform/jobs.ts';
import { getPerson } from '../org/people.service.ts';
import { birthDateOf, forgetSessionsOf, householdMemberIds, personOfUser } from '../org/personal-data.service.ts';
import * as repo from './privacy.repository.ts';
import type { PersonRef } from './privacy-declaration.ts';
import { DECLARATIONS } from './privacy-declarations.ts';

const DAY = 24 * 3_600_000;

/** Full years between a birth date (YYYY-MM-DD) and a moment, in Beijing time. */
export function ageOn(birthDate: string, at: number): number {
  const today = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * For other modules: of these people, those who withdrew consent for the purpose. Ingestion asks this
 * for every batch of readings: where the database has one writer (SQLite) the answers are kept per
 * person until privacy_consents changes (platform/read-cache.ts), so a batch asks only about people
 * it has not seen since; elsewhere every question is read.
 */
export async function withdrawnAmong(deps: Deps, personIds: string[], purpose: ConsentPurpose): Promise<Set<string>> {
  const kept = deps.readCache.value(JSON.stringify(['privacy.withdrawn', purpose]), ['privacy_consents'], async () => ({
    known: new Map<string, boolean>(),
    withdrawn: 0,
  }));
  if (!kept) return repo.withdrawnAmong(deps.db, personIds, purpose);
  const answers = await kept;
  const unknown = personIds.filter((id) => !answers.known.has(id));
  if (unknown.length > 0) {
    const withdrawn = await repo.withdrawnAmong(deps.db, unknown, purpose);
    if (answers.known.size > 200_000) {
      answers.known.clear();
      answers.withdrawn = 0;
    }
    for (const id of unknown) answers.known.set(id, withdrawn.has(id));
    answers.withdrawn += withdrawn.size;
  }
  // Nobody known to have withdrawn (the usual answer): no second look at each person.
  if (answers.withdrawn === 0) return new Set();
  return new Set(personIds.filter((id) => answers.known.get(id) === true));
}

/** For other modules: whether a member of the household withdrew consent for the purpose. */
export async function householdWithdrew(deps: Deps, householdId: string, purpose: ConsentPurpose): Promise<boolean> {
  return (await repo.withdrawnAmong(deps.db, await householdMemberIds(deps, householdId), purpose)).size > 0;
}

/** For other modules: whether the person an account belongs to withdrew consent for the purpose. */
export async function accountHolderWithdrew(deps: Deps, userId: string, purpose: ConsentPurpose): Promise<boolean> {
  const personId = await personOfUser(deps, userId);
  return personId !== null && (await repo.withdrawnAmong(deps.db, [personId], purpose)).size > 0;
}

const refOf = (person: { id: string; householdId: string | null }): PersonRef => ({ id: person.id, householdId: person.householdId });

/** The person themselves, a member of their household (a guardian), or staff who keep the register of their place. */
async function personForConsent(deps: Deps, principal: Principal, personId: string) {
  const person = await getPerson(deps, principal, personId);
  const staff = allows(principal, 'org.write', person.placement) || allows(principal, 'privacy.handle', person.placement);
  const self = principal.personId === personId;
  const household = principal.householdId !== null && principal.householdId === person.householdId;
  if (!staff && !self && !household) throw forbidden();
  return { person, staff, self };
}

/** A person's consents; read by staff (not the person or their household), the read is traced. */
export async function listConsents(deps: Deps, principal: Principal, actor: Actor, personId: string) {
  const { person, self } = await personForConsent(deps, principal, personId);
  const consents = await repo.latestConsents(deps.db, personId);
  if (!self)
    await auditReadUnlessOwn(deps, principal, actor, person.householdId, {
      action: 'privacy.consents.read',
      targetType: 'person',
      targetId: personId,
      regionId: person.placement.regionId,
    });
  return consents;
}

/**
 * Records a grant or a withdrawal. Under 14 (birth date, else the ID number's) only a guardian
 * consents; a villager who is not the person may act only as that guardian. A withdrawal takes
 * effect in the same transaction: each module's declared effect runs (family links end, the
 * ranking masks the name, the exposure board takes reports down); readings are refused from then on.
 */
export async function recordConsent(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  input: ConsentInput,
): Promise<repo.Consent> {
  const { person, staff, self } = await personForConsent(deps, principal, personId);
  const now = deps.now();
  const birthDate = await birthDateOf(deps, personId);
  const child = birthDate !== null && ageOn(birthDate, now) < GUARDIAN_CONSENT_UNDER_AGE;
  const guardianPersonId = input.guardianPersonId ?? null;
  if (child) {
    if (!guardianPersonId || guardianPersonId === personId) throw new AppError('guardian_consent_required');
    // The guardian is someone the recorder may see (404 otherwise, as for any person), and an adult.
    await getPerson(deps, principal, guardianPersonId);
    const guardianBirth = await birthDateOf(deps, guardianPersonId);
    if (guardianBirth !== null && ageOn(guardianBirth, now) < 18) throw new AppError('guardian_consent_required');
    if (!staff && principal.personId !== guardianPersonId) throw forbidden();
  } else {
    if (guardianPersonId)
      throw new AppError('validation_failed', {}, [{ field: 'guardianPersonId', problem: 'only for a person under 14' }]);
    if (!staff && !self) throw forbidden();
  }
  const consent: repo.Consent = {
    id: uuidv7(now),
    personId,
    purpose: input.purpose,
    granted: input.granted,
    at: now,
    recordedBy: principal.userId,
    guardianPersonId,
    note: input.note ?? null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertConsent(trx, consent);
    if (!input.granted) {
      for (const declaration of DECLARATIONS) await declaration.onWithdraw?.[input.purpose]?.(trx, refOf(person), now);
    }
    await recordAudit(
      trx,
      actor,
      {
        action: input.granted ? 'privacy.consent.grant' : 'privacy.consent.withdraw',
        targetType: 'person',
        targetId: personId,
        regionId: person.placement.regionId,
        details: { purpose: input.purpose, byGuardian: guardianPersonId !== null },
      },
      now,
    );
  });
  return consent;
}

/**
 * A consent taken on paper by a module's own flow (the demo loader, a health centre registering an
 * elder), written in the caller's transaction. Only for adults' grants; withdrawals go through recordConsent.
 */
export async function recordConsentOnFile(
  trx: Kysely<DB>,
  input: { personId: string; purpose: ConsentPurpose; recordedBy: string | null },
  now: number,
): Promise<void> {
  await repo.insertConsent(trx, {
    id: uuidv7(now),
    personId: input.personId,
    purpose: input.purpose,
    granted: true,
    at: now,
    recordedBy: input.recordedBy,
    guardianPersonId: null,
    note: 'onFile',
  });
}

// ---- Requests (arts. 44-47) --------------------------------------------------------------------

export async function submitRequest(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { kind: repo.PrivacyRequest['kind']; details: string },
): Promise<repo.PrivacyRequest> {
  if (!principal.personId) throw forbidden();
  const person = await getPerson(deps, principal, principal.personId);
  const now = deps.now();
  const request: repo.PrivacyRequest = {
    id: uuidv7(now),
    personId: person.id,
    kind: input.kind,
    details: input.details,
    state: 'submitted',
    requestedBy: principal.userId,
    handledBy: null,
    answer: null,
    placement: person.placement,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, request);
    await recordAudit(
      trx,
      actor,
      {
        action: 'privacy.request.submit',
        targetType: 'privacyRequest',
        targetId: request.id,
        regionId: person.placement.regionId,
        details: { kind: input.kind },
      },
      now,
    );
  });
  return request;
}

/** Staff see the requests of their place; a villager sees their own. */
export async function listRequests(deps: Deps, principal: Principal): Promise<repo.PrivacyRequest[]> {
  if (hasPermission(principal, 'privacy.handle')) {
    return repo.listRequests(deps.reader, { scope: scopeFor(principal, 'privacy.handle') });
  }
  if (!principal.personId) return [];
  return repo.listRequests(deps.reader, { personId: principal.personId });
}

const NEXT: Record<string, Partial<Record<repo.PrivacyRequest['state'], repo.PrivacyRequest['state']>>> = {
  accept: { submitted: 'accepted' },
  refuse: { submitted: 'refused', accepted: 'refused' },
  complete: { accepted: 'completed' },
};

/** Why the person's data must be kept now: holds staff placed and the modules' own (an open case). */
export async function holdsOn(deps: Deps, person: PersonRef): Promise<string[]> {
  const reasons = await repo.activeHolds(deps.db, person.id);
  for (const declaration of DECLARATIONS) reasons.push(...((await declaration.retentionHolds?.(deps, person)) ?? []));
  return reasons;
}

/**
 * Accept, refuse or complete. Completing a deletion anonymises the person (org) and removes each
 * module's optional data, unless a hold stands (409 legal_hold); ledgers and the audit log are never
 * touched. Completing a correction records the answer; the correction itself is made in org.
 */
export async function transitionRequest(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { action: 'accept' | 'refuse' | 'complete'; answer?: string },
): Promise<repo.PrivacyRequest> {
  const request = await repo.findRequest(deps.db, id);
  if (!request || !allows(principal, 'privacy.handle', request.placement)) throw notFound('privacyRequest');
  const to = NEXT[input.action]?.[request.state];
  if (!to) throw new AppError('privacy_request_state');
  const person = await getPersonUnchecked(deps, principal, request.personId);
  if (input.action === 'complete' && request.kind === 'deletion') {
    const reasons = await holdsOn(deps, person);
    if (reasons.length > 0) throw new AppError('legal_hold');
  }
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.moveRequest(trx, id, request.state, to, principal.userId, input.answer ?? null, now)))
      throw new AppError('privacy_request_state');
    if (to === 'completed' && request.kind === 'deletion') {
      for (const declaration of DECLARATIONS) await declaration.erasePerson?.(trx, person, now);
    }
    await recordAudit(
      trx,
      actor,
      {
        action: `privacy.request.${input.action}`,
        targetType: 'privacyRequest',
        targetId: id,
        regionId: request.placement.regionId,
        details: { kind: request.kind, personId: request.personId },
      },
      now,
    );
  });
  if (to === 'completed' && request.kind === 'deletion') await forgetSessionsOf(deps, request.personId);
  return { ...request, state: to, answer: input.answer ?? null, updatedAt: now };
}

async function getPersonUnchecked(deps: Deps, principal: Principal, personId: string): Promise<PersonRef> {
  return refOf(await getPerson(deps, principal, personId));
}

// ---- Export (art. 45) ---------------------------------------------------------------------------

/** Everything every module stores about the person, for the person or staff handling their request; audited. */
export async function exportPerson(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<Record<string, unknown>> {
  const person = await getPerson(deps, principal, personId);
  if (principal.personId !== personId && !allows(principal, 'privacy.handle', person.placement)) throw forbidden();
  const ref = refOf(person);
  const modules: Record<string, unknown> = {};
  for (const declaration of DECLARATIONS) {
    if (declaration.exportPerson) modules[declaration.module] = await declaration.exportPerson(deps, ref);
  }
  const consents = await repo.latestConsents(deps.db, personId);
  const now = deps.now();
  await recordAudit(
    deps.db,
    actor,
    { action: 'privacy.export', targetType: 'person', targetId: personId, regionId: person.placement.regionId },
    now,
  );
  return { personId, exportedAt: new Date(now).toISOString(), consents, modules };
}

// ---- Holds --------------------------------------------------------------------------------------

export async function placeHold(deps: Deps, principal: Principal, actor: Actor, input: { personId: string; reason: string }) {
  const person = await getPerson(deps, principal, input.personId);
  authorize(principal, 'privacy.handle', person.placement, 'person');
  const now = deps.now();
  const id = uuidv7(now);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertHold(trx, { id, personId: input.personId, reason: input.reason, placedBy: principal.userId, at: now });
    await recordAudit(
      trx,
      actor,
      { action: 'privacy.hold.place', targetType: 'person', targetId: input.personId, regionId: person.placement.regionId },
      now,
    );
  });
  return { id };
}

export async function releaseHold(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<void> {
  const hold = await repo.findHold(deps.db, id);
  if (!hold) throw notFound('privacyHold');
  const person = await getPerson(deps, principal, hold.person_id);
  if (!allows(principal, 'privacy.handle', person.placement)) throw notFound('privacyHold');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.releaseHold(trx, id, now);
    await recordAudit(
      trx,
      actor,
      { action: 'privacy.hold.release', targetType: 'person', targetId: hold.person_id, regionId: person.placement.regionId },
      now,
    );
  });
}

// ---- Record of processing (art. 54) and purges --------------------------------------------------

export function processingRecord() {
  return DECLARATIONS.flatMap((d) => d.activities.map((a) => ({ module: d.module, ...a, consentPurpose: a.consentPurpose ?? null })));
}

/** Purges what the modules declared for consents withdrawn longer than their grace period; returns rows purged. */
export async function purgeAfterWithdrawal(deps: Deps): Promise<number> {
  let purged = 0;
  const now = deps.now();
  for (const declaration of DECLARATIONS) {
    for (const [purpose, rule] of Object.entries(declaration.afterWithdrawal ?? {})) {
      if (!rule) continue;
      const people = await repo.withdrawnSince(deps.db, purpose as ConsentPurpose, now - rule.graceDays * DAY);
      if (people.length === 0) continue;
      await deps.db.transaction().execute(async (trx) => {
        const count = await rule.purge(trx, people);
        purged += count;
        if (count > 0) {
          await recordAudit(
            trx,
            SYSTEM_ACTOR,
            { action: 'privacy.purge', details: { module: declaration.module, purpose, people: people.length, rows: count } },
            now,
          );
        }
      });
    }
  }
  return purged;
}

/** The retention purges as background jobs under a lease (jobs.ts adds them). */
export function privacyJobs(deps: Deps): Job[] {
  return [
    { name: 'retention.withdrawnConsent', everyMs: 3_600_000, run: () => purgeAfterWithdrawal(deps) },
    ...DECLARATIONS.flatMap((d) =>
      (d.purges ?? []).map((p) => ({ name: `retention.${d.module}.${p.name}`, everyMs: p.everyMs, run: () => p.run(deps) })),
    ),
  ];
}
