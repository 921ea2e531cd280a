import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DetectionError } from './image-input.ts';
import { renderOutline } from './outline.ts';

describe('outline', () => {
  it('draws the changed area on the after picture: a JPEG of the same size', async () => {
    const after = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#606060' } })
      .jpeg()
      .toBuffer();
    const out = await renderOutline(after, [{ x: 0.25, y: 0.25, width: 0.5, height: 0.5 }]);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    const [r, g, b] = at(157, 180); // on the left edge of the rectangle (outside by the stroke)
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
    expect(at(320, 180)[0]).toBeLessThan(120); // the inside is untouched
  });

  it('refuses what is not a picture', async () => {
    await expect(renderOutline(Buffer.from('no'), [])).rejects.toBeInstanceOf(DetectionError);
  });
});
