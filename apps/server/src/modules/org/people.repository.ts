import { maskIdNumber } from '@cunzhi/contracts/id-number';
import type { Kysely } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { containsText, startsWithText } from '../../db/like.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB } from '../../db/schema.ts';
import { inScope, placementColumn } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { RegionRecord } from './regions.repository.ts';

export type PersonRecord = {
  id: string;
  householdId: string | null;
  name: string;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  relation: string | null;
  phone: string | null;
  idNumberMasked: string | null;
  regionName: string;
  placement: Placement;
  createdAt: number;
  updatedAt: number;
};

export type PersonFilter = {
  scope: Scope;
  region?: RegionRecord;
  householdId?: string;
  name?: string;
  phone?: string;
  idNumberHash?: string;
  after?: [string, string];
  limit: number;
};

function selectPeople(db: Kysely<DB>) {
  return db
    .selectFrom('people as p')
    .innerJoin('regions as r', 'r.id', 'p.region_id')
    .select([
      'p.id',
      'p.household_id',
      'p.name',
      'p.gender',
      'p.birth_date',
      'p.relation',
      'p.phone',
      'p.id_number_masked',
      'p.region_id',
      'p.village_id',
      'p.township_id',
      'p.county_id',
      'p.created_at',
      'p.updated_at',
      'r.name as region_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectPeople>['executeTakeFirstOrThrow']>>;

const toPerson = (row: Row): PersonRecord => ({
  id: row.id,
  householdId: row.household_id,
  name: row.name,
  gender: row.gender,
  birthDate: row.birth_date,
  relation: row.relation,
  phone: row.phone,
  // Masks stored before the recheck show the region and the last four: masked again on reading.
  idNumberMasked: row.id_number_masked === null ? null : maskIdNumber(row.id_number_masked),
  regionName: row.region_name,
  placement: placementOf(row, row.household_id),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function listPeople(db: Kysely<DB>, filter: PersonFilter): Promise<PersonRecord[]> {
  let query = selectPeople(db).where(inScope(filter.scope, { table: 'p', householdColumn: 'household_id' }));
  if (filter.region) query = query.where(`p.${placementColumn(filter.region)}`, '=', filter.region.id);
  if (filter.householdId) query = query.where('p.household_id', '=', filter.householdId);
  if (filter.name) query = query.where(containsText('p.name', filter.name));
  if (filter.phone) query = query.where(startsWithText('p.phone', filter.phone));
  if (filter.idNumberHash) query = query.where('p.id_number_hash', '=', filter.idNumberHash);
  const rows = await keysetPage(
    query,
    [
      ['p.name', 'asc'],
      ['p.id', 'asc'],
    ],
    filter.after,
    filter.limit,
  ).execute();
  return rows.map(toPerson);
}

export async function findPerson(db: Kysely<DB>, id: string): Promise<PersonRecord | undefined> {
  const row = await selectPeople(db).where('p.id', '=', id).executeTakeFirst();
  return row && toPerson(row);
}

/** The person as just written, with the names the record joins in; for the answer to a write. */
export async function readPerson(db: Kysely<DB>, id: string): Promise<PersonRecord> {
  return toPerson(await selectPeople(db).where('p.id', '=', id).executeTakeFirstOrThrow());
}

export async function findSealedIdNumber(db: Kysely<DB>, id: string): Promise<string | null> {
  const row = await db.selectFrom('people').select('id_number_enc').where('id', '=', id).executeTakeFirst();
  return row?.id_number_enc ?? null;
}

export type PersonWrite = {
  householdId: string | null;
  name: string;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  relation: string | null;
  phone: string | null;
  /** undefined leaves the stored number as it is; null removes it. */
  idNumber?: { sealed: string; hash: string; masked: string } | null;
  placement: Placement;
};

function columnsOf(values: PersonWrite) {
  return {
    household_id: values.householdId,
    name: values.name,
    gender: values.gender,
    birth_date: values.birthDate,
    relation: values.relation,
    phone: values.phone,
    ...placedColumns(values.placement),
    ...(values.idNumber !== undefined && {
      id_number_enc: values.idNumber?.sealed ?? null,
      id_number_hash: values.idNumber?.hash ?? null,
      id_number_masked: values.idNumber?.masked ?? null,
    }),
  };
}

export async function insertPerson(db: Kysely<DB>, id: string, values: PersonWrite, now: number): Promise<void> {
  await db
    .insertInto('people')
    .values({
      id,
      id_number_enc: null,
      id_number_hash: null,
      id_number_masked: null,
      ...columnsOf(values),
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updatePerson(db: Kysely<DB>, id: string, values: PersonWrite, now: number): Promise<void> {
  await db
    .updateTable('people')
    .set({ ...columnsOf(values), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function movePeopleOfHousehold(db: Kysely<DB>, householdId: string, placement: Placement, now: number): Promise<void> {
  await db
    .updateTable('people')
    .set({
      ...placedColumns(placement),
      updated_at: now,
    })
    .where('household_id', '=', householdId)
    .execute();
}

export async function deletePerson(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('people').where('id', '=', id).execute();
}

export async function isPersonLinkedToUser(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('person_id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** How to reach a person (their account, their phone) and where they are registered. */
export type PersonContact = {
  personId: string;
  householdId: string | null;
  userId: string | null;
  phone: string | null;
  placement: Placement;
};

function selectContacts(db: Kysely<DB>) {
  return db
    .selectFrom('people as p')
    .leftJoin('users as u', 'u.person_id', 'p.id')
    .select(['p.id', 'p.household_id', 'p.phone', 'p.region_id', 'p.village_id', 'p.township_id', 'p.county_id', 'u.id as user_id']);
}

type ContactRow = Awaited<ReturnType<ReturnType<typeof selectContacts>['executeTakeFirstOrThrow']>>;

const toContact = (row: ContactRow): PersonContact => ({
  personId: row.id,
  householdId: row.household_id,
  userId: row.user_id,
  phone: row.phone,
  placement: placementOf(row),
});

/** Names by id; those that do not exist are missing from the answer. */
export async function listNamesByIds(db: Kysely<DB>, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', personIds).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function listContactsByIds(db: Kysely<DB>, personIds: readonly string[]): Promise<PersonContact[]> {
  if (personIds.length === 0) return [];
  return (await selectContacts(db).where('p.id', 'in', personIds).execute()).map(toContact);
}

/** The members of the households placed in or under any of the regions (a household sits in a villager group). */
export async function listContactsInHouseholdsUnder(db: Kysely<DB>, regionIds: readonly string[]): Promise<PersonContact[]> {
  if (regionIds.length === 0) return [];
  const rows = await selectContacts(db)
    .innerJoin('households as h', 'h.id', 'p.household_id')
    .where((eb) =>
      eb.or([
        eb('h.region_id', 'in', regionIds),
        eb('h.village_id', 'in', regionIds),
        eb('h.township_id', 'in', regionIds),
        eb('h.county_id', 'in', regionIds),
      ]),
    )
    .execute();
  return rows.map(toContact);
}

export async function listNamesInVillage(db: Kysely<DB>, villageId: string): Promise<string[]> {
  const rows = await db.selectFrom('people').select('name').where('village_id', '=', villageId).execute();
  return rows.map((r) => r.name);
}

/** The oldest people with a known birth date registered in a village, oldest first. */
export async function listOldestInVillage(
  db: Kysely<DB>,
  villageId: string,
  limit: number,
): Promise<Pick<PersonRecord, 'id' | 'name' | 'householdId' | 'placement'>[]> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'household_id', 'region_id', 'village_id', 'township_id', 'county_id', 'name'])
    .where('village_id', '=', villageId)
    .where('birth_date', 'is not', null)
    .orderBy('birth_date')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, householdId: r.household_id, placement: placementOf(r) }));
}

export async function findPersonByName(
  db: Kysely<DB>,
  name: string,
): Promise<Pick<PersonRecord, 'id' | 'householdId' | 'placement'> | undefined> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'household_id', 'region_id', 'village_id', 'township_id', 'county_id'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row && { id: row.id, householdId: row.household_id, placement: placementOf(row) };
}

/** Where a person lives and how to call them: their own phone and their household's, and its address. */
export async function findHomeOf(
  db: Kysely<DB>,
  personId: string,
): Promise<{ phone: string | null; householdPhone: string | null; address: string | null } | undefined> {
  return db
    .selectFrom('people as p')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.phone as phone', 'h.phone as householdPhone', 'h.address as address'])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** The members of households in or under the regions, with what tells their age: the recorded birth date, else the sealed ID number. */
export async function listMemberBirthsUnder(
  db: Kysely<DB>,
  regionIds: readonly string[],
): Promise<{ householdId: string; birthDate: string | null; idNumberEnc: string | null }[]> {
  if (regionIds.length === 0) return [];
  const rows = await db
    .selectFrom('people as p')
    .innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.household_id', 'p.birth_date', 'p.id_number_enc'])
    .where((eb) =>
      eb.or([
        eb('h.region_id', 'in', regionIds),
        eb('h.village_id', 'in', regionIds),
        eb('h.township_id', 'in', regionIds),
        eb('h.county_id', 'in', regionIds),
      ]),
    )
    .where((eb) => eb.or([eb('p.birth_date', 'is not', null), eb('p.id_number_enc', 'is not', null)]))
    .execute();
  return rows.map((r) => ({ householdId: r.household_id as string, birthDate: r.birth_date, idNumberEnc: r.id_number_enc }));
}

/** The blind indexes of every ID number kept: a demo village added later gives no number twice. */
export async function idNumberHashes(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('people').select('id_number_hash').where('id_number_hash', 'is not', null).execute();
  return new Set(rows.map((r) => r.id_number_hash as string));
}
