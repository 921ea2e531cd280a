// Text for the public with the people taken out: phone numbers, ID card numbers, e-mail addresses
// and the names we know of are replaced, so that a report on the exposure board says what is wrong,
// not who said it. A number is found by its digits, however they are spaced: a sender who writes
// "1 3 9 3333 4444" or "１３９…" to get a phone number past the board must not succeed.

/** Full-width digits (U+FF10-FF19) read as the digits they are. */
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
const halfWidth = (text: string) => text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

const EMAIL = /[A-Za-z0-9._%+-]+\s*[@\uFF20]\s*[A-Za-z0-9-]+(?:[.\uFF0E][A-Za-z0-9-]+)*[.\uFF0E][A-Za-z]{2,}/g;

/**
 * Seven or more digits in a run, with at most three of these between any two of them: spaces (any
 * width), dashes, dots, middle dots, underscores. Seven digits is the shortest local landline; a
 * count, a group or a house number is shorter. An ID card's final X belongs to the run.
 */
const SEPARATOR = '[\\s\\-.\\u00B7_\\u2010-\\u2015\\uFF0D\\uFF0E]{0,3}';
const DIGIT_RUN = new RegExp(`(?<!\\d)\\d(?:${SEPARATOR}\\d){6,}(?:${SEPARATOR}[Xx](?![A-Za-z]))?`, 'g');
/** A date written with dashes or dots (2026-11-30, 2026.1.5) at the start of a run is not a number to hide. */
const DATE = /^(?:19|20)\d{2}([-.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)/;

function hideNumber(digits: string): string {
  if (digits.length === 15 || digits.length === 18) return '[证件号已隐去]';
  return digits.length <= 12 ? '[电话已隐去]' : '[号码已隐去]';
}

/**
 * A run of digits hidden, save a date at its start. What follows the date is kept only when it is
 * short (a time's hour) or long enough to be hidden on its own: five or six digits after a date
 * could be the rest of a phone number written to look like one ("1993-3-3 3-3-4-4-4-4").
 */
function hideRun(run: string): string {
  const date = DATE.exec(run);
  const digits = run.replace(/[^\dXx]/g, '');
  if (!date) return hideNumber(digits);
  const rest = run.slice(date[0].length);
  const restDigits = rest.replace(/[^\dXx]/g, '').length;
  if (restDigits > 4 && restDigits < 7) return hideNumber(digits);
  return date[0] + rest.replace(DIGIT_RUN, hideRun);
}

/** "张三丰" becomes "张某某": the family name stays, as a notice board would write it. */
const maskName = (name: string) => `${name.slice(0, 1)}${'某'.repeat(Math.max(1, name.length - 1))}`;

export function redactPersonalData(text: string, names: readonly string[] = []): string {
  let result = halfWidth(text).replace(EMAIL, '[邮箱已隐去]').replace(DIGIT_RUN, hideRun);
  // Longest names first, so that "张三丰" is not left as "张某丰" by "张三".
  const distinct = [...new Set(names.filter((n) => n.trim().length >= 2))].sort((a, b) => b.length - a.length);
  for (const name of distinct) result = result.replaceAll(name, maskName(name));
  return result;
}
