import { describe, expect, it } from 'vitest';
import { GOOD_SAMPLES, sampleOf, videoShouldBeOn } from './video-quality.ts';

const good = { outgoingBitrate: 1_200_000, fractionLost: 0, roundTripTime: 0.05 };
const weak = { outgoingBitrate: 90_000, fractionLost: 0.02, roundTripTime: 0.3 };

describe('audio fallback on a weak network', () => {
  it('drops the video after two weak samples in a row, not after one', () => {
    expect(videoShouldBeOn([good, weak], true)).toBe(true);
    expect(videoShouldBeOn([good, weak, weak], true)).toBe(false);
    expect(videoShouldBeOn([weak, { ...good, fractionLost: 0.25 }], true)).toBe(false);
    expect(videoShouldBeOn([weak, { ...good, roundTripTime: 1.5 }], true)).toBe(false);
  });

  it('takes the video back only after the network has been good for a while', () => {
    expect(videoShouldBeOn([weak, good, good], false)).toBe(false);
    expect(videoShouldBeOn(Array(GOOD_SAMPLES).fill(good), false)).toBe(true);
    // Just above the weak line is not good enough to come back: no flapping.
    expect(videoShouldBeOn(Array(GOOD_SAMPLES).fill({ ...good, outgoingBitrate: 200_000 }), false)).toBe(false);
  });

  it('reads the selected pair and the far side’s video report out of the statistics', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['p1', { type: 'candidate-pair', nominated: true, state: 'succeeded', availableOutgoingBitrate: 80_000, currentRoundTripTime: 0.4 }],
      ['p2', { type: 'candidate-pair', nominated: false, state: 'failed', availableOutgoingBitrate: 9_000_000 }],
      ['r1', { type: 'remote-inbound-rtp', kind: 'video', fractionLost: 0.125 }],
      ['r2', { type: 'remote-inbound-rtp', kind: 'audio', fractionLost: 0.5 }],
    ]);
    expect(sampleOf(report)).toEqual({ outgoingBitrate: 80_000, roundTripTime: 0.4, fractionLost: 0.125 });
  });
});
