// One frame from an RTSP stream with Debian's ffmpeg, against an RTSP camera that ffmpeg itself
// feeds from a generated video (test/rtsp-relay.ts: ffmpeg 5.1 cannot serve RTSP playback alone,
// so a small relay answers the RTSP dialogue and forwards ffmpeg's RTP). Digest authentication is
// answered by ffmpeg from the sealed credentials; the stream's host is fenced like any pull, and
// ffmpeg reaches the camera only through the relay (rtsp-fence.ts): a camera answering with a
// redirect to a host outside the camera networks sends nothing there, and Basic over plain RTSP is
// not sent unless the camera is marked for it.
import net from 'node:net';
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

/** An RTSP camera that answers OPTIONS and then DESCRIBE as `describe` says; counts what it was sent. */
async function startScriptedCamera(describe: (authorization: string | undefined) => string[]) {
  const seen = { authorizations: [] as string[] };
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const [requestLine = '', ...lines] = buffered.slice(0, end).split('\r\n');
        buffered = buffered.slice(end + 4);
        const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const authorization = headers.get('authorization');
        if (authorization) seen.authorizations.push(authorization);
        const answer = requestLine.startsWith('OPTIONS')
          ? ['RTSP/1.0 200 OK', 'Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN']
          : describe(authorization);
        const [status = '', ...extra] = answer;
        socket.write([status, `CSeq: ${headers.get('cseq') ?? '0'}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n'));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `rtsp://127.0.0.2:${port}/live`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A listener outside the camera networks that counts who reaches it. */
async function startOutside() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.3', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => connections, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const reasonOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'grabbed',
    (e) => (e instanceof CameraFetchError ? e.reason : String(e)),
  );

describe.skipIf(!present)(`${title}: redirects and Basic in the clear`, () => {
  const limits = { networks: cameraNetworks(['127.0.0.2/32']), timeoutMs: 10_000, maxBytes: 1_048_576 };

  it('a camera in the network redirecting outside it reaches nothing there: the grab ends as redirect_refused', async () => {
    const outside = await startOutside();
    for (const status of ['301 Moved Permanently', '302 Moved Temporarily', '305 Use Proxy']) {
      const camera = await startScriptedCamera(() => [`RTSP/1.0 ${status}`, `Location: rtsp://127.0.0.3:${outside.port}/live`]);
      expect([status, await reasonOf(grabFrame(camera.url, limits))]).toEqual([status, 'redirect_refused']);
      await camera.close();
    }
    // After it has been asked for a password too.
    const camera = await startScriptedCamera((authorization) =>
      authorization
        ? ['RTSP/1.0 302 Found', `Location: rtsp://127.0.0.3:${outside.port}/live`]
        : ['RTSP/1.0 401 Unauthorized', 'WWW-Authenticate: Digest realm="cam", nonce="abc"'],
    );
    expect(await reasonOf(grabFrame(camera.url, { ...limits, credentials: { username: 'viewer', password: 'pw' } }))).toBe(
      'redirect_refused',
    );
    expect(camera.seen.authorizations).toHaveLength(1);
    await camera.close();
    expect(outside.connections()).toBe(0);
    await outside.close();
  });

  it('does not send Basic over plain RTSP unless the camera is marked for it', async () => {
    const camera = await startScriptedCamera((authorization) =>
      authorization ? ['RTSP/1.0 404 Not Found'] : ['RTSP/1.0 401 Unauthorized', 'WWW-Authenticate: Basic realm="cam"'],
    );
    const credentials = { username: 'viewer', password: 'readable-pw' };
    expect(await reasonOf(grabFrame(camera.url, { ...limits, credentials }))).toBe('plain_basic_refused');
    expect(camera.seen.authorizations).toEqual([]);
    // Marked (an old camera on the closed camera network): sent, and the camera's own answer decides.
    expect(await reasonOf(grabFrame(camera.url, { ...limits, credentials: { ...credentials, allowBasicOverHttp: true } }))).toBe(
      'unreachable',
    );
    expect(camera.seen.authorizations).toEqual([`Basic ${Buffer.from('viewer:readable-pw').toString('base64')}`]);
    await camera.close();
  });
});

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
    const reason = reasonOf;
    expect(await reason(grabFrame(camera.url, { ...limits, credentials: { ...credentials, password: 'nope' } }))).toBe('unreachable');
    expect(await reason(grabFrame(`rtsp://127.0.0.1:${camera.port}/live`, { ...limits, credentials }))).toBe('address_refused');
    expect(await reason(grabFrame(`rtsp://[::1]:${camera.port}/live`, { ...limits, credentials }))).toBe('address_refused');
    expect(await reason(grabFrame(`http://127.0.0.2:${camera.port}/live`, limits))).toBe('bad_url');
  });
});
