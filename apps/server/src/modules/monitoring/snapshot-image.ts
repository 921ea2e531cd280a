// A camera's picture as it is kept: the content decides what it is (JPEG or PNG by its first bytes,
// then by the decoder; never the declared type), pictures past the pixel limit are refused before
// they are decoded, the privacy masks are painted solid black on the decoded pixels before any
// byte is written anywhere, and what is kept is re-encoded (no metadata) with a thumbnail.
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../platform/errors.ts';

/** A closed polygon of [x, y] points as fractions (0..1) of the picture's width and height. */
export type Polygon = [number, number][];

/** 8K UHD (7680×4320): no surveillance camera sends more; a "picture" claiming more is a decoding bomb. */
export const MAX_SNAPSHOT_PIXELS = 7680 * 4320;
/** Kept at most this wide or high: enough for the detector (1920×1080) and the evidence. */
const MAX_SIDE = 3840;
const THUMB_SIDE = 480;

export type PreparedSnapshot = { full: Buffer; thumb: Buffer; width: number; height: number; sha256: string };

export function sniffImage(data: Buffer): 'jpeg' | 'png' | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length >= 8 && png.every((byte, i) => data[i] === byte)) return 'png';
  return undefined;
}

export function tooLarge(limitBytes: number): AppError {
  return new AppError('snapshot_too_large', {
    megabytes: Math.round((limitBytes / 1_048_576) * 10) / 10,
    megapixels: Math.round(MAX_SNAPSHOT_PIXELS / 1_000_000),
  });
}

export async function prepareSnapshot(input: Buffer, masks: Polygon[], limitBytes: number): Promise<PreparedSnapshot> {
  if (input.length > limitBytes) throw tooLarge(limitBytes);
  const sniffed = sniffImage(input);
  if (!sniffed) throw new AppError('snapshot_not_image');
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('snapshot_not_image');
  }
  if (metadata.format !== sniffed || !metadata.width || !metadata.height) throw new AppError('snapshot_not_image');
  if (metadata.width * metadata.height > MAX_SNAPSHOT_PIXELS) throw tooLarge(limitBytes);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_SNAPSHOT_PIXELS, failOn: 'error' })
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    if (masks.length > 0) image = image.composite([{ input: maskLayer(masks, info.width, info.height), top: 0, left: 0 }]);
    const full = await image.jpeg({ quality: 85 }).toBuffer();
    const thumb = await sharp(full).resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside' }).jpeg({ quality: 75 }).toBuffer();
    return { full, thumb, width: info.width, height: info.height, sha256: createHash('sha256').update(full).digest('hex') };
  } catch {
    throw new AppError('snapshot_not_image');
  }
}

/** The masks as an SVG of the picture's size: black polygons, with a stroke so no edge pixel shows through. */
export function maskLayer(masks: Polygon[], width: number, height: number): Buffer {
  const shapes = masks.map((polygon) => {
    const points = polygon.map(([x, y]) => `${(x * width).toFixed(1)},${(y * height).toFixed(1)}`).join(' ');
    return `<polygon points="${points}" fill="#000" stroke="#000" stroke-width="3"/>`;
  });
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`);
}
