// What the audit module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';

export const auditPrivacy: PrivacyDeclaration = {
  module: 'audit',
  activities: [
    {
      name: '审计日志 / Audit log',
      dataCategories: ['who did what, when, from which IP'],
      subjects: 'users and the people their actions concern',
      purpose: 'security and accountability (GB/T 22239; PIPL art. 51)',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'AUDIT_RETENTION_DAYS (at least 180 days); append-only, never erased',
      recipients: ['audit administrator'],
    },
  ],
};
