// A camera's direction in words (朝西 / facing west) rather than a bare "270°": the nearest of the
// eight compass points, degrees clockwise from north.
export const COMPASS_POINTS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type CompassPoint = (typeof COMPASS_POINTS)[number];

export function compassPoint(degrees: number): CompassPoint {
  const turned = ((degrees % 360) + 360) % 360;
  return COMPASS_POINTS[Math.round(turned / 45) % 8] as CompassPoint;
}
