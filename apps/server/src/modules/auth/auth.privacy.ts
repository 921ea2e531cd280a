// What the auth module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';

export const authPrivacy: PrivacyDeclaration = {
  module: 'auth',
  activities: [
    {
      name: '登录与会话 / Sign-in and sessions',
      dataCategories: ['phone', 'IP address', 'second-factor secret (encrypted)'],
      subjects: 'users',
      purpose: 'authenticate users and protect accounts',
      legalBasis: 'contract',
      sensitive: false,
      retention: 'sessions until expiry; login attempts for the lockout window',
      recipients: ['security administrator'],
    },
  ],
};
