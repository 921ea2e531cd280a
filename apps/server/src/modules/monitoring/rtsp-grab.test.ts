// One frame from an RTSP stream with Debian's ffmpeg, against an RTSP camera that ffmpeg itself
// feeds from a generated video (test/rtsp-relay.ts: ffmpeg 5.1 cannot serve RTSP playback alone,
// so a small relay answers the RTSP dialogue and forwards ffmpeg's RTP). Digest authentication is
// answered by ffmpeg from the sealed credentials; the stream's host is fenced like any pull.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RtspCamera, startRtspCamera } from '../../../test/rtsp-relay.ts';
import { CameraFetchError } from './camera-fetch.ts';
import { cameraNetworks } from './camera-network.ts';
import { FFMPEG, ffmpegPresent, grabFrame } from './rtsp-grab.ts';

const present = ffmpegPresent();
// Skipped only when ffmpeg is absent, and the title then says why.
const title = present
  ? 'grabbing a frame from RTSP with ffmpeg'
  : `grabbing a frame from RTSP: skipped, ${FFMPEG} is not installed (apt-get install ffmpeg)`;

describe.skipIf(!present)(title, () => {
  let camera: RtspCamera;
  const credentials = { username: 'viewer', password: 'rtsp-pass-9' };
  const limits = { networks: cameraNetworks(['127.0.0.2/32']), timeoutMs: 10_000, maxBytes: 1_048_576 };

  beforeAll(async () => {
    camera = await startRtspCamera({ ffmpeg: FFMPEG, ...credentials });
    // ffmpeg needs a moment to start sending.
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  afterAll(() => camera.close());

  it('grabs one JPEG frame of the generated video, answering the Digest challenge', async () => {
    const frame = await grabFrame(camera.url, { ...limits, credentials });
    const metadata = await sharp(frame).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 320, 240]);
    expect(camera.described()).toBeGreaterThan(0);
  });

  it('is refused by the camera without the right password, and never leaves the camera network', async () => {
    const reason = async (promise: Promise<unknown>) =>
      promise.then(
        () => 'grabbed',
        (e) => (e instanceof CameraFetchError ? e.reason : String(e)),
      );
    expect(await reason(grabFrame(camera.url, { ...limits, credentials: { ...credentials, password: 'nope' } }))).toBe('unreachable');
    expect(await reason(grabFrame(`rtsp://127.0.0.1:${camera.port}/live`, { ...limits, credentials }))).toBe('address_refused');
    expect(await reason(grabFrame(`rtsp://[::1]:${camera.port}/live`, { ...limits, credentials }))).toBe('address_refused');
    expect(await reason(grabFrame(`http://127.0.0.2:${camera.port}/live`, limits))).toBe('bad_url');
  });
});
