import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { meetsPasswordRule } from '@cunzhi/contracts/password-rule';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * Passwords that pass the letter-and-digit rule yet are tried first by anyone guessing: the demo
 * county's published password (a copied demo account must not keep it in production) and the
 * commonest such passwords in Chinese and English leak lists. Compared without case, so that
 * `PASSWORD1` is refused with `password1`. The demo loader hashes its password directly, not
 * through here; the test suite's `Passw0rd2026` is not on the list.
 */
const COMMON_PASSWORDS = new Set([
  'cunzhi2026',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword1',
  'abc12345',
  'abc123456',
  'abcd1234',
  'a1234567',
  'a12345678',
  'a123456789',
  'aa123456',
  'aa12345678',
  'qwer1234',
  'qwerty123',
  'qwe12345',
  '1234qwer',
  '1qaz2wsx',
  '1q2w3e4r',
  'zxcv1234',
  'asdf1234',
  '12345678a',
  '123456789a',
  '12345abc',
  '123456abc',
  'woaini1314',
  '5201314a',
  'iloveyou1',
  'admin123',
  'admin1234',
  'admin12345',
  'welcome1',
  'test1234',
  'abc123abc',
]);

export function passwordProblem(password: string): 'weak_password' | 'common_password' | null {
  if (!meetsPasswordRule(password)) return 'weak_password';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'common_password';
  return null;
}

/** scrypt$N$r$p$salt$hash, so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * What an account that acts only through an integration key holds instead of a password hash: no
 * password verifies against it (verifyPassword knows only scrypt), and no guess of one is possible.
 */
export const NO_PASSWORD = '!key-only';

/** A hash of nothing, verified when the phone is unknown so that timing does not tell. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
