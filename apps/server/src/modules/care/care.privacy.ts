// What care processes about elders (PIPL arts. 28-29: health data is sensitive and needs separate
// consent) and how a withdrawal stops it: readings are refused at once (care.service ingest), the
// family links end at once, and the stored readings are purged after the grace period.
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './care.privacy.repository.ts';

/** Days between a withdrawal of health-data consent and the purge of the stored readings. */
export const WITHDRAWN_READINGS_GRACE_DAYS = 30;

export const carePrivacy: PrivacyDeclaration = {
  module: 'care',
  activities: [
    {
      name: '空巢老人健康监测 / Health monitoring of elders living alone',
      dataCategories: ['vital signs (heart rate, blood pressure, SpO2)', 'falls, SOS, activity', 'conditions', 'emergency contacts'],
      subjects: 'elders under care',
      purpose: 'raise alarms and send help; caretaker rounds',
      legalBasis: 'consent',
      consentPurpose: 'healthData',
      sensitive: true,
      retention:
        'raw readings for the configured window (READINGS_RETENTION_DAYS), roll-ups kept; purged 30 days after consent is withdrawn',
      recipients: ['township health centre doctor', 'caretaker', 'village cadre', 'grid worker'],
    },
    {
      name: '家属查看 / Family access to an elder',
      dataCategories: ['readings', 'alarms'],
      subjects: 'elders and the family members linked to them',
      purpose: 'let family far away see alarms and readings',
      legalBasis: 'consent',
      consentPurpose: 'familyAccess',
      sensitive: true,
      retention: 'while the link stands; ends at once on withdrawal',
      recipients: ['linked family members'],
    },
    {
      name: '亲情通话与远程看家 / Family calls and a look at home',
      dataCategories: ['call history (who, when, answered or missed)', 'live video and voice (not stored)', 'look-at-home consent'],
      subjects: 'elders and the family members and caretakers who call them',
      purpose: 'let family far away call the elder and, with the standing consent, look at home',
      legalBasis: 'consent',
      consentPurpose: 'familyAccess',
      sensitive: true,
      retention: 'call records while the elder is in care; media is never stored; a look ends at once when consent is withdrawn',
      recipients: ['linked family members', 'caretaker'],
    },
  ],
  exportPerson: (deps, person) => repo.careDataOf(deps.reader, person.id),
  erasePerson: async (trx, person, now) => {
    await repo.deleteHealthData(trx, [person.id]);
    await repo.endFamilyReminders(trx, person.id);
    await repo.endFamilyLinks(trx, person.id);
    await repo.blankElder(trx, person.id, now);
    await repo.eraseCallData(trx, person.id, now);
  },
  onWithdraw: {
    familyAccess: async (trx, person) => {
      // Ends at once: what the family queued for the speaker is not played either.
      await repo.endFamilyReminders(trx, person.id);
      await repo.endFamilyLinks(trx, person.id);
      await repo.endLookConsent(trx, person.id);
    },
  },
  afterWithdrawal: {
    healthData: { graceDays: WITHDRAWN_READINGS_GRACE_DAYS, purge: repo.deleteHealthData },
  },
};
