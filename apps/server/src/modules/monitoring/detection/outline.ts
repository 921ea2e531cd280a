// The "after" picture with the changed area outlined, for the finding's evidence: the snapshot at
// its own size with a coloured rectangle around each changed box, as JPEG.
import sharp from 'sharp';
import type { NormalisedBox } from './change-detector.ts';
import { DetectionError, inspectImage, MAX_IMAGE_PIXELS } from './image-input.ts';

export type OutlineOptions = {
  /** CSS colour of the outline (default a red that reads on grey streets and at night). */
  colour?: string;
  /** JPEG quality (default 85). */
  quality?: number;
};

const COLOUR = /^#[0-9a-f]{6}$/i;

export async function renderOutline(image: Uint8Array, boxes: NormalisedBox[], options: OutlineOptions = {}): Promise<Buffer> {
  const { width, height } = await inspectImage(image);
  const colour = options.colour ?? '#ff2020';
  if (!COLOUR.test(colour)) throw new TypeError('colour must be #rrggbb');
  const stroke = Math.max(3, Math.round(width / 320));
  const rects = boxes
    .filter((b) => [b.x, b.y, b.width, b.height].every(Number.isFinite))
    .slice(0, 64)
    .map((b) => {
      // Outside the changed pixels by half a stroke, kept inside the picture.
      const x = clamp(b.x * width - stroke, stroke / 2, width - stroke / 2);
      const y = clamp(b.y * height - stroke, stroke / 2, height - stroke / 2);
      const x2 = clamp((b.x + b.width) * width + stroke, stroke / 2, width - stroke / 2);
      const y2 = clamp((b.y + b.height) * height + stroke, stroke / 2, height - stroke / 2);
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, x2 - x).toFixed(1)}" height="${Math.max(1, y2 - y).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`;
    });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects.join('')}</svg>`;
  try {
    return await sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS })
      .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
      .jpeg({ quality: options.quality ?? 85 })
      .toBuffer();
  } catch {
    throw new DetectionError('not_an_image');
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
