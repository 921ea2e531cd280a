// Maps drawn from the bundled region outlines (no tiles): WGS84 positions projected onto an SVG
// canvas. Over a county (tens of kilometres) an equirectangular projection with longitude shrunk by
// the cosine of the middle latitude is as true as the outlines themselves; north is up.
import type { Boundary } from '@cunzhi/contracts/region-shapes';

export type LngLat = [number, number];
export type Projection = {
  /** The canvas (viewBox) size; the width is always 1000. */
  width: number;
  height: number;
  project(point: LngLat): [number, number];
};

/** Every ring of an outline (outer rings and holes) as positions. */
export function ringsOf(boundary: Boundary): LngLat[][] {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  return polygons.flatMap((rings) => rings.map((ring) => ring.map((p) => [p[0] as number, p[1] as number] as LngLat)));
}

/**
 * The projection that fits these points on a canvas 1000 wide with a margin, its height following
 * the points' shape but kept between `minAspect` and `maxAspect` of the width (a long thin village
 * would otherwise give a needle of a map): the points are centred on the canvas.
 */
export function fitProjection(points: LngLat[], options: { margin?: number; minAspect?: number; maxAspect?: number } = {}): Projection {
  const { margin = 0.06, minAspect = 0.55, maxAspect = 1.1 } = options;
  const width = 1000;
  if (points.length === 0) return { width, height: width * minAspect, project: () => [width / 2, (width * minAspect) / 2] };
  const lats = points.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const xs = points.map((p) => p[0] * k);
  const ys = points.map((p) => -p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // A single point (one camera, no outline) gets a span of about a kilometre around it.
  const spanX = Math.max(maxX - minX, 0.01);
  const spanY = Math.max(maxY - minY, 0.01);
  const aspect = Math.min(maxAspect, Math.max(minAspect, spanY / spanX));
  const height = Math.round(width * aspect);
  const inner = 1 - 2 * margin;
  const scale = Math.min((width * inner) / spanX, (height * inner) / spanY);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return {
    width,
    height,
    project: ([lng, lat]) => [width / 2 + (lng * k - cx) * scale, height / 2 + (-lat - cy) * scale],
  };
}

/** An SVG path (even-odd fill keeps holes open) of an outline. */
export function pathOf(boundary: Boundary, projection: Projection): string {
  return ringsOf(boundary)
    .map(
      (ring) =>
        `M${ring
          .map((p) => projection.project(p))
          .map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`)
          .join('L')}Z`,
    )
    .join('');
}

/** The point at a fraction of the canvas, as CSS percentages (for buttons laid over the SVG). */
export function percentOf(projection: Projection, point: LngLat): { left: string; top: string } {
  const [x, y] = projection.project(point);
  return { left: `${((x / projection.width) * 100).toFixed(2)}%`, top: `${((y / projection.height) * 100).toFixed(2)}%` };
}
