// Cameras for the monitoring tests: what a cadre posts to register one, and plain pictures to push.
import sharp from 'sharp';

/**
 * The body of POST /api/monitoring/cameras: a market-town camera in `regionId` that pushes its
 * pictures. Overrides win; an override of `undefined` leaves the field out of the JSON sent.
 */
export const cameraInput = (regionId: string, overrides: Record<string, unknown> = {}) => ({
  regionId,
  name: '集镇十字路口',
  latitude: 28.84,
  longitude: 108.77,
  directionDegrees: 90,
  owner: '黑水镇综合执法队',
  purpose: 'marketTown',
  publicSignRef: 'GS-2026-001',
  retentionDays: 30,
  privacyMasks: [],
  source: 'push',
  ...overrides,
});

/** A JPEG of one colour: the least a camera can push. */
export const plainPicture = (
  background: string | { r: number; g: number; b: number } = '#ffffff',
  width = 200,
  height = 100,
): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background } })
    .jpeg()
    .toBuffer();
