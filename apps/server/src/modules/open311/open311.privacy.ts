// What the open311 module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';

export const open311Privacy: PrivacyDeclaration = {
  module: 'open311',
  activities: [
    {
      name: 'Open311 接口 / Open311 GeoReport v2 interface',
      dataCategories: ['reports sent through partner apps (stored by cases)'],
      subjects: 'reporters using partner apps',
      purpose: 'take reports from partner apps into cases',
      legalBasis: 'statutoryDuty',
      sensitive: false,
      retention: 'stores nothing itself: see cases',
      recipients: ['partner apps holding an Open311 key (public fields only)'],
    },
  ],
};
