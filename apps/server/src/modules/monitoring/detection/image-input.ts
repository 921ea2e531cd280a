// Decoding of camera pictures for the change detector: the bytes are checked (an image, not empty,
// within the limits) and reduced to a small greyscale plane, WORK_WIDTH pixels wide. Comparing at
// this size is what makes detection cheap (about 60,000 pixels per 1920×1080 snapshot), and the
// area averaging of the reduction removes most sensor noise and rain streaks for free.
import sharp from 'sharp';

export const WORK_WIDTH = 320;
/** Limits on what a camera may send: larger files or pictures are refused before decoding. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 40_000_000;
const MIN_SIDE = 16;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

export type DetectionErrorCode =
  | 'not_an_image'
  | 'empty_image'
  | 'image_too_large'
  | 'image_too_small'
  | 'invalid_polygon'
  | 'baseline_mismatch'
  | 'queue_full'
  | 'worker_closed'
  | 'worker_failed';

const MESSAGES: Record<DetectionErrorCode, string> = {
  not_an_image: 'The data is not a JPEG, PNG or WebP picture',
  empty_image: 'The picture is empty',
  image_too_large: `The picture is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB or ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`,
  image_too_small: `The picture is smaller than ${MIN_SIDE}×${MIN_SIDE} pixels`,
  invalid_polygon: 'A watch area or privacy mask is not a polygon of at least three points between 0 and 1',
  baseline_mismatch: 'The snapshot does not have the shape of the baseline (another camera or resolution)',
  queue_full: 'Too many pictures are waiting for detection',
  worker_closed: 'The detection worker is closed',
  worker_failed: 'The detection worker stopped unexpectedly',
};

/** A refusal with a stable code; the message never repeats the input. */
export class DetectionError extends Error {
  readonly code: DetectionErrorCode;
  constructor(code: DetectionErrorCode) {
    super(MESSAGES[code]);
    this.name = 'DetectionError';
    this.code = code;
  }
}

export function isDetectionErrorCode(code: unknown): code is DetectionErrorCode {
  return typeof code === 'string' && code in MESSAGES;
}

/** A greyscale picture reduced to WORK_WIDTH wide, 0–255, with the size it came from. */
export type WorkingPlane = { width: number; height: number; sourceWidth: number; sourceHeight: number; grey: Uint8Array };

/** Checks that the bytes are an accepted picture within the limits; returns its size. */
export async function inspectImage(image: Uint8Array): Promise<{ width: number; height: number }> {
  if (!(image instanceof Uint8Array) || image.byteLength === 0) throw new DetectionError('empty_image');
  if (image.byteLength > MAX_IMAGE_BYTES) throw new DetectionError('image_too_large');
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(image, { limitInputPixels: false }).metadata();
    if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw new DetectionError('not_an_image');
    width = meta.width ?? 0;
    height = meta.height ?? 0;
  } catch (error) {
    if (error instanceof DetectionError) throw error;
    throw new DetectionError('not_an_image');
  }
  if (width * height > MAX_IMAGE_PIXELS) throw new DetectionError('image_too_large');
  if (width < MIN_SIDE || height < MIN_SIDE) throw new DetectionError('image_too_small');
  return { width, height };
}

export async function decodeWorkingPlane(image: Uint8Array, target?: { width: number; height: number }): Promise<WorkingPlane> {
  const { width: sourceWidth, height: sourceHeight } = await inspectImage(image);
  const width = target?.width ?? Math.min(WORK_WIDTH, sourceWidth);
  const height = target?.height ?? Math.max(1, Math.round((sourceHeight * width) / sourceWidth));
  if (target && Math.abs(sourceWidth / sourceHeight - target.width / target.height) > 0.02 * (target.width / target.height)) {
    throw new DetectionError('baseline_mismatch');
  }
  try {
    const { data } = await sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
      .resize({ width, height, fit: 'fill', kernel: 'cubic' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // One channel after greyscale(); a picture with alpha keeps it, so take every n-th byte.
    const channels = data.length / (width * height);
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = data[i * channels] as number;
    return { width, height, sourceWidth, sourceHeight, grey };
  } catch {
    throw new DetectionError('not_an_image');
  }
}
