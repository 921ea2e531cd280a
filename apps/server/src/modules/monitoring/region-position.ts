// Whether a place lies inside a region's outline, and a point surely inside one: the demo county
// puts its cameras inside their regions with these (a camera drawn outside its own village's
// outline on the live view's map reads as a mistake). Plain geometry on [longitude, latitude]:
// over a village or a township the earth is flat enough for even-odd tests and centroids.
import type { Boundary } from '@cunzhi/contracts/region-shapes';

export type LngLat = [number, number];

const ringsOf = (boundary: Boundary): LngLat[][] =>
  (boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates).flatMap((rings) =>
    rings.map((ring) => ring.map((p) => [p[0] as number, p[1] as number] as LngLat)),
  );

/** Inside by the even-odd rule over every ring (holes are outside). */
export function insideBoundary(boundary: Boundary, [x, y]: LngLat): boolean {
  let inside = false;
  for (const ring of ringsOf(boundary)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as LngLat;
      const [xj, yj] = ring[j] as LngLat;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * A point inside the outline: the centroid of its largest outer ring when that is inside (any
 * convex or near-convex place), else the middle of the widest stretch of the outline on the
 * centroid's latitude.
 */
export function interiorPoint(boundary: Boundary): LngLat {
  const outers = (boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates).map((rings) =>
    (rings[0] ?? []).map((p) => [p[0] as number, p[1] as number] as LngLat),
  );
  const area = (ring: LngLat[]) =>
    ring.reduce((sum, [x1, y1], i) => {
      const [x2, y2] = ring[(i + 1) % ring.length] as LngLat;
      return sum + x1 * y2 - x2 * y1;
    }, 0) / 2;
  const ring = outers.reduce((best, r) => (Math.abs(area(r)) > Math.abs(area(best)) ? r : best));
  const a = area(ring);
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i] as LngLat;
    const [x2, y2] = ring[(i + 1) % ring.length] as LngLat;
    const f = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  const centroid: LngLat = [cx / (6 * a), cy / (6 * a)];
  if (insideBoundary(boundary, centroid)) return centroid;
  const y = centroid[1];
  const crossings: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LngLat;
    const [xj, yj] = ring[j] as LngLat;
    if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  crossings.sort((p, q) => p - q);
  let best: LngLat = centroid;
  let widest = -1;
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const width = (crossings[k + 1] as number) - (crossings[k] as number);
    if (width > widest) {
      widest = width;
      best = [((crossings[k] as number) + (crossings[k + 1] as number)) / 2, y];
    }
  }
  return best;
}
