// What the dashboard (wall screen) module processes about people, for the record of processing
// (privacy-declarations.ts). Its own table, screen_keys, holds the ids of the staff who issued and
// revoked each key; the screen itself shows figures and, in the civility ranking, masked household
// heads' names (张*) of those who consented to public display, which the points module declares
// and withdraws. Nothing here is about a resident as such: there is nothing to export or erase.
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';

export const dashboardPrivacy: PrivacyDeclaration = {
  module: 'dashboard',
  activities: [
    {
      name: '大屏密钥管理 / Wall screen keys',
      dataCategories: ['issuing and revoking staff user ids', 'key name and place', 'time of issue, last use and revocation'],
      subjects: 'staff who manage wall screens',
      purpose: 'know who put a screen up and who stopped it, and which wall read what (audit log)',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'while the key is listed; its issue, revocation and reads stay in the audit log for its retention',
      recipients: ['village cadre', 'township and county office'],
    },
    {
      name: '大屏公开展示 / Wall screen display',
      dataCategories: ["masked household head's name (first character only) in the civility ranking", 'points earned'],
      subjects: 'households of the village who consented to public display',
      purpose: 'show the place its own figures and encourage good conduct in public',
      legalBasis: 'consent',
      consentPurpose: 'publicDisplay',
      sensitive: false,
      retention: 'computed on request and kept in memory until the data changes; withdrawal removes the name at once',
      recipients: ['the public in front of the screen'],
    },
  ],
};
