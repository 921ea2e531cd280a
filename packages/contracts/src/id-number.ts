// Resident ID card numbers (GB 11643-1999): 17 digits and a check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

/** Uppercases a trailing x and strips spaces, the two ways people type a valid number differently. */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function idNumberProblem(input: string): IdNumberProblem | null {
  const value = normalizeIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getTime() > Date.now()) {
    return 'birth_date';
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return 'check_digit';
  return null;
}

/**
 * 5****************4: the first and the last character only, as shown to every role. The number is
 * the region of issue (6 digits), the birth date (8), a sequence (3) and a check character, so a
 * mask that showed the region and the last four hid only the birth date, which the register gives
 * beside it: the whole number could be rebuilt (security recheck, item 1). Masking a mask of the
 * old form (500242********1234) gives the same as masking the number, so stored masks are re-masked
 * on reading.
 */
export function maskIdNumber(value: string): string {
  return `${value.slice(0, 1)}${'*'.repeat(Math.max(value.length - 2, 0))}${value.slice(-1)}`;
}

/** Birth date (YYYY-MM-DD) and gender read from a valid number. */
export function idNumberFacts(value: string): { birthDate: string; gender: 'male' | 'female' } {
  return {
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}
