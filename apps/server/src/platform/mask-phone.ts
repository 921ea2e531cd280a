/**
 * 138****0011: what the audit log and the SMS log keep of a phone number typed by someone not
 * signed in (the account, when there is one, is the entry's target). Enough to tell attempts on
 * one number apart, not enough to call it.
 */
export const maskPhone = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');
