import { idNumberFacts, idNumberProblem, maskIdNumber, normalizeIdNumber } from '@cunzhi/contracts/id-number';
import type { PersonInput } from '@cunzhi/contracts/org';
import type { Kysely } from 'kysely';
import { isForeignKeyViolation } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import { allows, authorize, hasPermission, type Placement, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, auditPersonalRead, auditReadUnlessOwn, countRecentActions, ownHousehold, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { maskPhone } from '../../platform/mask-phone.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import { checkBirthDate } from './birth-date.ts';
import { getHousehold } from './households.service.ts';
import * as repo from './people.repository.ts';
import { requireRegion } from './regions.service.ts';

export function checkedIdNumber(input: string): string {
  const problem = idNumberProblem(input);
  if (problem) throw new AppError(`id_number_${problem}`);
  return normalizeIdNumber(input);
}

export type PersonQuery = {
  regionId?: string;
  householdId?: string;
  name?: string;
  phone?: string;
  idNumber?: string;
  limit?: number;
  cursor?: string;
};

/**
 * Exact searches by a full ID number an hour for a role that may not reveal numbers. A search that
 * finds someone confirms a guessed number: the age, the gender, the place and the mask's two
 * characters leave thousands of candidates, and this keeps trying them out of reach (security recheck).
 */
export const ID_NUMBER_SEARCHES_PER_HOUR = 20;

export async function listPeople(deps: Deps, principal: Principal, actor: Actor, query: PersonQuery): Promise<Page<repo.PersonRecord>> {
  const limit = query.limit ?? 20;
  const region = query.regionId ? await requireRegion(deps, query.regionId) : undefined;
  const cursor = decodeCursor(query.cursor, ['text', 'text']);
  const idNumber = query.idNumber ? checkedIdNumber(query.idNumber) : undefined;
  if (idNumber && actor.userId && !hasPermission(principal, 'org.readIdNumber')) {
    const recent = await countRecentActions(deps.db, actor.userId, 'person.search_by_id_number', 3_600_000, deps.now());
    if (recent >= ID_NUMBER_SEARCHES_PER_HOUR) throw new AppError('rate_limited');
  }
  const phone = query.phone?.trim() || undefined;
  const rows = await repo.listPeople(deps.db, {
    scope: scopeFor(principal, 'org.read'),
    region,
    householdId: query.householdId,
    name: query.name?.trim() || undefined,
    phone,
    idNumberHash: idNumber ? deps.vault.blindIndex(idNumber) : undefined,
    after: cursor,
    limit,
  });
  if (idNumber) {
    // Looking someone up by the full number is a use of that number: it is audited.
    await recordAudit(
      deps.db,
      actor,
      {
        action: 'person.search_by_id_number',
        targetType: 'person',
        targetId: rows[0]?.id ?? null,
        details: { idNumberMasked: maskIdNumber(idNumber), found: rows.length },
      },
      deps.now(),
    );
  }
  if (phone) {
    // Looking people up by a phone number is a use of it: audited as the case desk's search by
    // phone is (case.search_by_phone), with the number masked.
    await recordAudit(
      deps.db,
      actor,
      {
        action: 'person.search_by_phone',
        targetType: 'person',
        targetId: rows[0]?.id ?? null,
        details: { phone: maskedSearchPhone(phone), found: Math.min(rows.length, limit) },
      },
      deps.now(),
    );
  }
  const page = toPage(rows, limit, (p) => [p.name, p.id]);
  // A list of people (names, phones, ages) is a read of their data: one trace per list, with how many.
  if (!page.items.every((p) => ownHousehold(principal, p.householdId)))
    await auditPersonalRead(
      deps.db,
      actor,
      {
        action: 'person.list',
        targetType: 'person',
        regionId: region?.id ?? null,
        details: { count: page.items.length, by: PERSON_FILTERS.filter((f) => query[f] !== undefined) },
      },
      deps.now(),
    );
  return page;
}

/** What a list of people may be narrowed by, as its trace names them (never the values searched). */
const PERSON_FILTERS = ['regionId', 'householdId', 'name', 'phone', 'idNumber'] as const;

/** One person for GET /people/:id, traced unless it is the reader or their household. */
export async function readPerson(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<repo.PersonRecord> {
  const person = await getPerson(deps, principal, id);
  await auditReadUnlessOwn(deps, principal, actor, person.householdId, {
    action: 'person.read',
    targetType: 'person',
    targetId: id,
    regionId: person.placement.regionId,
  });
  return person;
}

/**
 * The searched number as the audit log keeps it. The search takes the start of a number, and
 * maskPhone's first three and last four would keep a start of seven or eight digits whole (a local
 * landline number): anything shorter than a full mobile keeps only its length.
 */
function maskedSearchPhone(typed: string): string {
  const digits = typed.replace(/\D/g, '');
  return digits.length >= 11 ? maskPhone(digits) : '*'.repeat(digits.length);
}

/**
 * One person, for a module whose own rules decide who may act for them (a service application's
 * applicant: their household, or a hall agent of their township). Not an access-checked read.
 */
export function findPersonUnchecked(deps: Deps, id: string): Promise<repo.PersonRecord | undefined> {
  return repo.findPerson(deps.reader, id);
}

export async function getPerson(deps: Deps, principal: Principal, id: string): Promise<repo.PersonRecord> {
  const person = await repo.findPerson(deps.db, id);
  if (!person) throw notFound('person');
  authorize(principal, 'org.read', person.placement, 'person');
  return person;
}

export async function revealIdNumber(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<string | null> {
  const person = await getPerson(deps, principal, id);
  const audit = { targetType: 'person', targetId: id, regionId: person.placement.regionId };
  if (!allows(principal, 'org.readIdNumber', person.placement)) {
    await recordAudit(deps.db, actor, { ...audit, action: 'person.id_number.read', outcome: 'denied' });
    throw forbidden();
  }
  const sealed = await repo.findSealedIdNumber(deps.db, id);
  await recordAudit(deps.db, actor, { ...audit, action: 'person.id_number.read' });
  return sealed === null ? null : deps.vault.decrypt(sealed);
}

/** Where a person belongs: their household's place, or a village or group for people without one. */
async function placementFor(
  deps: Deps,
  principal: Principal,
  householdId: string | null,
  regionId: string | undefined,
): Promise<Placement> {
  if (householdId) {
    const household = await getHousehold(deps, principal, householdId);
    authorize(principal, 'org.write', household.placement, 'household');
    return household.placement;
  }
  if (!regionId) {
    throw new AppError('validation_failed', {}, [{ field: 'body.regionId', problem: 'a person without a household needs a region' }]);
  }
  const region = await requireRegion(deps, regionId);
  authorize(principal, 'org.write', region.placement, 'region');
  if (region.level !== 'village' && region.level !== 'villagerGroup') throw new AppError('region_level_mismatch');
  return region.placement;
}

function sealIdNumber(deps: Deps, idNumber: string) {
  return { sealed: deps.vault.encrypt(idNumber), hash: deps.vault.blindIndex(idNumber), masked: maskIdNumber(idNumber) };
}

export async function createPerson(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: PersonInput,
  idempotencyKey?: string,
): Promise<repo.PersonRecord> {
  checkBirthDate(input.birthDate, deps.now());
  const householdId = input.householdId ?? null;
  const placement = await placementFor(deps, principal, householdId, input.regionId);
  const idNumber = input.idNumber ? checkedIdNumber(input.idNumber) : null;
  const facts = idNumber ? idNumberFacts(idNumber) : undefined;
  // The request is remembered without the ID number in it: the key table is no place for it.
  const payload = { ...input, idNumber: idNumber ? deps.vault.blindIndex(idNumber) : null };
  const request = { principalId: principal.userId, key: idempotencyKey, operation: 'org.person.create', payload };
  return withIdNumberProbeLimit(deps, principal, actor, idNumber, placement.regionId, () =>
    runIdempotent(deps.db, request, (trx) => insertPersonIn(trx)),
  );
  async function insertPersonIn(trx: Kysely<DB>): Promise<repo.PersonRecord> {
    const now = deps.now();
    const id = uuidv7(now);
    await explainUniqueViolation('id_number_taken', () =>
      repo.insertPerson(
        trx,
        id,
        {
          householdId,
          name: input.name,
          gender: input.gender ?? facts?.gender ?? null,
          birthDate: input.birthDate ?? facts?.birthDate ?? null,
          relation: input.relation ?? null,
          phone: input.phone ?? null,
          idNumber: idNumber ? sealIdNumber(deps, idNumber) : null,
          placement: { ...placement, householdId },
        },
        now,
      ),
    );
    await recordAudit(trx, actor, { action: 'person.create', targetType: 'person', targetId: id, regionId: placement.regionId }, now);
    return repo.readPerson(trx, id);
  }
}

export async function updatePerson(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  patch: Partial<PersonInput>,
): Promise<repo.PersonRecord> {
  const current = await getPerson(deps, principal, id);
  authorize(principal, 'org.write', current.placement, 'person');
  const householdId = patch.householdId === undefined ? current.householdId : patch.householdId;
  const moves = householdId !== current.householdId || (patch.regionId !== undefined && patch.regionId !== current.placement.regionId);
  const placement = moves
    ? await placementFor(deps, principal, householdId, patch.regionId ?? current.placement.regionId)
    : current.placement;
  checkBirthDate(patch.birthDate, deps.now());
  const idNumber = patch.idNumber ? checkedIdNumber(patch.idNumber) : patch.idNumber;
  return withIdNumberProbeLimit(deps, principal, actor, idNumber, placement.regionId, () =>
    deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      await explainUniqueViolation('id_number_taken', () =>
        repo.updatePerson(
          trx,
          id,
          {
            householdId,
            name: patch.name ?? current.name,
            gender: patch.gender === undefined ? current.gender : patch.gender,
            birthDate: patch.birthDate === undefined ? current.birthDate : patch.birthDate,
            relation: patch.relation === undefined ? current.relation : patch.relation,
            phone: patch.phone === undefined ? current.phone : patch.phone,
            idNumber: idNumber === undefined ? undefined : idNumber === null ? null : sealIdNumber(deps, idNumber),
            placement: { ...placement, householdId },
          },
          now,
        ),
      );
      await recordAudit(
        trx,
        actor,
        {
          action: 'person.update',
          targetType: 'person',
          targetId: id,
          regionId: placement.regionId,
          details: { fields: Object.keys(patch) },
        },
        now,
      );
      return repo.readPerson(trx, id);
    }),
  );
}

/**
 * A number kept for someone else answers 409 id_number_taken, which tells that the number exists
 * somewhere in the county. For roles that may not reveal numbers (org.readIdNumber) only a few such
 * answers an hour, each audited, so that registering people is no way to test numbers (security
 * recheck, session 13: the person register was a yes/no oracle).
 */
export const ID_NUMBER_CONFLICTS_PER_HOUR = 5;

async function withIdNumberProbeLimit<T>(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  idNumber: string | null | undefined,
  regionId: string,
  write: () => Promise<T>,
): Promise<T> {
  const limited = Boolean(idNumber) && actor.userId !== null && !hasPermission(principal, 'org.readIdNumber');
  if (limited && actor.userId) {
    const recent = await countRecentActions(deps.db, actor.userId, 'person.id_number_taken', 3_600_000, deps.now());
    if (recent >= ID_NUMBER_CONFLICTS_PER_HOUR) throw new AppError('rate_limited');
  }
  try {
    return await write();
  } catch (error) {
    if (error instanceof AppError && error.code === 'id_number_taken') {
      await recordAudit(
        deps.db,
        actor,
        { action: 'person.id_number_taken', outcome: 'denied', targetType: 'person', regionId },
        deps.now(),
      );
    }
    throw error;
  }
}

export async function deletePerson(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<void> {
  const current = await getPerson(deps, principal, id);
  authorize(principal, 'org.write', current.placement, 'person');
  if (await repo.isPersonLinkedToUser(deps.db, id)) throw new AppError('person_has_account');
  await deps.db.transaction().execute(async (trx) => {
    // An elder under care, an applicant, a notice's recipient: their records keep the person (409, not 500).
    await repo.deletePerson(trx, id).catch((error: unknown) => {
      throw isForeignKeyViolation(error) ? new AppError('person_has_records') : error;
    });
    await recordAudit(trx, actor, {
      action: 'person.delete',
      targetType: 'person',
      targetId: id,
      regionId: current.placement.regionId,
      details: { name: current.name, householdId: current.householdId },
    });
  });
}

/**
 * The names of the people registered in a village, for removing them from text the public sees.
 * Not an access-checked read: callers use the names only to hide them.
 */
export async function namesInVillage(deps: Deps, villageId: string): Promise<string[]> {
  return repo.listNamesInVillage(deps.reader, villageId);
}

/**
 * How to reach the named people, and where each is registered (those that do not exist are
 * missing from the answer). Not an access-checked read: the caller checks each placement.
 */
export function contactsOfPeople(deps: Deps, personIds: readonly string[]): Promise<repo.PersonContact[]> {
  return repo.listContactsByIds(deps.reader, personIds);
}

/**
 * The names of the given people, for another module's records about them (a service application's
 * applicant). Not an access-checked read: the caller shows them only where it shows the record.
 */
export function namesOfPeople(deps: Deps, personIds: readonly string[]): Promise<Map<string, string>> {
  return repo.listNamesByIds(deps.reader, [...new Set(personIds)]);
}

/** How to reach everyone living in a household placed in or under these regions (a notice's audience). */
export function contactsInRegions(deps: Deps, regionIds: readonly string[]): Promise<repo.PersonContact[]> {
  return repo.listContactsInHouseholdsUnder(deps.reader, regionIds);
}

/** The oldest registered people of a village (the demo puts them in care). Not an access-checked read. */
export function oldestPeopleInVillage(deps: Deps, villageId: string, limit: number) {
  return repo.listOldestInVillage(deps.reader, villageId, limit);
}

/** A person registered under this name (the first, should there be several); the demo seeds find their applicants by it. Not access-checked. */
export function personNamed(deps: Deps, name: string) {
  return repo.findPersonByName(deps.reader, name);
}

/**
 * Where a person lives (their household's address) and the phone to call them on (their own, else
 * their household's). Not an access-checked read: the caller decides who may see it and audits it.
 */
export async function homeOfPerson(deps: Deps, personId: string): Promise<{ address: string | null; phone: string | null } | undefined> {
  const home = await repo.findHomeOf(deps.reader, personId);
  return home && { address: home.address, phone: home.phone ?? home.householdPhone };
}

/**
 * The households in or under the regions with a member born on or before the date (YYYY-MM-DD):
 * the birth date as recorded, else read from the ID card number (a notice to "households with an
 * elder" reaches every household with someone of that age). Not an access-checked read: ids only.
 */
export async function householdsWithMemberBornBy(deps: Deps, regionIds: readonly string[], latest: string): Promise<Set<string>> {
  const households = new Set<string>();
  for (const member of await repo.listMemberBirthsUnder(deps.reader, regionIds)) {
    if (households.has(member.householdId)) continue;
    const birthDate = member.birthDate ?? (member.idNumberEnc ? idNumberFacts(deps.vault.decrypt(member.idNumberEnc)).birthDate : null);
    if (birthDate !== null && birthDate <= latest) households.add(member.householdId);
  }
  return households;
}
