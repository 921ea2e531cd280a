// One side of a call's WebRTC connection. The side that started the call makes the offer once the
// other has answered; the platform relays the offer, the answer and the ICE candidates (and only
// to the other side). Media goes browser to browser, or through the county's TURN server when no
// direct path exists. The sender watches its statistics and drops its video for voice alone on a
// weak network (video-quality.ts), telling the other side so that it shows why the picture stopped.
import type { SignalInput } from '@cunzhi/contracts/care-calls';
import type { CallApi } from './api/calls.ts';
import { type QualitySample, sampleOf, videoShouldBeOn } from './video-quality.ts';

/** call: voice and video both ways; lookCamera: the home device sends its camera only; lookViewer: the family member only watches. */
export type PeerMedia = 'call' | 'lookCamera' | 'lookViewer';

export type PeerOptions = {
  api: CallApi;
  callId: string;
  offerer: boolean;
  media: PeerMedia;
  onLocal?(stream: MediaStream): void;
  onRemote(stream: MediaStream): void;
  /** Our video was dropped (or taken back) for the network, or the other side's was. */
  onVideo?(side: 'mine' | 'theirs', on: boolean): void;
  onConnection?(state: RTCPeerConnectionState): void;
};

const STATS_MS = 2_000;

async function localMedia(media: PeerMedia): Promise<MediaStream | undefined> {
  if (media === 'lookViewer') return undefined;
  const video = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } };
  if (media === 'lookCamera') return navigator.mediaDevices.getUserMedia({ video });
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video });
  } catch {
    // No camera (or it is refused): the call goes on with the voice.
    return navigator.mediaDevices.getUserMedia({ audio: true });
  }
}

export class CallPeer {
  private readonly pc: RTCPeerConnection;
  private readonly options: PeerOptions;
  private local: MediaStream | undefined;
  private videoTrack: MediaStreamTrack | undefined;
  private videoSender: RTCRtpSender | undefined;
  private readonly queued: RTCIceCandidateInit[] = [];
  private readonly samples: QualitySample[] = [];
  private videoOn = true;
  private monitor: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** Signals wait for the local media: an offer can arrive before the camera has opened. */
  private readonly ready: Promise<void>;

  private constructor(pc: RTCPeerConnection, options: PeerOptions) {
    this.pc = pc;
    this.options = options;
    this.ready = this.setUp();
  }

  static async open(options: PeerOptions): Promise<CallPeer> {
    const ice = await options.api.ice();
    const pc = new RTCPeerConnection({ iceServers: ice.iceServers });
    return new CallPeer(pc, options);
  }

  private send(signal: SignalInput): void {
    if (!this.closed) void this.options.api.signal(this.options.callId, signal).catch(() => undefined);
  }

  private async setUp(): Promise<void> {
    const { pc, options } = this;
    pc.onicecandidate = (event) => {
      if (!event.candidate?.candidate) return;
      const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
      this.send({ type: 'candidate', candidate: { candidate, sdpMid, sdpMLineIndex } });
    };
    const remote = new MediaStream();
    pc.ontrack = (event) => {
      remote.addTrack(event.track);
      options.onRemote(remote);
    };
    pc.onconnectionstatechange = () => options.onConnection?.(pc.connectionState);
    this.local = await localMedia(options.media);
    if (this.closed) {
      for (const track of this.local?.getTracks() ?? []) track.stop();
      return;
    }
    if (this.local) {
      options.onLocal?.(this.local);
      for (const track of this.local.getTracks()) {
        const sender = pc.addTrack(track, this.local);
        if (track.kind === 'video') {
          this.videoTrack = track;
          this.videoSender = sender;
        }
      }
    } else {
      pc.addTransceiver('video', { direction: 'recvonly' });
    }
    if (options.offerer) {
      await pc.setLocalDescription(await pc.createOffer());
      this.send({ type: 'offer', sdp: pc.localDescription?.sdp ?? '' });
    }
    if (this.videoSender) this.monitor = setInterval(() => void this.checkQuality(), STATS_MS);
  }

  async handle(signal: SignalInput): Promise<void> {
    await this.ready;
    if (this.closed) return;
    const { pc } = this;
    if (signal.type === 'offer' && signal.sdp) {
      await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      this.send({ type: 'answer', sdp: pc.localDescription?.sdp ?? '' });
      await this.flushCandidates();
    } else if (signal.type === 'answer' && signal.sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
      await this.flushCandidates();
    } else if (signal.type === 'candidate' && signal.candidate) {
      const candidate = {
        candidate: signal.candidate.candidate,
        sdpMid: signal.candidate.sdpMid ?? null,
        sdpMLineIndex: signal.candidate.sdpMLineIndex ?? null,
      };
      if (pc.remoteDescription) await pc.addIceCandidate(candidate).catch(() => undefined);
      else this.queued.push(candidate);
    } else if (signal.type === 'video' && signal.videoOn !== undefined) {
      this.options.onVideo?.('theirs', signal.videoOn);
    }
  }

  private async flushCandidates(): Promise<void> {
    for (const candidate of this.queued.splice(0)) await this.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private async checkQuality(): Promise<void> {
    if (this.closed || !this.videoSender || this.pc.connectionState !== 'connected') return;
    const report = (await this.pc.getStats()) as unknown as Map<string, Record<string, unknown>>;
    this.samples.push(sampleOf(report));
    if (this.samples.length > 10) this.samples.shift();
    const on = videoShouldBeOn(this.samples, this.videoOn);
    if (on === this.videoOn) return;
    this.videoOn = on;
    this.samples.length = 0;
    await this.videoSender.replaceTrack(on ? (this.videoTrack ?? null) : null);
    this.options.onVideo?.('mine', on);
    this.send({ type: 'video', videoOn: on });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.monitor);
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.pc.close();
  }
}
