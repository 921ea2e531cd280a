// The QR encoder's fixed parts, by ISO/IEC 18004 (2015): the output was also read back with a
// decoder (zbarimg) for versions 1, 7, 8 and 10 when it was written; these keep the structure.
import { describe, expect, it } from 'vitest';
import { qrCodeSvg, qrMatrix } from './qr-code.ts';

const URI = 'otpauth://totp/Cunzhi:13800000000?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Cunzhi&algorithm=SHA1&digits=6&period=30';

describe('QR codes', () => {
  it('takes the smallest version that holds the text at level M (section 7.4.10, table 7)', () => {
    expect(qrMatrix('hello')).toHaveLength(21);
    expect(qrMatrix(URI)).toHaveLength(45); // version 7: 122 bytes fit, version 6 holds 106
    expect(qrMatrix('x'.repeat(213))).toHaveLength(57);
    expect(() => qrMatrix('x'.repeat(214))).toThrow();
  });

  it('draws the finder and timing patterns (sections 6.3.3 and 6.3.5)', () => {
    const m = qrMatrix(URI);
    const n = m.length;
    const finder = (x: number, y: number) =>
      Array.from({ length: 7 }, (_, dy) => Array.from({ length: 7 }, (_, dx) => (m[y + dy]?.[x + dx] ? 1 : 0)).join('')).join('/');
    const expected = '1111111/1000001/1011101/1011101/1011101/1000001/1111111';
    expect(finder(0, 0)).toBe(expected);
    expect(finder(n - 7, 0)).toBe(expected);
    expect(finder(0, n - 7)).toBe(expected);
    for (let i = 8; i < n - 8; i++) expect(m[6]?.[i]).toBe(i % 2 === 0);
  });

  it('writes the format information twice, BCH-coded, for level M and mask 0 (section 7.9)', () => {
    const m = qrMatrix('hello');
    const n = m.length;
    const at = (x: number, y: number) => (m[y]?.[x] ? 1 : 0);
    let first = 0;
    let second = 0;
    // Bit i of the 15, as placed by both copies.
    const firstPositions = [
      [8, 0],
      [8, 1],
      [8, 2],
      [8, 3],
      [8, 4],
      [8, 5],
      [8, 7],
      [8, 8],
      [7, 8],
      [5, 8],
      [4, 8],
      [3, 8],
      [2, 8],
      [1, 8],
      [0, 8],
    ];
    firstPositions.forEach(([x, y], i) => {
      first |= at(x as number, y as number) << i;
    });
    for (let i = 0; i < 8; i++) second |= at(n - 1 - i, 8) << i;
    for (let i = 8; i < 15; i++) second |= at(8, n - 15 + i) << i;
    expect(first).toBe(second);
    // Level M is 00 and mask 000: the five data bits are 00000, whose BCH code masked with 101010000010010 is that mask.
    expect(first).toBe(0b101010000010010);
    expect(at(8, n - 8)).toBe(1);
  });

  it('is a standalone SVG with a quiet zone of four modules', () => {
    const svg = qrCodeSvg('hello');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 29 29"/);
    expect(svg).toContain('M4,4h1v1h-1z');
  });
});
