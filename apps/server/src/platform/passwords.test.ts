// Which passwords may be set anywhere one is set (county setup, user creation, reset, change).
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../../test/factories.ts';
import { DEMO_PASSWORD } from '../modules/org/org.demo.ts';
import { NO_PASSWORD, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwordProblem', () => {
  it('refuses the published demo password and the commonest letter-and-digit passwords, in any case', () => {
    for (const common of [
      DEMO_PASSWORD,
      'CUNZHI2026',
      'Password1',
      'Passw0rd',
      'abc12345',
      '12345678a',
      'qwer1234',
      'a1234567',
      'Aa123456',
      '1qaz2wsx',
      'woaini1314',
    ]) {
      expect(passwordProblem(common), common).toBe('common_password');
    }
  });

  it('still refuses short passwords and those without letters or digits as weak', () => {
    expect(passwordProblem('abc123')).toBe('weak_password');
    expect(passwordProblem('12345678')).toBe('weak_password');
    expect(passwordProblem('abcdefgh')).toBe('weak_password');
  });

  it('accepts an ordinary strong password, the test suite’s among them', () => {
    expect(passwordProblem(PASSWORD)).toBeNull();
    expect(passwordProblem('Hetang2027river')).toBeNull();
  });

  it('no password verifies against a key-only account’s hash', async () => {
    expect(await verifyPassword('', NO_PASSWORD)).toBe(false);
    expect(await verifyPassword('!key-only', NO_PASSWORD)).toBe(false);
  });
});
