// The second-factor words in English (loaded only when English is chosen).
import type { totpZh } from './i18n.ts';

export const totpEn: typeof totpZh = {
  totp: {
    codeTitle: 'Two-step verification',
    codeHint: 'Open the authenticator app on your phone and enter the 6-digit code it shows',
    code: '6-digit code',
    codeRequired: 'Enter the 6-digit code',
    useRecoveryCode: 'Phone not at hand? Use a recovery code',
    useAppCode: "Use the authenticator app's code",
    recoveryCode: 'Recovery code',
    recoveryCodeRequired: 'Enter a recovery code',
    recoveryHint: 'Each recovery code works once',
    verify: 'Verify and log in',
    restart: 'Enter the phone number and password again',
    enrolTitle: 'Set up an authenticator app',
    enrolWhy: "To protect villagers' information, staff log in with a code from an authenticator app as well as the password.",
    enrolStep1:
      '1. Install an authenticator app on your phone (e.g. Microsoft Authenticator, Google Authenticator, FreeOTP) and scan this QR code',
    enrolQrAlt: 'QR code to set up the authenticator app',
    enrolManual: 'If you cannot scan it, choose "enter a setup key" in the app and type:',
    enrolStep2: '2. Enter the 6-digit code the app shows',
    confirm: 'Confirm',
    recoveryTitle: 'Save your recovery codes',
    recoveryWhy:
      'If your phone is lost or replaced, log in with a recovery code; each works once. They are shown only this once: write them down or print them and keep them safe.',
    saved: 'I have saved these recovery codes',
    continue: 'Continue',
    loading: 'Preparing…',
    alreadyOn: 'Two-step sign-in is on',
    alreadyOnHint: 'Logins ask for a code from your authenticator app as well as the password.',
    home: 'Back to the home page',
  },
};
