// One frame from a camera's RTSP stream, grabbed by Debian's ffmpeg (/usr/bin/ffmpeg) and handed
// back as JPEG on its standard output. The stream's host is checked against the camera networks
// first, and ffmpeg never connects to the camera itself: it is pointed at a relay on 127.0.0.1
// (rtsp-fence.ts) that connects to the checked address and ends the grab on any redirect, so no
// answer of the camera can send ffmpeg elsewhere. RTSP interleaved over that one TCP connection
// (no UDP ports), only the tcp protocol allowed to ffmpeg, a deadline, and an output cap. ffmpeg
// answers the camera's Digest challenge itself from the user name and password in the URL; Basic
// over plain RTSP only for a camera marked for it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CameraFetchError } from './camera-fetch.ts';
import { type CameraNetworks, checkedAddress, type Resolve, systemResolve } from './camera-network.ts';
import type { Credentials } from './digest-auth.ts';
import { startRtspRelay } from './rtsp-fence.ts';

export const FFMPEG = '/usr/bin/ffmpeg';

export const ffmpegPresent = () => existsSync(FFMPEG);

export function parseRtspUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CameraFetchError('bad_url');
  }
  if ((url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') || url.username || url.password) throw new CameraFetchError('bad_url');
  return url;
}

export async function grabFrame(
  urlText: string,
  options: { networks: CameraNetworks; resolve?: Resolve; credentials?: Credentials | null; timeoutMs: number; maxBytes: number },
): Promise<Buffer> {
  const url = parseRtspUrl(urlText);
  const address = await checkedAddress(url, options.networks, options.resolve ?? systemResolve);
  if (!address) throw new CameraFetchError('address_refused');
  if (!ffmpegPresent()) throw new CameraFetchError('unreachable');
  const relay = await startRtspRelay(
    {
      address,
      port: Number(url.port || (url.protocol === 'rtsps:' ? 322 : 554)),
      tls: url.protocol === 'rtsps:',
      servername: url.hostname.replace(/^\[|\]$/g, ''),
    },
    { plainBasicAllowed: url.protocol === 'rtsps:' || options.credentials?.allowBasicOverHttp === true },
  );
  // ffmpeg speaks plain RTSP to the relay on loopback; the path and query are the camera's.
  const target = new URL(`rtsp://127.0.0.1:${relay.port}${url.pathname}${url.search}`);
  if (options.credentials) {
    target.username = encodeURIComponent(options.credentials.username);
    target.password = encodeURIComponent(options.credentials.password);
  }
  const seconds = Math.max(1, Math.floor(options.timeoutMs / 1000));
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    // The relay is the only thing ffmpeg may open: no http tunnel, no udp, no file.
    '-protocol_whitelist',
    'tcp',
    '-rtsp_transport',
    'tcp',
    // Socket timeout in microseconds (ffmpeg 5: -timeout for RTSP).
    '-timeout',
    String(seconds * 1_000_000),
    '-i',
    target.toString(),
    '-frames:v',
    '1',
    '-an',
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    '-q:v',
    '3',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: CameraFetchError | undefined;
    const stop = (reason: CameraFetchError) => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new CameraFetchError('timeout')), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) stop(new CameraFetchError('too_large'));
      else chunks.push(chunk);
    });
    child.on('error', () => stop(new CameraFetchError('unreachable')));
    child.on('close', (code) => {
      clearTimeout(timer);
      relay.close();
      // What the relay refused (a redirect, Basic in the clear) is the reason, whatever ffmpeg made of it.
      const refused = relay.failure();
      if (refused) reject(new CameraFetchError(refused));
      else if (failure) reject(failure);
      else if (code !== 0 || size === 0) reject(new CameraFetchError('unreachable'));
      else resolve(Buffer.concat(chunks));
    });
  });
}
