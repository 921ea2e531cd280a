// The strength every password must have: at least 8 characters, with letters and digits. The web
// pages say it before sending; the server checks it again (and refuses common passwords besides:
// apps/server/src/platform/passwords.ts).

export const meetsPasswordRule = (password: string): boolean => password.length >= 8 && /[A-Za-z]/.test(password) && /\d/.test(password);
