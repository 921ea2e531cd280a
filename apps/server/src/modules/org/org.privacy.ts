// What org keeps about people (the base record every module points at), its export and erasure.
import { idNumberFacts } from '@cunzhi/contracts/id-number';
import type { Deps } from '../../platform/deps.ts';
import { sessionCache } from '../../platform/session-cache.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './org.privacy.repository.ts';

/** The person's birth date: as recorded, else read from the ID card number (GB 11643 positions 7-14). */
export async function birthDateOf(deps: Deps, personId: string): Promise<string | null> {
  const row = await repo.personRow(deps.reader, personId);
  if (!row) return null;
  if (row.birth_date) return row.birth_date;
  return row.id_number_enc ? idNumberFacts(deps.vault.decrypt(row.id_number_enc)).birthDate : null;
}

/** After an erasure commits: the person's accounts' cached sessions end on this node at once. */
export async function forgetSessionsOf(deps: Deps, personId: string): Promise<void> {
  for (const user of await repo.usersOfPerson(deps.db, personId)) sessionCache.forgetUser(user.id);
}

/** The people of a household, and the person an account belongs to: whose consent a household or a report rests on. */
export const householdMemberIds = (deps: Deps, householdId: string) => repo.memberIdsOf(deps.reader, householdId);
export const personOfUser = (deps: Deps, userId: string) => repo.personOfUser(deps.reader, userId);

export const orgPrivacy: PrivacyDeclaration = {
  module: 'org',
  activities: [
    {
      name: '户籍与人员登记 / Register of households and people',
      dataCategories: ['name', 'gender', 'birth date', 'relation', 'phone', 'ID card number (encrypted, shown masked)', 'address'],
      subjects: 'residents of the county',
      purpose: 'village self-governance and the services built on the register',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'while the person lives in the county; anonymised on an accepted deletion request',
      recipients: ['village cadre', 'township official', 'county admin', 'service-hall agent (full ID number, audited)'],
    },
    {
      name: '账号 / User accounts',
      dataCategories: ['phone', 'display name', 'password hash'],
      subjects: 'users of the platform',
      purpose: 'sign-in and access control',
      legalBasis: 'contract',
      sensitive: false,
      retention: 'while the account is in use; disabled and anonymised on deletion',
      recipients: ['security administrator'],
    },
  ],
  exportPerson: async (deps, person) => {
    const row = await repo.personRow(deps.reader, person.id);
    if (!row) return null;
    const users = await repo.usersOfPerson(deps.reader, person.id);
    return {
      person: {
        name: row.name,
        gender: row.gender,
        birthDate: row.birth_date,
        relation: row.relation,
        phone: row.phone,
        idNumberMasked: row.id_number_masked,
        householdId: row.household_id,
        regionId: row.region_id,
      },
      accounts: users.map((u) => ({ id: u.id, phone: u.phone, displayName: u.display_name })),
    };
  },
  erasePerson: (trx, person, now) => repo.anonymisePerson(trx, person.id, now),
};
