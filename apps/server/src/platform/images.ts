// Photos as people send them from phones: the content decides what a file is (never its name or
// declared type), the picture is turned upright, re-encoded without its metadata (GPS position,
// device, owner), bounded in size, and given a thumbnail.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from './errors.ts';

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif']);
const MAX_SIDE = 2048;
const THUMB_SIDE = 320;
/** Decoding bombs: a small file that claims a gigantic picture is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export type Photo = { full: Buffer; thumb: Buffer; width: number; height: number; sha256: string };

/** A part of the picture as fractions of its width and height (0–1), e.g. a face or a number plate. */
export type Region = { x: number; y: number; width: number; height: number };

export async function acceptPhoto(input: Buffer): Promise<Photo> {
  let format: string | undefined;
  try {
    format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw new AppError('not_an_image');
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw new AppError('not_an_image');
  try {
    // sharp writes no metadata unless asked to: EXIF, XMP, IPTC and ICC comments are all dropped.
    const { data: full, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await thumbnail(full);
    return { full, thumb, width: info.width, height: info.height, sha256: createHash('sha256').update(full).digest('hex') };
  } catch {
    throw new AppError('not_an_image');
  }
}

export function thumbnail(full: Buffer): Promise<Buffer> {
  return sharp(full)
    .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 75 })
    .toBuffer();
}

/** A copy with each region blurred past recognition (pixelated, then blurred), for the public. */
export async function blurRegions(full: Buffer, regions: Region[]): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(full).metadata();
  const overlays = [];
  for (const region of regions) {
    const left = clamp(Math.floor(region.x * width), 0, width - 1);
    const top = clamp(Math.floor(region.y * height), 0, height - 1);
    const w = clamp(Math.ceil(region.width * width), 1, width - left);
    const h = clamp(Math.ceil(region.height * height), 1, height - top);
    const tiny = await sharp(full)
      .extract({ left, top, width: w, height: h })
      .resize({ width: Math.max(1, Math.round(w / 16)), height: Math.max(1, Math.round(h / 16)), fit: 'fill' })
      .toBuffer();
    const covered = await sharp(tiny)
      .resize({ width: w, height: h, fit: 'fill', kernel: 'nearest' })
      .blur(Math.max(2, Math.min(w, h) / 20))
      .toBuffer();
    overlays.push({ input: covered, left, top });
  }
  return sharp(full).composite(overlays).jpeg({ quality: 82 }).toBuffer();
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
