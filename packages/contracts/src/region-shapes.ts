// Region shapes (org): the outline of a region as a GeoJSON geometry in WGS84 (RFC 7946:
// [longitude, latitude], outer ring first, rings closed), bundled with the installation so that
// maps draw without tiles from the internet.
import { type Static, Type } from 'typebox';
import { Id, Nullable } from './common.ts';
import { REGION_LEVELS, type RegionLevel } from './roles.ts';

export const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[longitude, latitude] in WGS84' });
export const LinearRing = Type.Array(Position, { minItems: 4, maxItems: 5000 });
export const PolygonGeometry = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(LinearRing, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export const MultiPolygonGeometry = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(LinearRing, { minItems: 1, maxItems: 50 }), { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export const Boundary = Type.Union([PolygonGeometry, MultiPolygonGeometry]);
export type Boundary = Static<typeof Boundary>;
export type PolygonBoundary = Static<typeof PolygonGeometry>;

export const RegionShape = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Unsafe<RegionLevel>({ type: 'string', enum: [...REGION_LEVELS] }),
  parentId: Nullable(Type.String()),
  boundary: Type.Union([Boundary, Type.Null()]),
});
export type RegionShape = Static<typeof RegionShape>;

export const RegionShapesQuery = Type.Object({ regionId: Id }, { additionalProperties: false });

/** A region's outline and those of the regions one and two levels under it that have one. */
export const RegionShapes = Type.Object({ region: RegionShape, within: Type.Array(RegionShape) });
export type RegionShapes = Static<typeof RegionShapes>;
