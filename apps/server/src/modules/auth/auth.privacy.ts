// What the auth module processes about people, for the record of processing (privacy-declarations.ts).
import { accountsOfPerson } from '../org/users.service.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import { deleteUserSessions } from './auth.repository.ts';
import { deleteCredential } from './credentials.repository.ts';
import { deleteRequestsOfUser } from './sms-login.repository.ts';

export const authPrivacy: PrivacyDeclaration = {
  module: 'auth',
  activities: [
    {
      name: '登录与会话 / Sign-in and sessions',
      dataCategories: ['phone', 'IP address', 'browser User-Agent', 'how each session signed in', 'second-factor secret (encrypted)'],
      subjects: 'users',
      purpose: 'authenticate users and protect accounts',
      legalBasis: 'contract',
      sensitive: false,
      retention: 'sessions until expiry; login attempts for the lockout window; requests for sign-in codes by text for 24 hours',
      recipients: ['security administrator'],
    },
  ],
  // An erased person's accounts sign in no more (org disables them): their sessions and passwords
  // end with the erasure; the cached sessions are forgotten after it commits (org
  // personal-data.service forgetSessionsOf).
  erasePerson: async (trx, person) => {
    for (const userId of await accountsOfPerson(trx, person.id)) {
      await deleteUserSessions(trx, userId);
      await deleteCredential(trx, userId);
      await deleteRequestsOfUser(trx, userId);
    }
  },
};
