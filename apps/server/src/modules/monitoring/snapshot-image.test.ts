// What is kept of a camera's picture: masks solid black on every kind of input (colour, grey,
// with alpha), bounded size, no metadata, and the first bytes deciding what it is. Sizes and kinds
// that cost too much to decode (an 8K 16-bit PNG, 12-bit or CMYK JPEG) are refused from the header
// before any decoding, and decodes run a few at a time.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { DecodeGate, MAX_SNAPSHOT_PIXELS, prepareSnapshot, readImageHeader, sniffImage } from './snapshot-image.ts';

const PNG_SIGNATURE = Buffer.from('\x89PNG\r\n\x1a\n', 'latin1');

/** A PNG's signature and IHDR as a camera (or an attacker) sends them, then filler: enough for the header. */
function pngHeader(width: number, height: number, bitDepth: number, colourType = 2, interlace = 0): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = bitDepth;
  ihdr[17] = colourType;
  ihdr[20] = interlace;
  return Buffer.concat([PNG_SIGNATURE, ihdr, Buffer.alloc(200, 0x55)]);
}

/** A JPEG's start and one start-of-frame segment (marker, precision, size, components), then filler. */
function jpegHeader(marker: number, precision: number, width: number, height: number, components: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.alloc(10);
  sof[0] = 0xff;
  sof[1] = marker;
  sof.writeUInt16BE(8 + 3 * components, 2);
  sof[4] = precision;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  sof[9] = components;
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(3 * components + 200, 0x11)]);
}

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'kept',
    (e) => (e instanceof AppError ? e.code : 'other'),
  );

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
  it('blacks out the masks on colour, grey and alpha pictures', async () => {
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

  it('refuses from the header, before decoding, pictures too large or of kinds too costly to decode', async () => {
    // The attacker's picture: 8K (7680×4320) 16-bit PNG, 33 MP, once under the old limit.
    expect(readImageHeader(pngHeader(7680, 4320, 16))).toEqual({ format: 'png', width: 7680, height: 4320, supported: false });
    expect(await codeOf(prepareSnapshot(pngHeader(7680, 4320, 16), [], 10_000_000))).toBe('snapshot_too_large');
    expect(await codeOf(prepareSnapshot(pngHeader(7680, 4320, 8), [], 10_000_000))).toBe('snapshot_too_large');
    expect(await codeOf(prepareSnapshot(pngHeader(4097, 3072, 8), [], 10_000_000))).toBe('snapshot_too_large');
    expect(await codeOf(prepareSnapshot(pngHeader(9000, 100, 8), [], 10_000_000))).toBe('snapshot_too_large');
    expect(await codeOf(prepareSnapshot(jpegHeader(0xc0, 8, 8000, 6000, 3), [], 10_000_000))).toBe('snapshot_too_large');
    expect(MAX_SNAPSHOT_PIXELS).toBe(4096 * 3072);
    // Small, but 16-bit, interlaced, 12-bit, lossless, arithmetic-coded or CMYK: not what cameras send.
    const unsupported = {
      png16: pngHeader(64, 64, 16),
      pngInterlaced: pngHeader(64, 64, 8, 2, 1),
      jpeg12: jpegHeader(0xc1, 12, 64, 64, 3),
      jpegLossless: jpegHeader(0xc3, 8, 64, 64, 3),
      jpegArithmetic: jpegHeader(0xc9, 8, 64, 64, 3),
      jpegCmyk: jpegHeader(0xc0, 8, 64, 64, 4),
      realPng16: await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
      realInterlaced: await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
        .png({ progressive: true })
        .toBuffer(),
      realCmyk: await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer(),
    };
    for (const [name, input] of Object.entries(unsupported)) {
      expect([name, await codeOf(prepareSnapshot(input, [], 10_000_000))]).toEqual([name, 'snapshot_format_unsupported']);
    }
    // What cameras send is read from the header exactly as the decoder sees it.
    const progressive = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#abc' } })
      .jpeg({ progressive: true })
      .toBuffer();
    expect(readImageHeader(progressive)).toEqual({ format: 'jpeg', width: 640, height: 360, supported: true });
    expect(await codeOf(prepareSnapshot(progressive, [], 10_000_000))).toBe('kept');
    const grey = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#777' } })
      .greyscale()
      .png()
      .toBuffer();
    expect(readImageHeader(grey)).toMatchObject({ format: 'png', width: 4000, height: 3000, supported: true });
  });

  it('decodes a few pictures at a time; a push finding the queue full is told to come back', async () => {
    const gate = new DecodeGate({ running: 2, waiting: 1 });
    const releases: (() => void)[] = [];
    const held = () => new Promise<void>((resolve) => releases.push(resolve));
    const started: number[] = [];
    const runs = [1, 2, 3].map((n) =>
      gate.run(
        async () => {
          started.push(n);
          await held();
          return n;
        },
        { mayQueueBeyondLimit: false },
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    expect(gate.busy).toEqual({ running: 2, waiting: 1 });
    const refused = await codeOf(gate.run(async () => 4, { mayQueueBeyondLimit: false }));
    expect(refused).toBe('snapshot_busy');
    // The pull job waits its turn instead.
    const pulled = gate.run(async () => 5, { mayQueueBeyondLimit: true });
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all([...runs, pulled])).toEqual([1, 2, 3, 5]);
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
    // A failed decode frees its slot too.
    const failed = gate.run(() => Promise.reject(new AppError('snapshot_not_image')), { mayQueueBeyondLimit: false });
    expect(await codeOf(failed)).toBe('snapshot_not_image');
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
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
