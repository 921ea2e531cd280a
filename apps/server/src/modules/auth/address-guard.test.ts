import { describe, expect, it } from 'vitest';
import { createAddressGuard } from './address-guard.ts';

const WINDOW = 15 * 60_000;

describe('failed logins per address', () => {
  it('refuses once the failures in the window reach the limit, and says so once', () => {
    const guard = createAddressGuard(3, WINDOW);
    const reached: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      expect(guard.begin('10.0.0.1', i * 1000)).toBe(true);
      reached.push(guard.end('10.0.0.1', true, i * 1000));
    }
    expect(reached).toEqual([false, false, true]);
    expect(guard.begin('10.0.0.1', 5000)).toBe(false);
    expect(guard.begin('10.0.0.2', 5000)).toBe(true);
    expect(guard.minutesLeft('10.0.0.1', 5000)).toBe(15);
  });

  it('counts attempts still being checked, so attempts sent at once cannot all pass', () => {
    const guard = createAddressGuard(3, WINDOW);
    const started = Array.from({ length: 10 }, () => guard.begin('10.0.0.1', 0));
    expect(started.filter(Boolean)).toHaveLength(3);
  });

  it('does not count successes, and forgets failures older than the window', () => {
    const guard = createAddressGuard(2, WINDOW);
    for (let i = 0; i < 5; i++) {
      expect(guard.begin('10.0.0.1', 0)).toBe(true);
      guard.end('10.0.0.1', false, 0);
    }
    guard.begin('10.0.0.1', 0);
    guard.end('10.0.0.1', true, 0);
    guard.begin('10.0.0.1', 60_000);
    guard.end('10.0.0.1', true, 60_000);
    expect(guard.begin('10.0.0.1', WINDOW - 1)).toBe(false);
    // The first failure has left the window; one place is free again.
    expect(guard.begin('10.0.0.1', WINDOW)).toBe(true);
    expect(guard.begin('10.0.0.1', WINDOW)).toBe(false);
  });
});
