// What is kept of a camera's picture: masks solid black on every kind of input (colour, grey,
// with alpha, 16-bit), bounded size, no metadata, and the first bytes deciding what it is.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { prepareSnapshot, sniffImage } from './snapshot-image.ts';

const LEFT_HALF: [number, number][] = [
  [0, 0],
  [0.5, 0],
  [0.5, 1],
  [0, 1],
];

async function brightness(jpeg: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data[y * info.width + x] as number;
}

describe('a camera picture as it is kept', () => {
  it('blacks out the masks on colour, grey, alpha and 16-bit pictures', async () => {
    const white = { width: 300, height: 200, background: '#ffffff' };
    const inputs = {
      rgbJpeg: await sharp({ create: { ...white, channels: 3 } })
        .jpeg()
        .toBuffer(),
      greyJpeg: await sharp({ create: { ...white, channels: 3 } })
        .greyscale()
        .jpeg()
        .toBuffer(),
      rgbaPng: await sharp({ create: { ...white, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0.5 } } })
        .png()
        .toBuffer(),
      deepPng: await sharp({ create: { ...white, channels: 3 } })
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
    };
    for (const [name, input] of Object.entries(inputs)) {
      const kept = await prepareSnapshot(input, [LEFT_HALF], 10_000_000);
      expect([name, (await sharp(kept.full).metadata()).format]).toEqual([name, 'jpeg']);
      expect(await brightness(kept.full, 60, 100), name).toBeLessThan(10);
      expect(await brightness(kept.full, 148, 10), name).toBeLessThan(10);
      expect(await brightness(kept.full, 250, 150), name).toBeGreaterThan(100);
      expect(await brightness(kept.thumb, 10, 10), name).toBeLessThan(10);
    }
  });

  it('keeps at most 3840 pixels a side, drops metadata, and hashes what it keeps', async () => {
    const big = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#777' } })
      .withMetadata({ exif: { IFD0: { Artist: 'someone', Copyright: 'GPS 28.8,108.7' } } })
      .jpeg()
      .toBuffer();
    const kept = await prepareSnapshot(big, [], 10_000_000);
    expect([kept.width, kept.height]).toEqual([3840, 768]);
    const metadata = await sharp(kept.full).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(kept.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decides by the first bytes, then by the decoder', async () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImage(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe('png');
    expect(sniffImage(Buffer.from('GIF89a'))).toBeUndefined();
    const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    const refused = async (input: Buffer) =>
      prepareSnapshot(input, [], 10_000_000).then(
        () => 'kept',
        (e) => (e instanceof AppError ? e.code : 'other'),
      );
    expect(await refused(webp)).toBe('snapshot_not_image');
    // A PNG signature in front of a JPEG: the decoder disagrees with the first bytes.
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    expect(await refused(Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), jpeg]))).toBe('snapshot_not_image');
    expect(await refused(Buffer.alloc(0))).toBe('snapshot_not_image');
    expect(await refused(Buffer.concat([jpeg, Buffer.alloc(100)]).subarray(0, 20))).toBe('snapshot_not_image');
    expect(await refused(Buffer.alloc(2000, 0xff))).toBe('snapshot_not_image');
    expect(await refused(Buffer.concat([jpeg, Buffer.alloc(1000)]))).not.toBe('other');
    const limit = jpeg.length - 1;
    expect(
      await prepareSnapshot(jpeg, [], limit).then(
        () => 'kept',
        (e) => e.code,
      ),
    ).toBe('snapshot_too_large');
  });
});
