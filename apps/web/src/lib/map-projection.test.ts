import { describe, expect, it } from 'vitest';
import { fitProjection, type LngLat, pathOf, percentOf } from './map-projection.ts';

const square: LngLat[] = [
  [108.6, 28.9],
  [108.7, 28.9],
  [108.7, 29.0],
  [108.6, 29.0],
];

describe('the map projection', () => {
  it('fits the points inside the canvas with a margin, north up and east right', () => {
    const p = fitProjection(square);
    for (const point of square) {
      const [x, y] = p.project(point);
      expect(x).toBeGreaterThanOrEqual(0.05 * p.width);
      expect(x).toBeLessThanOrEqual(0.95 * p.width);
      expect(y).toBeGreaterThanOrEqual(0.05 * p.height);
      expect(y).toBeLessThanOrEqual(0.95 * p.height);
    }
    const [west] = p.project([108.6, 28.95]);
    const [east] = p.project([108.7, 28.95]);
    const [, north] = p.project([108.65, 29.0]);
    const [, south] = p.project([108.65, 28.9]);
    expect(east).toBeGreaterThan(west);
    expect(north).toBeLessThan(south);
  });

  it('keeps a degree of longitude shorter than one of latitude (cosine of the latitude)', () => {
    const p = fitProjection(square);
    const [x0, y0] = p.project([108.6, 28.9]);
    const [x1] = p.project([108.7, 28.9]);
    const [, y1] = p.project([108.6, 29.0]);
    expect((x1 - x0) / (y0 - y1)).toBeCloseTo(Math.cos((28.95 * Math.PI) / 180), 3);
  });

  it('keeps the canvas between the aspect limits for a needle-thin place, and centres a single point', () => {
    const thin = fitProjection([
      [108.6, 28.9],
      [108.6001, 29.5],
    ]);
    expect(thin.height / thin.width).toBeCloseTo(1.1, 2);
    const one = fitProjection([[108.6, 28.9]]);
    const [x, y] = one.project([108.6, 28.9]);
    expect(x).toBeCloseTo(one.width / 2);
    expect(y).toBeCloseTo(one.height / 2);
    const none = fitProjection([]);
    expect(none.project([0, 0])).toEqual([none.width / 2, none.height / 2]);
  });

  it('draws a polygon with a hole as two closed sub-paths and places markers in percent', () => {
    const p = fitProjection(square);
    const d = pathOf(
      {
        type: 'Polygon',
        coordinates: [
          [...square, square[0] as LngLat],
          [
            [108.64, 28.94],
            [108.66, 28.94],
            [108.66, 28.96],
            [108.64, 28.94],
          ],
        ],
      },
      p,
    );
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/Z/g)).toHaveLength(2);
    expect(percentOf(p, [108.65, 28.95])).toEqual({ left: '50.00%', top: '50.00%' });
  });
});
