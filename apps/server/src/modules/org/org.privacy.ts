// What org keeps about people (the base record every module points at), its export and erasure.
import { maskIdNumber } from '@cunzhi/contracts/id-number';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './org.privacy.repository.ts';

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
        idNumberMasked: row.id_number_masked === null ? null : maskIdNumber(row.id_number_masked),
        householdId: row.household_id,
        regionId: row.region_id,
      },
      accounts: users.map((u) => ({ id: u.id, phone: u.phone, displayName: u.display_name })),
    };
  },
  erasePerson: (trx, person, now) => repo.anonymisePerson(trx, person.id, now),
};
