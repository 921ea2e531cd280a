import { describe, expect, it } from 'vitest';
import { compassPoint } from './compass.ts';

describe('a camera’s direction in words', () => {
  it('names the nearest of the eight compass points', () => {
    expect([0, 45, 90, 135, 180, 225, 270, 315].map(compassPoint)).toEqual(['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw']);
    expect([22, 23, 359, 360, 338, 336, 292.4].map(compassPoint)).toEqual(['n', 'ne', 'n', 'n', 'n', 'nw', 'w']);
    expect(compassPoint(-90)).toBe('w');
  });
});
