// A region's outline, checked before it is kept: GeoJSON (RFC 7946) Polygon or MultiPolygon in
// WGS84, every ring closed with at least four positions, coordinates finite and in range, a size
// a map can draw on a phone, and an outer ring that encloses some area.
import type { Boundary } from '@cunzhi/contracts/region-shapes';

/** Positions over all rings: a village's outline from a survey has hundreds, a county's thousands. */
export const MAX_BOUNDARY_POSITIONS = 20_000;

type Ring = number[][];

const validPosition = (p: unknown): p is number[] =>
  Array.isArray(p) &&
  (p.length === 2 || p.length === 3) &&
  p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
  Math.abs(p[0] as number) <= 180 &&
  Math.abs(p[1] as number) <= 90;

/** Twice the signed area in square degrees (shoelace); 0 for a ring that encloses nothing. */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as number[];
    const [x2, y2] = ring[i + 1] as number[];
    sum += (x1 as number) * (y2 as number) - (x2 as number) * (y1 as number);
  }
  return sum / 2;
}

function validRing(ring: unknown): ring is Ring {
  if (!Array.isArray(ring) || ring.length < 4 || !ring.every(validPosition)) return false;
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  return first[0] === last[0] && first[1] === last[1];
}

function validPolygon(rings: unknown): rings is Ring[] {
  return Array.isArray(rings) && rings.length > 0 && rings.every(validRing) && Math.abs(ringArea(rings[0] as Ring)) > 1e-12;
}

/** The polygons of a valid outline (one for a Polygon), or undefined when it is not one. */
export function checkBoundary(value: unknown): Boundary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  const polygons: unknown[] | undefined =
    type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' && Array.isArray(coordinates) ? coordinates : undefined;
  if (!polygons || polygons.length === 0 || !polygons.every(validPolygon)) return undefined;
  const positions = (polygons as Ring[][]).reduce((n, rings) => n + rings.reduce((m, r) => m + r.length, 0), 0);
  if (positions > MAX_BOUNDARY_POSITIONS) return undefined;
  // Only the members GeoJSON defines are kept (a foreign member could carry anything).
  return type === 'Polygon'
    ? { type: 'Polygon', coordinates: coordinates as Ring[] }
    : { type: 'MultiPolygon', coordinates: coordinates as Ring[][] };
}
