// How often a text code may be asked for, as a pure rule over the requests already let through.
//
// The limits are keyed so that a stranger cannot use them against the number's owner, nor one
// abuser against a whole township behind one carrier address (issue 15, the attacker's review):
// - one code a minute per number, from anywhere: texts cannot be fired at a phone. A stranger who
//   asks every minute only sends the owner codes, all of which work (codes do not end each other);
// - five an hour and ten a day per number from one address: one address cannot use up a number;
// - forty a day per number from all addresses: the cost ceiling, which a stranger reaches only
//   from four or more addresses asking all day;
// - a hundred an hour from one address across numbers: a township's villagers on one carrier
//   address fit under it (a morning's busiest hour is a few dozen), one script is stopped.

export const SMS_RESEND_SECONDS = 60;
export const SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_HOUR = 5;
export const SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_DAY = 10;
export const SMS_CODES_PER_NUMBER_PER_DAY = 40;
export const SMS_REQUESTS_PER_ADDRESS_PER_HOUR = 100;

export const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;

/** The requests let through lately: the number's in the last day (with their addresses), and the address's in the last hour. */
export type RecentRequests = {
  ofNumber: { at: number; ip: string }[];
  ofAddress: { count: number; oldest: number | null };
};

export type SmsRefusal =
  | { reason: 'too_soon'; seconds: number }
  | { reason: 'number_address_limit' | 'number_limit' | 'address_limit'; minutes: number };

const minutesUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 60_000));

/** Why a request for a code is refused now, or undefined when it may go. */
export function smsRequestRefusal(recent: RecentRequests, ip: string, now: number): SmsRefusal | undefined {
  const ofNumber = recent.ofNumber.filter((request) => request.at > now - DAY_MS).sort((a, b) => a.at - b.at);
  const newest = ofNumber.at(-1)?.at;
  if (newest !== undefined && now - newest < SMS_RESEND_SECONDS * 1000) {
    return { reason: 'too_soon', seconds: Math.ceil((newest + SMS_RESEND_SECONDS * 1000 - now) / 1000) };
  }
  const here = ofNumber.filter((request) => request.ip === ip);
  const hereThisHour = here.filter((request) => request.at > now - HOUR_MS);
  if (hereThisHour.length >= SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_HOUR) {
    const freed = hereThisHour[hereThisHour.length - SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_HOUR] as { at: number };
    return { reason: 'number_address_limit', minutes: minutesUntil(freed.at + HOUR_MS, now) };
  }
  if (here.length >= SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_DAY) {
    const freed = here[here.length - SMS_CODES_PER_NUMBER_AND_ADDRESS_PER_DAY] as { at: number };
    return { reason: 'number_address_limit', minutes: minutesUntil(freed.at + DAY_MS, now) };
  }
  if (ofNumber.length >= SMS_CODES_PER_NUMBER_PER_DAY) {
    const freed = ofNumber[ofNumber.length - SMS_CODES_PER_NUMBER_PER_DAY] as { at: number };
    return { reason: 'number_limit', minutes: minutesUntil(freed.at + DAY_MS, now) };
  }
  if (recent.ofAddress.count >= SMS_REQUESTS_PER_ADDRESS_PER_HOUR) {
    return { reason: 'address_limit', minutes: minutesUntil((recent.ofAddress.oldest ?? now) + HOUR_MS, now) };
  }
  return undefined;
}
