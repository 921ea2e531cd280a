// What the privacy module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from './privacy-declaration.ts';

export const privacyPrivacy: PrivacyDeclaration = {
  module: 'privacy',
  activities: [
    {
      name: '同意与个人信息权利 / Consents and data subject requests',
      dataCategories: ['consents and withdrawals', 'guardian for a child under 14', 'requests and answers'],
      subjects: 'residents and guardians',
      purpose: 'prove consent and answer requests (PIPL arts. 14-15, 31, 44-47)',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'kept as proof; not erased on deletion',
      recipients: ['county admin', 'township official'],
    },
  ],
};
