// The limits on asking for a text code, as a pure rule (the service counts and adds in one step).
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, smsRequestRefusal } from './sms-login.limits.ts';

const NOW = 10 * DAY_MS;
const quiet = { count: 0, oldest: null };
const at = (minutesAgo: number, ip = '10.0.0.1') => ({ at: NOW - minutesAgo * 60_000, ip });

describe('limits on asking for a sign-in code', () => {
  it('lets the first request go, and a second within a minute from anywhere waits', () => {
    expect(smsRequestRefusal({ ofNumber: [], ofAddress: quiet }, '10.0.0.1', NOW)).toBeUndefined();
    expect(smsRequestRefusal({ ofNumber: [at(0.5, '10.0.0.9')], ofAddress: quiet }, '10.0.0.1', NOW)).toEqual({
      reason: 'too_soon',
      seconds: 30,
    });
  });

  it('counts a number per address: five an hour and ten a day there, none of them elsewhere', () => {
    const hour = [50, 40, 30, 20, 10].map((m) => at(m));
    expect(smsRequestRefusal({ ofNumber: hour, ofAddress: quiet }, '10.0.0.1', NOW)).toEqual({
      reason: 'number_address_limit',
      minutes: 10,
    });
    expect(smsRequestRefusal({ ofNumber: hour, ofAddress: quiet }, '10.0.0.2', NOW)).toBeUndefined();
    const day = Array.from({ length: 10 }, (_, i) => at(120 * (i + 1)));
    expect(smsRequestRefusal({ ofNumber: day, ofAddress: quiet }, '10.0.0.1', NOW)?.reason).toBe('number_address_limit');
    expect(smsRequestRefusal({ ofNumber: day.slice(1), ofAddress: quiet }, '10.0.0.1', NOW)).toBeUndefined();
  });

  it('caps a number at forty a day from all addresses, and forgets requests older than a day', () => {
    const spread = Array.from({ length: 40 }, (_, i) => at(30 * (i + 1), `10.1.0.${i}`));
    expect(smsRequestRefusal({ ofNumber: spread, ofAddress: quiet }, '10.0.0.1', NOW)).toEqual({ reason: 'number_limit', minutes: 240 });
    const old = spread.map((request) => ({ ...request, at: request.at - DAY_MS }));
    expect(smsRequestRefusal({ ofNumber: old, ofAddress: quiet }, '10.0.0.1', NOW)).toBeUndefined();
  });

  it('takes a hundred requests an hour from one address across numbers', () => {
    expect(smsRequestRefusal({ ofNumber: [], ofAddress: { count: 99, oldest: NOW - HOUR_MS / 2 } }, '10.0.0.1', NOW)).toBeUndefined();
    expect(smsRequestRefusal({ ofNumber: [], ofAddress: { count: 100, oldest: NOW - HOUR_MS / 2 } }, '10.0.0.1', NOW)).toEqual({
      reason: 'address_limit',
      minutes: 30,
    });
  });
});
