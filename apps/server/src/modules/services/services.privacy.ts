// What the services module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './services.privacy.repository.ts';

export const servicesPrivacy: PrivacyDeclaration = {
  module: 'services',
  activities: [
    {
      name: '政务服务办理 / Government service applications',
      dataCategories: ['applicant', 'materials', 'delivery address'],
      subjects: 'applicants',
      purpose: 'handle applications (马上办, 全程网办), proxy handling with recorded consent',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'as the department file rules require',
      recipients: ['department handler', 'service-hall agent', 'postal delivery'],
    },
  ],
  exportPerson: async (deps, person) => ({ applications: await repo.applicationsOf(deps.reader, person.id) }),
};
