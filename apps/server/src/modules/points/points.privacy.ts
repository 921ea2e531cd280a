// The points bank keeps households' accounts and an append-only ledger (accounting records: never
// edited, not even on deletion); the public ranking names a household only with consent.
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './points.privacy.repository.ts';

export const pointsPrivacy: PrivacyDeclaration = {
  module: 'points',
  activities: [
    {
      name: '积分银行账户与台账 / Points accounts and ledger',
      dataCategories: ['household points balance', 'ledger entries (conduct, redemptions)', 'claim photos'],
      subjects: 'households of the village',
      purpose: 'the village points bank (积分银行) under the village rules',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'ledger kept as accounting records; never edited',
      recipients: ['points keeper', 'village cadre'],
    },
    {
      name: '积分排行公开展示 / Public points ranking',
      dataCategories: ["household head's name", 'points earned'],
      subjects: 'households of the village',
      purpose: 'public ranking that encourages good conduct',
      legalBasis: 'consent',
      consentPurpose: 'publicDisplay',
      sensitive: false,
      retention: 'shown while consent stands; masked at once on withdrawal',
      recipients: ['the public of the village'],
    },
  ],
  exportPerson: async (deps, person) => (person.householdId ? repo.householdPoints(deps.reader, person.householdId) : null),
  onWithdraw: {
    publicDisplay: async (trx, person) => {
      if (person.householdId) await repo.hideHouseholdName(trx, person.householdId);
    },
  },
};
