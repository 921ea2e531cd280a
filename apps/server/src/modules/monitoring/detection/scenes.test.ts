import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectChange, prepareBaseline } from './change-detector.ts';
import { evaluateCase, iou } from './scene-evaluation.ts';
import { HELD_OUT_RANGES, heldOutSet, makeCase, renderBaseline, renderSnapshot, SCENE_KINDS, TUNING_RANGES, tuningSet } from './scenes.ts';

// Whole sequences (baseline + 4 snapshots, persistence 3) at 480×270: the detector works on a
// 320-wide reduction, so this exercises the same comparison as 1920×1080 at a tenth of the painting.
// Together the six cases cover every scene kind: a structure appearing (at night, in the rain,
// with shake, under a moving shadow), and light, rain, shake, passers-by, shadow and dusk alone.
const W = 480;
const H = 270;

describe('synthetic scenes through detector and persistence', () => {
  it.each([
    ['structure+night', 7],
    ['structure+rain', 8],
    ['structure+shake', 9],
    ['structure+shadow', 10],
  ] as const)('%s (tuning seed %i): one finding, where the structure stands', async (kind, seed) => {
    const outcome = await evaluateCase(makeCase(kind, seed, TUNING_RANGES), { width: W, height: H });
    expect(outcome.truePositive).toBe(true);
    expect(outcome.falsePositives).toBe(0);
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings[0]?.snapshotIds).toHaveLength(3);
  });

  it.each([
    ['light+rain+shake', 11],
    ['passing+shadow+dusk', 12],
  ] as const)('%s (tuning seed %i): no finding', async (kind, seed) => {
    const outcome = await evaluateCase(makeCase(kind, seed, TUNING_RANGES), { width: W, height: H });
    expect(outcome.findings).toEqual([]);
  });

  it('a 1920×1080 snapshot with a new structure is found in place', async () => {
    const scene = makeCase('structure', 1, TUNING_RANGES);
    const baseline = await prepareBaseline(await renderBaseline(scene));
    expect(baseline).toMatchObject({ sourceWidth: 1920, sourceHeight: 1080 });
    const result = await detectChange({
      baseline,
      snapshot: await renderSnapshot(scene, 0),
      watchArea: scene.watchArea,
      privacyMasks: scene.privacyMasks,
    });
    const truth = scene.expected.box;
    if (!truth) throw new Error('the case has a structure');
    expect(iou(result.regions[0]?.box ?? { x: 0, y: 0, width: 0, height: 0 }, truth)).toBeGreaterThan(0.3);
  });
});

describe('scene sets', () => {
  it('are seeded: the same case paints the same picture', async () => {
    const a = await renderSnapshot(makeCase('passing', 3, TUNING_RANGES), 1, 160, 90);
    const b = await renderSnapshot(makeCase('passing', 3, TUNING_RANGES), 1, 160, 90);
    expect(a.equals(b)).toBe(true);
    expect(await sharp(a).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 90 });
  });

  it('keep tuning and held-out apart: other seeds, other ranges, every kind in both', () => {
    const tuning = tuningSet();
    const heldOut = heldOutSet();
    const seeds = (set: typeof tuning) => new Set(set.map((c) => c.layout.seed));
    expect([...seeds(tuning)].some((s) => seeds(heldOut).has(s))).toBe(false);
    for (const kind of SCENE_KINDS) {
      expect(tuning.some((c) => c.kind === kind)).toBe(true);
      expect(heldOut.some((c) => c.kind === kind)).toBe(true);
    }
    expect(HELD_OUT_RANGES.structureKinds).toContain('storey');
    expect(TUNING_RANGES.structureKinds).not.toContain('storey');
    // Five of the twelve kinds have a structure.
    expect(heldOut.filter((c) => c.expected.finding).length).toBe((heldOut.length * 5) / 12);
  });
});
