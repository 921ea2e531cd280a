// When a call drops its video for audio on a weak network, and when it takes the video back. Read
// from the sending side's WebRTC statistics every few seconds: the bandwidth the congestion control
// estimates for sending, the loss and round trip the far side reports. Video needs far more than a
// voice: below about 150 kbit/s, or with a tenth of the packets lost, the picture freezes and the
// voice breaks up with it, so the video is stopped and the voice carries on. It comes back only
// after the network has been good for a while, so a call does not flap between the two.

export type QualitySample = {
  /** candidate-pair availableOutgoingBitrate, bit/s; undefined when the browser gives none yet. */
  outgoingBitrate?: number;
  /** remote-inbound-rtp fractionLost of the video (0..1). */
  fractionLost?: number;
  /** candidate-pair currentRoundTripTime, seconds. */
  roundTripTime?: number;
};

export const WEAK_BITRATE = 150_000;
export const WEAK_LOSS = 0.1;
export const WEAK_RTT = 1;
/** Weak this many samples in a row: drop the video. */
export const WEAK_SAMPLES = 2;
/** Good this many in a row: take the video back. */
export const GOOD_SAMPLES = 5;
/** Taking the video back needs this much more than dropping it. */
export const GOOD_BITRATE = 300_000;

export const isWeak = (s: QualitySample): boolean =>
  (s.outgoingBitrate !== undefined && s.outgoingBitrate < WEAK_BITRATE) ||
  (s.fractionLost !== undefined && s.fractionLost >= WEAK_LOSS) ||
  (s.roundTripTime !== undefined && s.roundTripTime >= WEAK_RTT);

const isGood = (s: QualitySample): boolean =>
  !isWeak(s) && (s.outgoingBitrate === undefined || s.outgoingBitrate >= GOOD_BITRATE) && (s.fractionLost ?? 0) < WEAK_LOSS / 2;

/** Whether the video should be on after these samples (latest last), given whether it is on now. */
export function videoShouldBeOn(samples: readonly QualitySample[], videoOn: boolean): boolean {
  if (videoOn) {
    const recent = samples.slice(-WEAK_SAMPLES);
    return !(recent.length === WEAK_SAMPLES && recent.every(isWeak));
  }
  const recent = samples.slice(-GOOD_SAMPLES);
  return recent.length === GOOD_SAMPLES && recent.every(isGood);
}

/** The figures a sample is made of, from an RTCStatsReport (the selected pair and the video's far-side report). */
export function sampleOf(report: Iterable<[string, Record<string, unknown>]> | Map<string, Record<string, unknown>>): QualitySample {
  const sample: QualitySample = {};
  for (const [, stat] of report) {
    if (stat.type === 'candidate-pair' && (stat.nominated === true || stat.selected === true) && stat.state === 'succeeded') {
      if (typeof stat.availableOutgoingBitrate === 'number') sample.outgoingBitrate = stat.availableOutgoingBitrate;
      if (typeof stat.currentRoundTripTime === 'number') sample.roundTripTime = stat.currentRoundTripTime;
    }
    if (stat.type === 'remote-inbound-rtp' && stat.kind === 'video' && typeof stat.fractionLost === 'number') {
      sample.fractionLost = stat.fractionLost;
    }
  }
  return sample;
}
