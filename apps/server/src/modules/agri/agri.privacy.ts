// What the agri module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './agri.privacy.repository.ts';

export const agriPrivacy: PrivacyDeclaration = {
  module: 'agri',
  activities: [
    {
      name: '农户生产档案与农技服务 / Farm records and extension advice',
      dataCategories: ['plots and flocks', 'observations and photos', 'yields and sales', 'questions to the extension worker'],
      subjects: 'households farming in the county',
      purpose: 'keep the household’s farm record, send the advice that concerns it and answer its questions',
      legalBasis: 'publicInterest',
      sensitive: false,
      retention: 'kept while the household farms; figures are aggregated without households',
      recipients: ['extension worker', 'village cadre', 'township official'],
    },
  ],
  exportPerson: async (deps, person) => (person.householdId ? repo.farmDataOfHousehold(deps.reader, person.householdId) : {}),
};
