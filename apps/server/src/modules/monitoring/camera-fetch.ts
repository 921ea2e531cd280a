// One HTTP exchange with a camera, fenced in: only to addresses inside the camera networks (checked
// before connecting, and the connection made to the checked address), redirects followed only
// while they stay inside, a deadline for the whole exchange, and an answer no larger than a cap.
// A 401 is answered once with Digest or Basic authentication when the camera has credentials, and
// only by the origin (scheme, host, port) the camera was registered with: a redirect to another
// origin is followed without them, so a camera (or whoever answers in its place) cannot hand its
// password to another machine. Basic sends the password readable, so over plain http it is sent
// only for a camera whose credentials are marked allowBasicOverHttp (README, Cameras).
import http from 'node:http';
import https from 'node:https';
import { type CameraNetworks, checkedAddress, type Resolve, systemResolve } from './camera-network.ts';
import { authorizationFor, type Credentials, parseChallenges } from './digest-auth.ts';

/** Why a fetch failed, as a short code safe to store and show (never the camera's own words). */
export type FetchFailure =
  | 'address_refused'
  | 'redirect_refused'
  | 'bad_url'
  | 'timeout'
  | 'too_large'
  | 'unreachable'
  | 'unauthorized'
  /** The camera asked for Basic over plain http or rtsp and is not marked for it: the password was not sent. */
  | 'plain_basic_refused'
  | 'bad_status';

export class CameraFetchError extends Error {
  constructor(readonly reason: FetchFailure) {
    super(reason);
  }
}

export type CameraRequest = {
  networks: CameraNetworks;
  resolve?: Resolve;
  credentials?: Credentials | null;
  method?: 'GET' | 'POST';
  body?: Buffer;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
};

export type CameraAnswer = { status: number; contentType: string; body: Buffer; url: URL };

const MAX_REDIRECTS = 3;

export async function cameraFetch(urlText: string, request: CameraRequest): Promise<CameraAnswer> {
  const deadline = Date.now() + request.timeoutMs;
  let url = parseCameraUrl(urlText);
  const origin = url.origin;
  for (let hop = 0; ; hop++) {
    const address = await checkedAddress(url, request.networks, request.resolve ?? systemResolve);
    if (!address) throw new CameraFetchError(hop === 0 ? 'address_refused' : 'redirect_refused');
    let answer = await exchange(url, address, request, undefined, deadline);
    // Credentials go only to the origin they were given for, never to where it redirects.
    const credentials = url.origin === origin ? request.credentials : undefined;
    if (answer.status === 401 && credentials) {
      const authorization = authorizationFor(parseChallenges(answer.challenges), credentials, {
        method: request.method ?? 'GET',
        uri: `${url.pathname}${url.search}`,
      });
      if (authorization?.startsWith('Basic ') && url.protocol === 'http:' && credentials.allowBasicOverHttp !== true) {
        throw new CameraFetchError('plain_basic_refused');
      }
      if (authorization) answer = await exchange(url, address, request, authorization, deadline);
    }
    if (answer.status === 401) throw new CameraFetchError('unauthorized');
    if (answer.status >= 300 && answer.status < 400 && answer.location && (request.method ?? 'GET') === 'GET') {
      if (hop >= MAX_REDIRECTS) throw new CameraFetchError('redirect_refused');
      try {
        url = parseCameraUrl(new URL(answer.location, url).toString());
      } catch {
        throw new CameraFetchError('redirect_refused');
      }
      continue;
    }
    if (answer.status < 200 || answer.status >= 300) throw new CameraFetchError('bad_status');
    return { status: answer.status, contentType: answer.contentType, body: answer.body, url };
  }
}

/** http(s) only, no credentials in the URL (they belong in the sealed credentials). */
export function parseCameraUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CameraFetchError('bad_url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) throw new CameraFetchError('bad_url');
  return url;
}

type RawAnswer = { status: number; contentType: string; body: Buffer; challenges: string[]; location: string | undefined };

function exchange(
  url: URL,
  address: string,
  request: CameraRequest,
  authorization: string | undefined,
  deadline: number,
): Promise<RawAnswer> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new CameraFetchError('timeout'));
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { host: url.host, 'user-agent': 'cunzhi-camera/1', ...request.headers };
  if (authorization) headers.authorization = authorization;
  if (request.body) headers['content-length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    const options = {
      host: address,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: request.method ?? 'GET',
      headers,
      agent: false as const,
      ...(secure && { servername: url.hostname.replace(/^\[|\]$/g, '') }),
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) {
          req.destroy(new CameraFetchError('too_large'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const challenges: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]?.toLowerCase() === 'www-authenticate') challenges.push(res.rawHeaders[i + 1] ?? '');
        }
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
          challenges,
          location: res.headers.location,
        });
      });
      res.on('error', (error) => fail(error));
    });
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof CameraFetchError ? error : new CameraFetchError('unreachable'));
    };
    const timer = setTimeout(() => req.destroy(new CameraFetchError('timeout')), remaining);
    req.on('error', fail);
    req.end(request.body);
  });
}
