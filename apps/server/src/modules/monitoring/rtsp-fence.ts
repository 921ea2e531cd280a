// The only way ffmpeg reaches an RTSP camera: ffmpeg is pointed at this relay on 127.0.0.1, and
// the relay itself connects to the one address camera-network.ts has already checked. ffmpeg would
// otherwise follow a camera's 3xx answer (or a REDIRECT request) to any host and resolve names on
// its own, outside the camera networks. The relay reads the RTSP dialogue in both directions and
// forwards a message only once it is whole and allowed:
// - from the camera: answers (except 3xx, which end the grab as redirect_refused), the interleaved
//   RTP/RTCP frames ($-framed, RTP over the same TCP connection), and only the harmless requests
//   a server may send (OPTIONS, GET_PARAMETER, SET_PARAMETER); anything else ends it;
// - from ffmpeg: requests and interleaved frames; a Basic Authorization over plain RTSP ends it
//   (the password would cross the network readable) unless the camera is marked for it.
// One connection is accepted, then the listener closes. For rtsps the relay speaks TLS to the
// camera and plain RTSP to ffmpeg on loopback, so the dialogue can be read; like ffmpeg's own
// default (tls_verify=0), the camera's certificate is not checked: cameras carry self-made ones,
// and the fence, not the certificate, is what keeps the connection inside the camera network.
import net from 'node:net';
import tls from 'node:tls';
import type { FetchFailure } from './camera-fetch.ts';

/** An RTSP head (start line and headers) larger than this is not a camera's. */
const MAX_HEAD_BYTES = 16_384;
/** An SDP or parameter body; pictures travel as interleaved frames, not bodies. */
const MAX_BODY_BYTES = 262_144;
/** Requests a server may send its client that make the client connect nowhere. */
const SERVER_REQUESTS = new Set(['OPTIONS', 'GET_PARAMETER', 'SET_PARAMETER']);

export type RelayTarget = { address: string; port: number; tls: boolean; servername: string };
export type RtspRelay = { port: number; failure(): FetchFailure | undefined; close(): void };

export type Message =
  | { kind: 'frame'; bytes: Buffer }
  | { kind: 'message'; startLine: string; headers: Map<string, string>; bytes: Buffer };

/**
 * Splits one direction of an RTSP connection into whole messages: `$`-framed interleaved data or
 * a text head with its Content-Length body. Returns 'invalid' for what is neither.
 */
export class RtspSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Message[] | 'invalid' {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Message[] = [];
    for (;;) {
      // Blank lines between messages are allowed (RFC 2326 keeps HTTP's leniency).
      let skip = 0;
      while (skip < this.buffer.length && (this.buffer[skip] === 0x0d || this.buffer[skip] === 0x0a)) skip++;
      if (skip > 0) this.buffer = this.buffer.subarray(skip);
      if (this.buffer.length === 0) return out;
      if (this.buffer[0] === 0x24) {
        if (this.buffer.length < 4) return out;
        const size = 4 + this.buffer.readUInt16BE(2);
        if (this.buffer.length < size) return out;
        out.push({ kind: 'frame', bytes: this.buffer.subarray(0, size) });
        this.buffer = this.buffer.subarray(size);
        continue;
      }
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return this.buffer.length > MAX_HEAD_BYTES ? 'invalid' : out;
      if (end > MAX_HEAD_BYTES) return 'invalid';
      const [startLine = '', ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon <= 0) return 'invalid';
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? '0');
      if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) return 'invalid';
      const size = end + 4 + length;
      if (this.buffer.length < size) return out;
      out.push({ kind: 'message', startLine, headers, bytes: this.buffer.subarray(0, size) });
      this.buffer = this.buffer.subarray(size);
    }
  }
}

const STATUS_LINE = /^RTSP\/\d\.\d (\d{3})(?: |$)/;
const REQUEST_LINE = /^([A-Z_]{1,32}) \S+ RTSP\/\d\.\d$/;

/** What the camera may send towards ffmpeg: undefined to forward, else why the grab ends. */
export function judgeFromCamera(message: Message): FetchFailure | undefined {
  if (message.kind === 'frame') return undefined;
  const status = STATUS_LINE.exec(message.startLine);
  if (status) return (status[1] as string).startsWith('3') ? 'redirect_refused' : undefined;
  const request = REQUEST_LINE.exec(message.startLine);
  if (request?.[1] === 'REDIRECT') return 'redirect_refused';
  return request && SERVER_REQUESTS.has(request[1] as string) ? undefined : 'bad_status';
}

/** What ffmpeg may send towards the camera. */
export function judgeFromClient(message: Message, options: { plainBasicAllowed: boolean }): FetchFailure | undefined {
  if (message.kind === 'frame') return undefined;
  if (!REQUEST_LINE.test(message.startLine)) return 'bad_status';
  const authorization = message.headers.get('authorization') ?? '';
  if (/^basic\b/i.test(authorization) && !options.plainBasicAllowed) return 'plain_basic_refused';
  return undefined;
}

export async function startRtspRelay(target: RelayTarget, options: { plainBasicAllowed: boolean }): Promise<RtspRelay> {
  let failure: FetchFailure | undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer();
  const stopAll = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };
  const fail = (reason: FetchFailure) => {
    failure ??= reason;
    stopAll();
  };
  server.on('connection', (client) => {
    sockets.add(client);
    // One grab, one connection: whatever else knocks on the port is turned away.
    if (sockets.size > 1) {
      client.destroy();
      return;
    }
    server.close();
    // Over TLS the camera's address is what we connect to; the name only goes in SNI.
    const camera: net.Socket = target.tls
      ? tls.connect({
          host: target.address,
          port: target.port,
          rejectUnauthorized: false,
          ...(net.isIP(target.servername) === 0 && { servername: target.servername }),
        })
      : net.connect({ host: target.address, port: target.port });
    sockets.add(camera);
    const fromCamera = new RtspSplitter();
    const fromClient = new RtspSplitter();
    const pending: Buffer[] = [];
    let connected = false;
    camera.on(target.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      for (const bytes of pending.splice(0)) camera.write(bytes);
    });
    camera.on('data', (chunk: Buffer) => {
      const messages = fromCamera.push(chunk);
      if (messages === 'invalid') return fail('bad_status');
      for (const message of messages) {
        const refused = judgeFromCamera(message);
        if (refused) return fail(refused);
        client.write(message.bytes);
      }
    });
    client.on('data', (chunk: Buffer) => {
      const messages = fromClient.push(chunk);
      if (messages === 'invalid') return fail('bad_status');
      for (const message of messages) {
        const refused = judgeFromClient(message, options);
        if (refused) return fail(refused);
        if (connected) camera.write(message.bytes);
        else pending.push(message.bytes);
      }
    });
    camera.on('error', () => client.destroy());
    camera.on('close', () => client.end());
    client.on('error', () => camera.destroy());
    client.on('close', () => camera.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    failure: () => failure,
    close: stopAll,
  };
}
