// One-time codes of authenticator apps: HOTP (RFC 4226) and TOTP on top of it (RFC 6238), with
// the Key Uri Format the apps read from a QR code. Written here rather than taken from npm: it is
// a few lines over node:crypto, and the RFCs' own test vectors check it (totp.test.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
/** Codes of one step before and after are accepted too: phone clocks drift, people type slowly. */
export const TOTP_WINDOW_STEPS = 1;

type Algorithm = 'sha1' | 'sha256' | 'sha512';

/** RFC 4226 section 5.3: HMAC of the 8-byte counter, dynamic truncation, modulo 10^digits. */
export function hotp(secret: Buffer, counter: number | bigint, digits = TOTP_DIGITS, algorithm: Algorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac(algorithm, secret).update(message).digest();
  // Section 5.4: the low 4 bits of the last byte say where the 31-bit number starts.
  const offset = (hmac[hmac.length - 1] as number) & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 section 4.2: T = floor((now - T0) / X) with T0 = 0. */
export function totpStep(nowMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(nowMs / 1000 / stepSeconds);
}

export function totp(secret: Buffer, nowMs: number, digits = TOTP_DIGITS, algorithm: Algorithm = 'sha1'): string {
  return hotp(secret, totpStep(nowMs), digits, algorithm);
}

/**
 * The step whose code `code` is, within the window around now and later than `afterStep` (the
 * step last used: RFC 6238 section 5.2 says a code is accepted once), or undefined.
 */
export function matchTotp(secret: Buffer, code: string, nowMs: number, afterStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = totpStep(nowMs);
  let found: number | undefined;
  // Every candidate is computed and compared in constant time, so timing tells nothing of which matched.
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    const same = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code));
    if (same && (afterStep === null || step > afterStep) && found === undefined) found = step;
  }
  return found;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 section 6 base32, without padding, as authenticator apps take secrets. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The Key Uri Format of Google Authenticator, which the other apps read too:
 * otpauth://totp/Issuer:account?secret=…&issuer=Issuer (defaults SHA1, 6 digits, 30 s, spelled out).
 */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = `secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_STEP_SECONDS}`;
  return `otpauth://totp/${label}?${query}`;
}
