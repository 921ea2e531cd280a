// A camera's picture as it is kept: the content decides what it is (JPEG or PNG by its first bytes,
// then by the decoder; never the declared type). Before anything is decoded, the picture's own
// header is read here (a few bytes, no decoder): its size past the pixel limit, or a kind no camera
// sends and that costs far more to decode (16-bit or interlaced PNG, 12-bit, lossless or
// arithmetic-coded JPEG, CMYK) is refused. Decodes run a few at a time (DecodeGate); the privacy
// masks are painted solid black on the decoded pixels before any byte is written anywhere, and what
// is kept is re-encoded (no metadata) with a thumbnail.
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../platform/errors.ts';

/** A closed polygon of [x, y] points as fractions (0..1) of the picture's width and height. */
export type Polygon = [number, number][];

/**
 * 4096×3072 (12.6 MP): a 4K camera (3840×2160, 8.3 MP) and the 12 MP (4000×3000) ones with room
 * to spare. Detection works on 320 pixels' width and is measured on 1920×1080; a larger picture
 * only costs decoding time, and an 8K 16-bit one took seconds of a core each.
 */
export const MAX_SNAPSHOT_PIXELS = 4096 * 3072;
/** No side longer than this (a 12 MP picture 1 pixel high is not a camera's either). */
const MAX_INPUT_SIDE = 8192;
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

export type ImageHeader = { format: 'jpeg' | 'png'; width: number; height: number; supported: boolean };

/**
 * The size and kind of a JPEG or PNG from its header alone. Undefined when the header cannot be
 * read; `supported: false` for kinds refused for their decoding cost (see the file's head).
 */
export function readImageHeader(data: Buffer): ImageHeader | undefined {
  const format = sniffImage(data);
  if (format === 'png') {
    // Signature, then IHDR first: length 13, width, height, bit depth, colour type, ..., interlace.
    if (data.length < 33 || data.readUInt32BE(8) !== 13 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    const bitDepth = data[24] as number;
    const colourType = data[25] as number;
    const interlace = data[28] as number;
    const supported = bitDepth <= 8 && [0, 2, 3, 4, 6].includes(colourType) && interlace === 0;
    return { format, width: data.readUInt32BE(16), height: data.readUInt32BE(20), supported };
  }
  if (format === 'jpeg') {
    // Walk the markers to the first start-of-frame; its segment holds precision, height, width, components.
    let at = 2;
    while (at + 4 <= data.length) {
      if (data[at] !== 0xff) return undefined;
      const marker = data[at + 1] as number;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2;
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return undefined;
      const length = data.readUInt16BE(at + 2);
      if (length < 2) return undefined;
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) {
        if (at + 10 > data.length) return undefined;
        const precision = data[at + 4] as number;
        const components = data[at + 9] as number;
        // Baseline, extended and progressive Huffman, 8 bits, grey or colour: what cameras send.
        const supported = marker <= 0xc2 && precision === 8 && (components === 1 || components === 3);
        return { format, width: data.readUInt16BE(at + 7), height: data.readUInt16BE(at + 5), supported };
      }
      at += 2 + length;
    }
  }
  return undefined;
}

export async function prepareSnapshot(input: Buffer, masks: Polygon[], limitBytes: number): Promise<PreparedSnapshot> {
  if (input.length > limitBytes) throw tooLarge(limitBytes);
  const sniffed = sniffImage(input);
  if (!sniffed) throw new AppError('snapshot_not_image');
  const header = readImageHeader(input);
  if (!header || header.width === 0 || header.height === 0) throw new AppError('snapshot_not_image');
  if (header.width * header.height > MAX_SNAPSHOT_PIXELS || Math.max(header.width, header.height) > MAX_INPUT_SIDE) {
    throw tooLarge(limitBytes);
  }
  if (!header.supported) throw new AppError('snapshot_format_unsupported');
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: MAX_SNAPSHOT_PIXELS }).metadata();
  } catch {
    throw new AppError('snapshot_not_image');
  }
  // The decoder must see what the header said: a second frame or a lying header is not a camera's picture.
  if (metadata.format !== sniffed || metadata.width !== header.width || metadata.height !== header.height) {
    throw new AppError('snapshot_not_image');
  }
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

/** How long a camera is asked to wait when every decoding slot and the queue are taken. */
export const BUSY_RETRY_SECONDS = 5;

/**
 * At most `running` pictures decoded at once and `waiting` more queued: a burst of large pictures
 * cannot take every core from the rest of the server. A push that finds the queue full is refused
 * (503 snapshot_busy, Retry-After) and the camera sends again; the pull job waits its turn, since
 * it takes only a few cameras at a time itself.
 */
export class DecodeGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limits: { running: number; waiting: number }) {}

  async run<T>(work: () => Promise<T>, options: { mayQueueBeyondLimit: boolean }): Promise<T> {
    if (this.active >= this.limits.running) {
      if (this.queue.length >= this.limits.waiting && !options.mayQueueBeyondLimit) {
        throw new AppError('snapshot_busy', { seconds: BUSY_RETRY_SECONDS });
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.length };
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
