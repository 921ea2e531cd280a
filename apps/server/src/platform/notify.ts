// The SMS gateway behind texts to people without an account. What is texted, and when, is the
// notifications module's business (modules/notifications/notifications.service.ts): it writes the
// texts and sends the waiting ones through the gateway held in Deps.

import { maskPhone } from './mask-phone.ts';

/** What a real SMS provider implements; the default writes to the log. */
export interface SmsGateway {
  send(phone: string, text: string): Promise<void>;
}

export function logSmsGateway(log: (line: Record<string, unknown>) => void): SmsGateway {
  return {
    async send(phone, text) {
      log({ sms: { to: maskPhone(phone), text } });
    },
  };
}
