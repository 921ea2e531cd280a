import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from './totp.ts';

describe('HOTP (RFC 4226)', () => {
  it('gives the values of Appendix D for the secret "12345678901234567890"', () => {
    const secret = Buffer.from('12345678901234567890');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, count) => hotp(secret, count))).toEqual(expected);
  });
});

describe('TOTP (RFC 6238)', () => {
  // Appendix B: 8 digits, T0 = 0, X = 30, each algorithm with a seed of its own length.
  const seeds = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(table)('at %i s gives the values of Appendix B', (seconds, sha1, sha256, sha512) => {
    expect(totp(seeds.sha1, seconds * 1000, 8, 'sha1')).toBe(sha1);
    expect(totp(seeds.sha256, seconds * 1000, 8, 'sha256')).toBe(sha256);
    expect(totp(seeds.sha512, seconds * 1000, 8, 'sha512')).toBe(sha512);
  });

  it('accepts one step either side, not two, and never a step already used (section 5.2)', () => {
    const secret = seeds.sha1;
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotp(secret, hotp(secret, step), now, null)).toBe(step);
    expect(matchTotp(secret, hotp(secret, step - 1), now, null)).toBe(step - 1);
    expect(matchTotp(secret, hotp(secret, step + 1), now, null)).toBe(step + 1);
    expect(matchTotp(secret, hotp(secret, step - 2), now, null)).toBeUndefined();
    expect(matchTotp(secret, hotp(secret, step + 2), now, null)).toBeUndefined();
    expect(matchTotp(secret, hotp(secret, step), now, step)).toBeUndefined();
    expect(matchTotp(secret, hotp(secret, step + 1), now, step)).toBe(step + 1);
    expect(matchTotp(secret, '12345', now, null)).toBeUndefined();
  });
});

describe('base32 (RFC 4648 section 10 test vectors) and the Key Uri', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j <-> %s', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('names the issuer in the label and the query', () => {
    expect(otpauthUri('Cunzhi', '13800000000', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Cunzhi:13800000000?secret=JBSWY3DPEHPK3PXP&issuer=Cunzhi&algorithm=SHA1&digits=6&period=30',
    );
  });
});
