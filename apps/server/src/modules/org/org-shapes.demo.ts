// The demo county's outlines: plausible shapes generated around each place's position, not
// surveyed boundaries. Youyang's townships get Voronoi cells of their seats inside a wobbly county
// outline; each demo village a wobbly outline of about 3.5 km around its centre, kept inside its
// township; each villager group a Voronoi cell of the village. Positions are near the real places
// (the county seat at Zhongduo, Gongtan on the Wu river) but only near: the demo's map is a sketch.
import type { PolygonBoundary } from '@cunzhi/contracts/region-shapes';
import { seededRandom } from '../../platform/seeded-random.ts';

type Pt = [number, number];

/** [longitude, latitude] of the county seat and of each township's seat in the demo. */
export const DEMO_PLACE_CENTRES: Record<string, Pt> = {
  '500242': [108.77, 28.84],
  '500242104': [108.62, 28.66], // 大溪镇: Daxi's market town, where the demo's cameras stand
  '500242105': [108.63, 29.0],
  '500242208': [108.98, 28.7],
  '500242110': [108.93, 28.98],
  '500242213': [108.8, 28.58],
  '500242106': [108.4, 28.88],
};

/** A village's centre: a little off its township's seat, each in its own direction. */
const VILLAGE_OFFSET: Pt = [0.025, -0.018];

// Distances are measured with longitude shrunk by cos(latitude), so cells look right on the map.
const K = Math.cos((28.8 * Math.PI) / 180);
const project = ([x, y]: Pt): Pt => [x * K, y];

/** The part of a polygon closer to `a` than to `b` (Sutherland–Hodgman against their bisector). */
function clipCloserTo(polygon: Pt[], a: Pt, b: Pt): Pt[] {
  const [ax, ay] = project(a);
  const [bx, by] = project(b);
  const side = (p: Pt) => {
    const [px, py] = project(p);
    return 2 * (px * (bx - ax) + py * (by - ay)) + (ax * ax + ay * ay) - (bx * bx + by * by);
  };
  const out: Pt[] = [];
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i] as Pt;
    const q = polygon[(i + 1) % polygon.length] as Pt;
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

const cellOf = (outline: Pt[], site: Pt, others: Pt[]) => others.reduce((poly, other) => clipCloserTo(poly, site, other), outline);

/** A closed outline of about `radius` degrees of latitude around a centre, its edge irregular. */
function wobbly(centre: Pt, radius: number, seed: number, points = 36): Pt[] {
  const next = seededRandom(seed);
  const phase = next() * Math.PI * 2;
  const out: Pt[] = [];
  for (let i = 0; i < points; i++) {
    const angle = (i / points) * Math.PI * 2;
    const r = radius * (1 + 0.16 * Math.sin(3 * angle + phase) + 0.08 * Math.sin(7 * angle) + 0.06 * (next() - 0.5));
    out.push([centre[0] + (r * Math.cos(angle)) / K, centre[1] + r * Math.sin(angle)]);
  }
  return out;
}

/** GeoJSON: counter-clockwise (RFC 7946), closed, rounded to about a metre. */
function toPolygon(points: Pt[]): PolygonBoundary {
  const ring = points.map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]);
  let area = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i] as number[];
    const [x2, y2] = ring[(i + 1) % ring.length] as number[];
    area += (x1 as number) * (y2 as number) - (x2 as number) * (y1 as number);
  }
  if (area < 0) ring.reverse();
  ring.push([...(ring[0] as number[])]);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * The outline of every demo region by code: the county, its townships, the given villages (code →
 * township code) and their villager groups (village code + 001…).
 */
export function demoRegionShapes(villages: { code: string; township: string }[], groupsPerVillage: number): Map<string, PolygonBoundary> {
  const shapes = new Map<string, PolygonBoundary>();
  const countyCentre = DEMO_PLACE_CENTRES['500242'] as Pt;
  const county = wobbly(countyCentre, 0.42, 500242, 72);
  shapes.set('500242', toPolygon(county));
  const townshipCodes = Object.keys(DEMO_PLACE_CENTRES).filter((code) => code.length === 9);
  const seats = townshipCodes.map((code) => DEMO_PLACE_CENTRES[code] as Pt);
  for (const [i, code] of townshipCodes.entries()) {
    shapes.set(
      code,
      toPolygon(
        cellOf(
          county,
          seats[i] as Pt,
          seats.filter((_, j) => j !== i),
        ),
      ),
    );
  }
  for (const [v, village] of villages.entries()) {
    const seat = DEMO_PLACE_CENTRES[village.township];
    if (!seat) continue;
    const centre: Pt = [seat[0] + VILLAGE_OFFSET[0] * (v % 2 ? -1 : 1), seat[1] + VILLAGE_OFFSET[1]];
    const otherSeats = seats.filter((s) => s !== seat);
    const outline = cellOf(wobbly(centre, 0.032, Number(village.code.slice(-6))), seat, otherSeats);
    shapes.set(village.code, toPolygon(outline));
    const sites = Array.from({ length: groupsPerVillage }, (_, g): Pt => {
      const angle = Math.PI / 4 + (g * 2 * Math.PI) / groupsPerVillage;
      return [centre[0] + (0.014 * Math.cos(angle)) / K, centre[1] + 0.014 * Math.sin(angle)];
    });
    for (const [g, site] of sites.entries()) {
      const code = `${village.code}${String(g + 1).padStart(3, '0')}`;
      shapes.set(
        code,
        toPolygon(
          cellOf(
            outline,
            site,
            sites.filter((_, j) => j !== g),
          ),
        ),
      );
    }
  }
  return shapes;
}
