// What the poverty module processes about households, for the record of processing
// (privacy-declarations.ts): their economics and the monitoring that follows from them.
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './poverty.privacy.repository.ts';

export const povertyPrivacy: PrivacyDeclaration = {
  module: 'poverty',
  activities: [
    {
      name: '防返贫动态监测 / Return-to-poverty monitoring',
      dataCategories: [
        'household members and labour',
        'income by source',
        'large expenses (illness, schooling, disaster)',
        'basic assurances',
        'help measures',
        'visit notes',
      ],
      subjects: 'rural households',
      purpose: 'find households at risk of (returning to) poverty early, identify them, plan help and follow it until the risk is removed',
      legalBasis: 'statutoryDuty',
      // A member's serious illness is health data (PIPL art. 28).
      sensitive: true,
      retention: 'as the rural revitalisation archives rules require',
      recipients: ['grid worker', 'village committee', 'township and county rural revitalisation office'],
    },
  ],
  exportPerson: async (deps, person) =>
    person.householdId ? repo.householdFile(deps.reader, person.householdId) : { economics: [], monitoring: [] },
};
