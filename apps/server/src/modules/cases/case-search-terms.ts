// What the desk's search box was given. A full phone number (an 11-digit mobile, with or without
// +86, or a landline with its area code; spaces, dashes and brackets ignored) looks for the
// reporter's phone only, through an index; anything else looks for words of the title or the
// description, the case number, or the start of the reporter's name.

/** The reporter's phone as the index holds it: the number as typed without spaces, -, (, ) or +. */
export type PhoneTerms = { digits: string; forms: string[] };

const PHONE_SHAPED = /^[+]?[0-9 ()-]+$/;
const MOBILE = /^(?:86)?(1[3-9]\d{9})$/;
const LANDLINE = /^0\d{9,11}$/;

/**
 * The forms of a phone number to look up, or undefined when `q` is not a full phone number. A
 * mobile is looked up with and without 86; a landline with its area code and, in case the caller
 * gave it without one, without it (010 and 02x are three digits, other area codes four).
 */
export function phoneTerms(q: string): PhoneTerms | undefined {
  const typed = q.trim();
  if (!PHONE_SHAPED.test(typed)) return undefined;
  const digits = typed.replace(/\D/g, '');
  const mobile = MOBILE.exec(digits)?.[1];
  if (mobile) return { digits: mobile, forms: [mobile, `86${mobile}`] };
  if (LANDLINE.test(digits)) {
    const local = digits.slice(/^0[12]/.test(digits) ? 3 : 4);
    return { digits, forms: local.length >= 7 && local.length <= 8 ? [digits, local] : [digits] };
  }
  return undefined;
}
