import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, idNumberFacts, idNumberProblem, maskIdNumber, normalizeIdNumber } from './id-number.ts';

describe('GB 11643 ID card numbers', () => {
  it('computes the check character from the 17 digits (the standard example)', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });

  it('finds a wrong check digit, a bad shape and an impossible birth date', () => {
    expect(idNumberProblem('110105194912310021')).toBe('check_digit');
    expect(idNumberProblem('11010519491231002')).toBe('format');
    expect(idNumberProblem('1101051949123100AX')).toBe('format');
    expect(idNumberProblem('110105194902300021')).toBe('birth_date');
    expect(idNumberProblem('110105299901010021')).toBe('birth_date');
  });

  it('masks all but the first and the last character, hiding the region, the birth date and the sequence (GB 11643-1999: 6 + 8 + 3 + 1)', () => {
    expect(maskIdNumber('500242193908150017')).toBe('5****************7');
    expect(maskIdNumber('11010519491231002X')).toBe('1****************X');
    // A stored mask of the old form (region and last four) masks to the same.
    expect(maskIdNumber('500242********0017')).toBe(maskIdNumber('500242193908150017'));
  });

  it('reads birth date and gender', () => {
    expect(idNumberFacts('11010519491231002X')).toEqual({ birthDate: '1949-12-31', gender: 'female' });
    expect(normalizeIdNumber(' 110105 19491231002x ')).toBe('11010519491231002X');
  });
});
