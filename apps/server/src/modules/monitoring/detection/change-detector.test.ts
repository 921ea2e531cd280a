import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectChange, type PreparedBaseline, prepareBaseline } from './change-detector.ts';
import { DetectionError, MAX_IMAGE_BYTES } from './image-input.ts';
import { iou } from './scene-evaluation.ts';
import { makeCase, renderBaseline, renderSnapshot, type SceneCase, TUNING_RANGES } from './scenes.ts';

// Small pictures (480×270) keep these fast; scenes.test.ts runs whole sequences, a few at 1920×1080.
const W = 480;
const H = 270;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DetectionError);
    return (error as DetectionError).code;
  }
  throw new Error('expected a refusal');
}

/** A PNG whose header claims another size (the pixels are never decoded). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('change detector', () => {
  let scene: SceneCase;
  let baseline: PreparedBaseline;
  beforeAll(async () => {
    scene = makeCase('structure', 4, TUNING_RANGES);
    baseline = await prepareBaseline(await renderBaseline(scene, W, H));
  });

  it('prepares a baseline as plain data at the working size', () => {
    expect(baseline).toMatchObject({ kind: 'monitoring.baseline', version: 1, width: 320, height: 180, sourceWidth: W, sourceHeight: H });
    expect(structuredClone(baseline).grey).toEqual(baseline.grey);
  });

  it('finds a new structure where it stands', async () => {
    const result = await detectChange({
      baseline,
      snapshot: await renderSnapshot(scene, 0, W, H),
      watchArea: scene.watchArea,
      privacyMasks: scene.privacyMasks,
    });
    expect(result.regions.length).toBeGreaterThan(0);
    const truth = scene.expected.box;
    if (!truth) throw new Error('the case has a structure');
    expect(iou(result.regions[0]?.box ?? { x: 0, y: 0, width: 0, height: 0 }, truth)).toBeGreaterThan(0.3);
    expect(result.changedFraction).toBeGreaterThan(0.01);
    expect(result.score).toBeGreaterThan(0.3);
  });

  it('the same picture is no change', async () => {
    const same = await renderBaseline(scene, W, H);
    const result = await detectChange({ baseline, snapshot: same, watchArea: scene.watchArea });
    expect(result).toMatchObject({ regions: [], changedFraction: 0, score: 0 });
  });

  it('nothing is reported behind a privacy mask, even when the whole structure is there', async () => {
    const truth = scene.expected.box;
    if (!truth) throw new Error('the case has a structure');
    const m = 0.03;
    const mask = [
      { x: truth.x - m, y: truth.y - m },
      { x: truth.x + truth.width + m, y: truth.y - m },
      { x: truth.x + truth.width + m, y: truth.y + truth.height + m },
      { x: truth.x - m, y: truth.y + truth.height + m },
    ];
    const result = await detectChange({
      baseline,
      snapshot: await renderSnapshot(scene, 0, W, H),
      watchArea: scene.watchArea,
      privacyMasks: [...scene.privacyMasks, mask],
    });
    expect(result.regions.filter((r) => iou(r.box, truth) > 0)).toEqual([]);
  });

  it('refuses bad input with typed errors', async () => {
    const watchArea = scene.watchArea;
    const detect = (snapshot: Uint8Array) => detectChange({ baseline, snapshot, watchArea });
    expect(await refusal(detect(new Uint8Array()))).toBe('empty_image');
    expect(await refusal(detect(Buffer.from('GIF89a or rather not a picture at all')))).toBe('not_an_image');
    expect(await refusal(detect(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="225"/>')))).toBe('not_an_image');
    expect(await refusal(detect(Buffer.alloc(MAX_IMAGE_BYTES + 1)))).toBe('image_too_large');
    expect(await refusal(detect(await pngClaiming(10_000, 5_000)))).toBe('image_too_large');
    expect(await refusal(detect(await pngClaiming(8, 8)))).toBe('image_too_small');
    const square = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    expect(await refusal(detect(square))).toBe('baseline_mismatch');
    const snapshot = await renderBaseline(scene, W, H);
    expect(await refusal(detectChange({ baseline, snapshot, watchArea: [{ x: 0, y: 0 }] }))).toBe('invalid_polygon');
    expect(
      await refusal(
        detectChange({
          baseline,
          snapshot,
          watchArea,
          privacyMasks: [
            [
              { x: 0, y: 0 },
              { x: 2, y: 0 },
              { x: 0, y: 1 },
            ],
          ],
        }),
      ),
    ).toBe('invalid_polygon');
    expect(await refusal(prepareBaseline(Buffer.from('nope')))).toBe('not_an_image');
  });
});
