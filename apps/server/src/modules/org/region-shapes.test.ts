// Region shapes: outlines imported from a GeoJSON file (all or nothing, every problem by feature
// number), read back for a region with the levels under it, and the demo county's generated ones
// valid and nested.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { AppError } from '../../platform/errors.ts';
import type { ImportProblem } from './org-import.service.ts';
import { DEMO_PLACE_CENTRES, demoRegionShapes } from './org-shapes.demo.ts';
import { checkBoundary, MAX_BOUNDARY_POSITIONS, ringArea } from './region-boundary.ts';
import { importRegionShapes } from './region-shapes.service.ts';

const square = (lng: number, lat: number, size: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});
const feature = (code: unknown, geometry: unknown, key = 'code') => ({ type: 'Feature', properties: { [key]: code }, geometry });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

/** Ray casting: whether a point lies inside a ring. */
function inside([x, y]: number[], ring: number[][]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > (y as number) !== yj > (y as number) && (x as number) < ((xj - xi) * ((y as number) - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function distanceToRing([x, y]: number[], ring: number[][]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i] as [number, number];
    const [bx, by] = ring[i + 1] as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, (((x as number) - ax) * dx + ((y as number) - ay) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot((x as number) - (ax + t * dx), (y as number) - (ay + t * dy)));
  }
  return best;
}

describe('region outlines (pure)', () => {
  it('keeps a closed polygon and a multipolygon, dropping foreign members', () => {
    expect(checkBoundary({ ...square(108, 28, 0.1), crs: 'x' })).toEqual(square(108, 28, 0.1));
    const multi = { type: 'MultiPolygon', coordinates: [square(108, 28, 0.1).coordinates, square(109, 28, 0.1).coordinates] };
    expect(checkBoundary(multi)).toEqual(multi);
  });

  it('refuses open rings, short rings, out-of-range or non-numeric positions, no area, other types and too many points', () => {
    const ring = square(108, 28, 0.1).coordinates[0] as number[][];
    const bad = [
      null,
      'Polygon',
      { type: 'Point', coordinates: [108, 28] },
      { type: 'Polygon', coordinates: [ring.slice(0, 4)] },
      {
        type: 'Polygon',
        coordinates: [
          ring
            .slice(0, 3)
            .concat([ring[0] as number[]])
            .slice(0, 3),
        ],
      },
      { type: 'Polygon', coordinates: [ring.map(([x, y]) => [(x as number) + 100, y])] },
      { type: 'Polygon', coordinates: [ring.map(([x]) => [x, 95])] },
      { type: 'Polygon', coordinates: [ring.map(([x, y]) => [String(x), y])] },
      { type: 'Polygon', coordinates: [ring.map(() => [108, 28])] },
      { type: 'Polygon', coordinates: [] },
      { type: 'MultiPolygon', coordinates: [] },
      {
        type: 'Polygon',
        coordinates: [
          Array.from({ length: MAX_BOUNDARY_POSITIONS + 1 }, (_, i) => {
            const a = (i / MAX_BOUNDARY_POSITIONS) * 2 * Math.PI;
            return i === MAX_BOUNDARY_POSITIONS ? [109, 28] : [108 + Math.cos(a), 28 + Math.sin(a)];
          }),
        ],
      },
    ];
    for (const value of bad) expect(checkBoundary(value)).toBeUndefined();
  });

  it('draws every demo region inside its parent, counter-clockwise and closed, the seats inside their townships', () => {
    const villages = [
      { code: '500242105201', township: '500242105' },
      { code: '500242208201', township: '500242208' },
    ];
    const shapes = demoRegionShapes(villages, 4);
    expect(shapes.size).toBe(1 + 6 + 2 + 8);
    for (const [code, shape] of shapes) {
      const ring = shape.coordinates[0] as number[][];
      expect(checkBoundary(shape), code).toBeDefined();
      expect(ringArea(ring), code).toBeGreaterThan(0);
      if (code.length === 9) expect(inside(DEMO_PLACE_CENTRES[code] as number[], ring), code).toBe(true);
      if (code.length > 6) {
        const parent = shapes.get(code.length === 9 ? '500242' : code.slice(0, -3))?.coordinates[0] as number[][];
        // Every corner of a child lies inside its parent's outline or on it (to rounding).
        for (const p of ring) expect(inside(p, parent) || distanceToRing(p, parent) < 2e-5, `${code} in its parent`).toBe(true);
      }
    }
  });
});

describe.each(dialects)('region shapes on %s', (dialect) => {
  let tree: Tree;
  let cadre: Session;
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    cadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
  });

  const shapesOf = (regionId: string, session = cadre) => session.get(`/api/org/region-shapes?regionId=${regionId}`);

  it('imports outlines by code and reads a region with the two levels under it', async () => {
    const result = await importRegionShapes(
      ctx.deps,
      collection(
        feature('500242105', square(108.5, 28.9, 0.2)),
        feature('500242105201', square(108.55, 28.95, 0.05)),
        feature(500242105202, square(108.6, 28.95, 0.05)),
        feature('500242105201001', square(108.55, 28.95, 0.02), '区划代码'),
        feature('500242208', square(108.9, 28.6, 0.2)),
      ),
    );
    expect(result).toEqual({ imported: 5 });

    const township = await shapesOf(tree.townshipA.id);
    expect(township.statusCode).toBe(200);
    const body = township.json();
    expect(body.region).toMatchObject({ id: tree.townshipA.id, code: '500242105', level: 'township', boundary: square(108.5, 28.9, 0.2) });
    expect(body.within.map((s: { code: string }) => s.code)).toEqual(['500242105201', '500242105202', '500242105201001']);
    // Any signed-in user reads them (public knowledge), the other township's too; B's villages have none.
    const other = (await shapesOf(tree.townshipB.id)).json();
    expect(other.region.boundary).toEqual(square(108.9, 28.6, 0.2));
    expect(other.within).toEqual([]);
    // The county has no outline: null, with its townships under it.
    const county = (await shapesOf(tree.county.id)).json();
    expect(county.region.boundary).toBeNull();
    expect(county.within.map((s: { code: string }) => s.code)).toEqual(['500242105', '500242208', '500242105201', '500242105202']);
    // A villager group has nothing under it.
    expect((await shapesOf(tree.groupA1.id)).json().within).toEqual([]);

    const audit = await ctx.deps.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'org.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]?.details))).toEqual({ kind: 'shapes', count: 5 });
  });

  it('replaces an outline on a second import and removes one given a null geometry', async () => {
    await importRegionShapes(ctx.deps, collection(feature('500242105201', square(108.55, 28.95, 0.05))));
    await importRegionShapes(ctx.deps, collection(feature('500242105201', square(108.56, 28.96, 0.04))));
    expect((await shapesOf(tree.villageA.id)).json().region.boundary).toEqual(square(108.56, 28.96, 0.04));
    await importRegionShapes(ctx.deps, collection(feature('500242105201', null)));
    expect((await shapesOf(tree.villageA.id)).json().region.boundary).toBeNull();
  });

  it('imports nothing when any feature is wrong, and names each by its number', async () => {
    const attempt = importRegionShapes(
      ctx.deps,
      collection(
        feature('500242105', square(108.5, 28.9, 0.2)),
        feature('500242999', square(108.5, 28.9, 0.2)),
        feature('12ab', square(108.5, 28.9, 0.2)),
        feature('500242105', square(108.5, 28.9, 0.2)),
        feature('500242208', {
          type: 'Polygon',
          coordinates: [
            [
              [108, 28],
              [109, 28],
              [109, 29],
            ],
          ],
        }),
        { type: 'Feature' },
      ),
    );
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const problems = ((error as AppError).details as { problems: ImportProblem[] }).problems;
    expect(problems.map((p) => [p.line, p.code]).sort()).toEqual(
      [
        [2, 'region_code_unknown'],
        [3, 'region_code_invalid'],
        [4, 'region_code_taken'],
        [5, 'region_boundary_invalid'],
        [6, 'region_code_invalid'],
      ].sort(),
    );
    expect((await shapesOf(tree.townshipA.id)).json().region.boundary).toBeNull();
    await expect(importRegionShapes(ctx.deps, { type: 'Feature' })).rejects.toMatchObject({ code: 'region_boundary_invalid' });
    await expect(importRegionShapes(ctx.deps, null)).rejects.toMatchObject({ code: 'region_boundary_invalid' });
  });

  it('needs a login and a well-formed region id; an unknown region is 404', async () => {
    expect((await ctx.app.inject({ url: `/api/org/region-shapes?regionId=${tree.villageA.id}` })).statusCode).toBe(401);
    expect((await cadre.get('/api/org/region-shapes?regionId=x')).statusCode).toBe(400);
    expect((await cadre.get('/api/org/region-shapes')).statusCode).toBe(400);
    expect((await shapesOf('00000000-0000-7000-8000-00000000abcd')).statusCode).toBe(404);
  });
});
