import { describe, expect, it } from 'vitest';
import { type ScreenPoint, spreadMarkers } from './map-spread.ts';

const placed = (points: ScreenPoint[], offsets: Map<string, [number, number]>) =>
  points.map((p) => {
    const [dx, dy] = offsets.get(p.id) ?? [0, 0];
    return { id: p.id, x: p.x + dx, y: p.y + dy };
  });

const closest = (points: { x: number; y: number }[]) => {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i] as { x: number; y: number };
      const b = points[j] as { x: number; y: number };
      min = Math.min(min, Math.hypot(a.x - b.x, a.y - b.y));
    }
  return min;
};

describe('spreading map markers', () => {
  it('leaves markers that do not touch where they are', () => {
    const points = [
      { id: 'a', x: 50, y: 50 },
      { id: 'b', x: 200, y: 60 },
    ];
    expect([...spreadMarkers(points, 48, 390, 300).values()]).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('spreads three cameras and a finding on one spot so that no two are closer than a marker', () => {
    const points = ['camera-1', 'camera-2', 'camera-3', 'finding-1'].map((id, i) => ({ id, x: 180 + i * 0.3, y: 150 - i * 0.2 }));
    const spread = placed(points, spreadMarkers(points, 48, 390, 300));
    expect(closest(spread)).toBeGreaterThanOrEqual(48);
    // They stay around where they were, not thrown across the map.
    for (const p of spread) expect(Math.hypot(p.x - 180, p.y - 150)).toBeLessThan(60);
  });

  it('spreads a group again when it lands on a marker next to it', () => {
    const points = [
      { id: 'a', x: 100, y: 100 },
      { id: 'b', x: 100, y: 101 },
      { id: 'c', x: 100, y: 150 },
    ];
    expect(closest(placed(points, spreadMarkers(points, 48, 390, 300)))).toBeGreaterThanOrEqual(48);
  });

  it('keeps every marker inside the map, even at its edge', () => {
    const points = [
      { id: 'a', x: 2, y: 2 },
      { id: 'b', x: 3, y: 2 },
    ];
    const spread = placed(points, spreadMarkers(points, 48, 390, 300));
    for (const p of spread) {
      expect(p.x).toBeGreaterThanOrEqual(24);
      expect(p.y).toBeGreaterThanOrEqual(24);
    }
    expect(closest(spread)).toBeGreaterThanOrEqual(48);
  });
});
