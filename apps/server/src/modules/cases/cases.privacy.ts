// Cases hold what villagers report and about whom; an open case keeps its reporter (the law's duty
// to answer), and the exposure board shows a report only while its reporter consents.
import { accountsOfPerson } from '../org/users.service.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './cases.privacy.repository.ts';

export const casesPrivacy: PrivacyDeclaration = {
  module: 'cases',
  activities: [
    {
      name: '诉求与事项办理 / Reports and their handling',
      dataCategories: ['reporter name and phone', 'location', 'photos', 'description'],
      subjects: 'villagers who report; people named in reports',
      purpose: 'handle the matter and answer the reporter (民事直说, 酉诉即办)',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'case file kept after closing; reporter contact removed on an accepted deletion request',
      recipients: ['grid worker', 'department handler', 'appeals agent', 'township and county supervisors'],
    },
    {
      name: '曝光台 / Exposure board',
      dataCategories: ['moderated title and text', 'photos'],
      subjects: 'reporters',
      purpose: 'public supervision of village affairs',
      legalBasis: 'consent',
      consentPurpose: 'publicDisplay',
      sensitive: false,
      retention: 'shown while consent stands; taken down at once on withdrawal',
      recipients: ['the public'],
    },
  ],
  exportPerson: async (deps, person) => ({
    reported: await repo.casesReportedBy(deps.reader, await accountsOfPerson(deps.reader, person.id)),
  }),
  retentionHolds: async (deps, person) =>
    (await repo.openCasesReportedBy(deps.reader, await accountsOfPerson(deps.reader, person.id))).map((number) => `open case ${number}`),
  erasePerson: async (trx, person) => repo.forgetReporter(trx, await accountsOfPerson(trx, person.id)),
  onWithdraw: {
    publicDisplay: async (trx, person, now) => repo.unpublishReportsOf(trx, await accountsOfPerson(trx, person.id), now),
  },
};
