import type { Boundary } from '@cunzhi/contracts/region-shapes';
import { describe, expect, it } from 'vitest';
import { insideBoundary, interiorPoint } from './region-position.ts';

const square: Boundary = {
  type: 'Polygon',
  coordinates: [
    [
      [108.6, 28.6],
      [108.7, 28.6],
      [108.7, 28.7],
      [108.6, 28.7],
      [108.6, 28.6],
    ],
  ],
};
// A "C": its centroid falls in the gap, outside.
const hook: Boundary = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [10, 0],
      [10, 2],
      [2, 2],
      [2, 8],
      [10, 8],
      [10, 10],
      [0, 10],
      [0, 0],
    ],
  ],
};

describe('positions in a region’s outline', () => {
  it('tells inside from outside, holes outside', () => {
    expect(insideBoundary(square, [108.65, 28.65])).toBe(true);
    expect(insideBoundary(square, [108.62, 28.95])).toBe(false);
    const holed: Boundary = {
      type: 'Polygon',
      coordinates: [
        ...square.coordinates,
        [
          [108.64, 28.64],
          [108.66, 28.64],
          [108.66, 28.66],
          [108.64, 28.66],
          [108.64, 28.64],
        ],
      ],
    };
    expect(insideBoundary(holed, [108.65, 28.65])).toBe(false);
    expect(insideBoundary(holed, [108.61, 28.61])).toBe(true);
  });

  it('finds a point inside, even where the centroid is not', () => {
    const [x, y] = interiorPoint(square);
    expect(x).toBeCloseTo(108.65, 6);
    expect(y).toBeCloseTo(28.65, 6);
    expect(insideBoundary(hook, interiorPoint(hook))).toBe(true);
  });
});
