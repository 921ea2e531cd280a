// What the notices module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './notices.privacy.repository.ts';

export const noticesPrivacy: PrivacyDeclaration = {
  module: 'notices',
  activities: [
    {
      name: '通知推送与回执 / Notices and read receipts',
      dataCategories: ['recipient', 'read time'],
      subjects: 'residents chosen as an audience',
      purpose: 'deliver government information and know who read it',
      legalBasis: 'publicInterest',
      sensitive: false,
      retention: 'receipts kept with the notice',
      recipients: ['village cadre', 'township official'],
    },
  ],
  exportPerson: async (deps, person) => ({ receipts: await repo.receiptsOf(deps.reader, person.id) }),
};
