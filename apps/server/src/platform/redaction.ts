// Text for the public with the people taken out: phone numbers, ID card numbers, e-mail addresses
// and the names we know of are replaced, so that a report on the exposure board says what is wrong,
// not who said it. A number is found by its digits, however they are spaced: a sender who writes
// "1 3 9 3333 4444" or "１３９…" to get a phone number past the board must not succeed.

/** Full-width digits (U+FF10-FF19) read as the digits they are. */
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
const halfWidth = (text: string) => text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/**
 * Chinese numerals read as digits, only to find numbers: "一三九一二三四五六七八" is a phone number
 * (幺 is how a 1 is read out in one). One character for one, so a place in the read text is the same
 * place in the text; only a run of seven or more is hidden, so 三组 or 幺妹 stay as written.
 */
const CHINESE_DIGIT = /[〇零幺一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]/g;
const CHINESE_VALUE: Readonly<Record<string, string>> = {
  〇: '0',
  零: '0',
  幺: '1',
  一: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  // The capital numerals of amounts and receipts, simplified and traditional: "壹叁玖…" is a number too.
  壹: '1',
  贰: '2',
  貳: '2',
  叁: '3',
  參: '3',
  肆: '4',
  伍: '5',
  陆: '6',
  陸: '6',
  柒: '7',
  捌: '8',
  玖: '9',
};
const asChineseDigits = (text: string) => text.replace(CHINESE_DIGIT, (c) => CHINESE_VALUE[c] ?? c);

/**
 * The zero of every run of decimal digits in Unicode (\p{Nd}: Arabic-Indic, Devanagari, the
 * mathematical bold and monospace digits, …), which always come ten in a row from 0 to 9.
 */
const DIGIT_ZEROS: readonly number[] = (() => {
  const decimal = /\p{Nd}/u;
  const zeros: number[] = [];
  for (let cp = 0x80; cp < 0x1fc00; cp++) {
    if (!decimal.test(String.fromCodePoint(cp))) continue;
    zeros.push(cp);
    cp += 9;
  }
  return zeros;
})();

/** Digits in other dress that no normal form maps: ❶…❾, ➀…➈, ➊…➒, ⓵…⓽ and the Suzhou numerals 〡…〩. */
const DIGIT_SERIES: readonly [number, number][] = [
  [0x2776, 1],
  [0x2780, 1],
  [0x278a, 1],
  [0x24f5, 1],
  [0x3021, 1],
];

/** The digit a character stands for, if it is one: in any script, circled, raised or in bold. */
function digitOf(character: string): string | undefined {
  const cp = character.codePointAt(0) as number;
  if (cp >= 0x30 && cp <= 0x39) return character;
  // Latin letters and signs, and the common Chinese characters, are none (most of any text: quickly).
  if (cp < 0x80 || (cp >= 0x4e00 && cp <= 0x9fff)) return undefined;
  for (const zero of DIGIT_ZEROS) if (cp >= zero && cp < zero + 10) return String(cp - zero);
  for (const [first, value] of DIGIT_SERIES) if (cp >= first && cp < first + 9) return String(cp - first + value);
  const normal = character.normalize('NFKC');
  if (/^[0-9]$/.test(normal)) return normal;
  if (/^[Xx]$/.test(normal)) return normal;
  return undefined;
}

/** Characters that show nothing, or only change the one before them: zero-width spaces, joiners,
 * variation selectors, combining marks, Hangul fillers, the blank braille cell. */
const INVISIBLE = /[\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;
/** What an invisible character reads as: one zero-width space per code unit, so places stay the same. */
const GAP = '\u200b';

/**
 * The text as the number finder reads it, place for place (one code unit for one): digits of any
 * dress as ASCII digits, Chinese numerals as digits, and invisible characters as zero-width spaces.
 */
function asDigits(text: string): string {
  let read = '';
  for (const character of asChineseDigits(text)) {
    const digit = digitOf(character);
    if (digit !== undefined) read += digit + GAP.repeat(character.length - 1);
    else if (INVISIBLE.test(character)) read += GAP.repeat(character.length);
    else read += character;
  }
  return read;
}

/** The text with its invisible characters as zero-width spaces, place for place (to find names in). */
function withGaps(text: string): string {
  let read = '';
  for (const character of text) read += INVISIBLE.test(character) ? GAP.repeat(character.length) : character;
  return read;
}

const EMAIL = /[A-Za-z0-9._%+-]+\s*[@\uFF20]\s*[A-Za-z0-9-]+(?:[.\uFF0E][A-Za-z0-9-]+)*[.\uFF0E][A-Za-z]{2,}/g;

/**
 * Seven or more digits in a run, with at most three of these between any two of them: spaces (any
 * width), any punctuation or symbol (dashes, dots and middle dots of every script, ‧, ・, ~,
 * brackets), invisible format characters (zero-width spaces), and among them the marks that also
 * separate the items of a list (commas of either width, 、 and slashes). Seven digits is the
 * shortest local landline; a count, a group or a house number is shorter. An ID card's final X
 * belongs to the run.
 */
const LIST_MARKS = ',\\uFF0C\\u3001/\\uFF0F';
const SEPARATOR = `(?:\\u200b*(?:\\s+|[\\p{P}\\p{S}${LIST_MARKS}])){0,4}\\u200b*`;
const DIGIT_RUN = new RegExp(`(?<!\\d)\\d(?:${SEPARATOR}\\d){6,}(?:${SEPARATOR}[Xx](?![A-Za-z]))?`, 'gu');
const HAS_LIST_MARK = new RegExp(`[${LIST_MARKS}]`);
/** The items of a listed run: what lies between list marks and spaces. */
const LIST_ITEM = new RegExp(`[^\\s${LIST_MARKS}]+`, 'g');
/** A date written with dashes or dots (2026-11-30, 2026.1.5) at the start of a run is not a number to hide. */
const DATE = /^(?:19|20)\d{2}([-.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)/;
/** Nor a time of day (08:00, 14:30:00), as in a time range ("08:00-12:00停水"), now that a colon may separate digits. */
const TIME = /^(?:[01]?\d|2[0-3])[:\uFF1A][0-5]\d(?:[:\uFF1A][0-5]\d)?(?!\d)/;
const TIME_INSIDE = /(?<![\d:\uFF1A])(?:[01]?\d|2[0-3])[:\uFF1A][0-5]\d(?:[:\uFF1A][0-5]\d)?(?!\d)/;
const TIMES = /(?<![\d:\uFF1A])(?:[01]?\d|2[0-3])[:\uFF1A][0-5]\d(?:[:\uFF1A][0-5]\d)?(?!\d)/g;

const digitsIn = (read: string) => read.replace(/[^\dXx]/g, '');

function hideNumber(digits: string): string {
  if (digits.length === 15 || digits.length === 18) return '[证件号已隐去]';
  return digits.length <= 12 ? '[电话已隐去]' : '[号码已隐去]';
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Each match of `pattern` in `read` (the text as digits, place for place) replaced by what `hide` makes of it. */
function replaceRuns(text: string, read: string, pattern: RegExp, hide: (text: string, read: string) => string): string {
  let result = '';
  let last = 0;
  for (const match of read.matchAll(pattern)) {
    // A character of two code units (𝟏) is hidden whole, never half of it left behind.
    let end = match.index + match[0].length;
    while (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
    result += text.slice(last, match.index) + hide(text.slice(match.index, end), read.slice(match.index, end));
    last = end;
  }
  return result + text.slice(last);
}

/**
 * A run of digits hidden, save a date or a time of day at its start. What follows it is kept only when it is
 * short (a time's hour) or long enough to be hidden on its own: five or six digits after a date
 * could be the rest of a phone number written to look like one ("1993-3-3 3-3-4-4-4-4").
 */
function hideRun(text: string, read: string): string {
  if (HAS_LIST_MARK.test(read)) return hideListed(text, read);
  const date = DATE.exec(read) ?? TIME.exec(read);
  const digits = digitsIn(read);
  if (!date) {
    // A time of day further in, after a numeral that is no digit in the text ("周六08:00", read as
    // 608:00), starts a run of its own; after a digit it does not ("13:91:23:45…" is a phone number).
    const time = TIME_INSIDE.exec(text);
    if (time && time.index > 0)
      return (
        replaceRuns(text.slice(0, time.index), read.slice(0, time.index), DIGIT_RUN, hideRun) +
        hideRun(text.slice(time.index), read.slice(time.index))
      );
    return hideNumber(digits);
  }
  const rest = read.slice(date[0].length);
  // Times of day after a date do not count as the rest of a number dressed as a date.
  const restDigits = digitsIn(rest.replace(TIMES, '')).length;
  if (restDigits > 4 && restDigits < 7) return hideNumber(digits);
  return text.slice(0, date[0].length) + replaceRuns(text.slice(date[0].length), rest, DIGIT_RUN, hideRun);
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE_WITH_AREA = /^0\d{9,11}$/;
const ID_NUMBER =
  /^\d{6}(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})$/;

type Item = { start: number; end: number; digits: string };

/**
 * Whether listed items, read together, are a phone or ID number written in pieces ("139，1234，5678",
 * "1、3、9、…") rather than a list (house numbers 3、5、7、9、11、13) or an amount (1,234,567): the
 * digits must have the shape of a mobile, a landline with its area code or an ID number (its birth
 * date a real month and day), written digit by digit or with a piece of three or more; or be a local
 * landline of 7-8 digits in pieces of three or more. Thousands (1-3 digits, then threes) are amounts.
 */
function isNumberInPieces(items: readonly Item[]): boolean {
  const lengths = items.map((item) => item.digits.length);
  if ((lengths[0] ?? 0) <= 3 && lengths.length > 1 && lengths.slice(1).every((n) => n === 3)) return false;
  const digits = items.map((item) => item.digits).join('');
  const shaped = MOBILE.test(digits) || LANDLINE_WITH_AREA.test(digits) || ID_NUMBER.test(digits);
  if (shaped && (lengths.some((n) => n >= 3) || lengths.every((n) => n === 1))) return true;
  return digits.length >= 7 && digits.length <= 8 && lengths.length > 1 && lengths.every((n) => n >= 3);
}

/**
 * A run with list marks in it: from each item on, the longest stretch of items that is a number in
 * pieces is hidden; an item that is none of one but long enough on its own is read as a run.
 */
function hideListed(text: string, read: string): string {
  const items: Item[] = [...read.matchAll(LIST_ITEM)]
    .map((m) => ({ start: m.index, end: m.index + m[0].length, digits: digitsIn(m[0]) }))
    .filter((item) => item.digits.length > 0);
  let result = '';
  let last = 0;
  for (let i = 0; i < items.length; ) {
    const item = items[i] as Item;
    let j = items.length;
    while (j > i && !isNumberInPieces(items.slice(i, j))) j--;
    if (j > i) {
      const stretch = items.slice(i, j);
      result += text.slice(last, item.start) + hideNumber(stretch.map((s) => s.digits).join(''));
      last = (stretch.at(-1) as Item).end;
      i = j;
      continue;
    }
    if (item.digits.length >= 7) {
      result += text.slice(last, item.start) + hideRun(text.slice(item.start, item.end), read.slice(item.start, item.end));
      last = item.end;
    }
    i++;
  }
  return result + text.slice(last);
}

/** "张三丰" becomes "张某某": the family name stays, as a notice board would write it. */
const maskName = (name: string) => `${name.slice(0, 1)}${'某'.repeat(Math.max(1, name.length - 1))}`;

/**
 * What may be put between a name's characters to get it past the board: up to two spaces or marks
 * of punctuation, and any number of invisible characters (read as zero-width spaces).
 */
const BETWEEN = '(?:\\u200b*(?:\\s+|[\\p{P}\\p{S}])){0,2}\\u200b*';
const BETWEEN_ANY = /[\s\p{P}\p{S}\u200b]/gu;
const escapeForPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function redactPersonalData(text: string, names: readonly string[] = []): string {
  const withoutMail = halfWidth(text).replace(EMAIL, '[邮箱已隐去]');
  let result = replaceRuns(withoutMail, asDigits(withoutMail), DIGIT_RUN, hideRun);
  // Longest names first, so that "张三丰" is not left as "张某丰" by "张三".
  const distinct = [...new Set(names.filter((n) => n.trim().length >= 2))].sort((a, b) => b.length - a.length);
  // The text without what may sit between a name's characters ("张 长友", "张·长友"): a name found
  // only there is looked for again with up to two such characters between each of its own.
  let squeezed = withGaps(result).replace(BETWEEN_ANY, '');
  for (const name of distinct) {
    if (result.includes(name)) result = result.replaceAll(name, maskName(name));
    else if (squeezed.includes(name)) {
      const spread = new RegExp([...name].map(escapeForPattern).join(BETWEEN), 'gu');
      result = replaceRuns(result, withGaps(result), spread, () => maskName(name));
    } else continue;
    squeezed = withGaps(result).replace(BETWEEN_ANY, '');
  }
  return result;
}
