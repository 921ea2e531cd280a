import { describe, expect, it } from 'vitest';
import { boxMean, closing, connectedComponents, dilate, erode, opening, rasterisePolygon, shifted } from './raster.ts';

const square = [
  { x: 0.25, y: 0.25 },
  { x: 0.75, y: 0.25 },
  { x: 0.75, y: 0.75 },
  { x: 0.25, y: 0.75 },
];

describe('raster', () => {
  it('rasterises a polygon by pixel centres', () => {
    const mask = rasterisePolygon(square, 8, 8);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(16);
    expect(mask[2 * 8 + 2]).toBe(1);
    expect(mask[1 * 8 + 1]).toBe(0);
    expect(rasterisePolygon(square.slice(0, 2), 8, 8).every((v) => v === 0)).toBe(true);
  });

  it('opening removes lines thinner than the square and keeps blocks', () => {
    const w = 20;
    const mask = new Uint8Array(w * w);
    for (let x = 0; x < w; x++) mask[3 * w + x] = 1; // a one-pixel line
    for (let y = 10; y < 16; y++) for (let x = 10; x < 16; x++) mask[y * w + x] = 1; // a 6×6 block
    const opened = opening(mask, w, w, 2);
    expect(opened.reduce((a, b) => a + b, 0)).toBe(36);
    expect(erode(mask, w, w, 1).reduce((a, b) => a + b, 0)).toBe(16);
    expect(dilate(mask, w, w, 1)[2 * w + 5]).toBe(1);
  });

  it('erosion does not eat a region from the picture border', () => {
    const mask = new Uint8Array(10 * 10).fill(1);
    expect(erode(mask, 10, 10, 2).every((v) => v === 1)).toBe(true);
  });

  it('closing joins near pieces and components give their boxes', () => {
    const w = 12;
    const mask = new Uint8Array(w * w);
    for (let y = 2; y < 6; y++) {
      for (let x = 2; x < 5; x++) mask[y * w + x] = 1;
      for (let x = 6; x < 10; x++) mask[y * w + x] = 1;
    }
    expect(connectedComponents(mask, w, w)).toHaveLength(2);
    const joined = connectedComponents(closing(mask, w, w, 1), w, w);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ minX: 2, maxX: 9, minY: 2, maxY: 5 });
  });

  it('box mean and shift', () => {
    const plane = new Float32Array([0, 0, 0, 0, 9, 0, 0, 0, 0]);
    expect(boxMean(plane, 3, 3, 1)[4]).toBeCloseTo(1);
    expect(Array.from(shifted(plane, 3, 3, 1, 0))).toEqual([0, 0, 0, 0, 0, 9, 0, 0, 0]);
  });
});
