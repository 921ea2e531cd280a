// What the notifications module processes about people, for the record of processing (privacy-declarations.ts).
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';

export const notificationsPrivacy: PrivacyDeclaration = {
  module: 'notifications',
  activities: [
    {
      name: '站内消息与短信 / Inbox messages and texts',
      dataCategories: ['phone', 'message text'],
      subjects: 'users and family members',
      purpose: 'tell people about alarms, cases and notices',
      legalBasis: 'contract',
      sensitive: false,
      retention: 'kept in the inbox; texts kept as sent records',
      recipients: ['the SMS gateway'],
    },
  ],
};
