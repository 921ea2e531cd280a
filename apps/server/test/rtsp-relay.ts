// An RTSP camera for tests, made of Debian's ffmpeg and a little relay. ffmpeg 5.1 serves no RTSP
// playback itself (its `-rtsp_flags listen` only takes a stream pushed to it), so ffmpeg encodes a
// generated video (lavfi testsrc) as JPEG over RTP (RFC 2435) to a UDP port here, and this relay
// answers the RTSP dialogue (OPTIONS, DESCRIBE behind Digest authentication, SETUP for RTP over the
// TCP connection, PLAY, TEARDOWN) and forwards each RTP packet interleaved on the client's
// connection. The client under test sees an ordinary RTSP camera.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';

export type RtspCamera = { url: string; port: number; described: () => number; close(): Promise<void> };

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function bindUdp(host: string): Promise<dgram.Socket> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, host, () => resolve(socket));
  });
}

export async function startRtspCamera(options: { ffmpeg: string; host?: string; username: string; password: string }): Promise<RtspCamera> {
  const host = options.host ?? '127.0.0.2';
  const rtp = await bindUdp(host);
  const rtcp = await bindUdp(host);
  const players = new Set<net.Socket>();
  const nonce = randomBytes(8).toString('hex');
  let described = 0;

  rtp.on('message', (packet) => {
    const frame = Buffer.alloc(4);
    frame[0] = 0x24;
    frame[1] = 0;
    frame.writeUInt16BE(packet.length, 2);
    for (const player of players) player.write(Buffer.concat([frame, packet]));
  });

  const encoder: ChildProcess = spawn(
    options.ffmpeg,
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=10',
      '-c:v',
      'mjpeg',
      '-pix_fmt',
      'yuvj420p',
      '-q:v',
      '5',
      // RFC 2435 carries only the standard Huffman tables.
      '-huffman',
      'default',
      '-f',
      'rtp',
      `rtp://${host}:${rtp.address().port}?rtcpport=${rtcp.address().port}&pkt_size=1200`,
    ],
    { stdio: 'ignore' },
  );

  const sdp = ['v=0', `o=- 0 0 IN IP4 ${host}`, 's=test', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=video 0 RTP/AVP 26', 'a=control:track1', ''].join(
    '\r\n',
  );

  const authorised = (method: string, header: string | undefined): boolean => {
    if (!header?.startsWith('Digest ')) return false;
    const p: Record<string, string> = {};
    for (const [, k, q, b] of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) p[k as string] = q ?? b ?? '';
    if (p.username !== options.username || p.nonce !== nonce) return false;
    const ha1 = md5(`${options.username}:${p.realm}:${options.password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop ? md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    return p.response === expected;
  };

  const server = net.createServer((socket) => {
    let buffered = '';
    const session = randomBytes(6).toString('hex');
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const [requestLine = '', ...lines] = buffered.slice(0, end).split('\r\n');
        buffered = buffered.slice(end + 4);
        const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const [method = '', uri = ''] = requestLine.split(' ');
        const reply = (status: string, extra: string[] = [], body = '') =>
          socket.write(
            [
              `RTSP/1.0 ${status}`,
              `CSeq: ${headers.get('cseq') ?? '0'}`,
              ...extra,
              `Content-Length: ${Buffer.byteLength(body)}`,
              '',
              body,
            ].join('\r\n'),
          );
        if (method === 'OPTIONS') reply('200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN']);
        else if (method === 'DESCRIBE') {
          if (!authorised(method, headers.get('authorization'))) {
            reply('401 Unauthorized', [`WWW-Authenticate: Digest realm="rtsp camera", nonce="${nonce}"`]);
            continue;
          }
          described++;
          reply('200 OK', ['Content-Type: application/sdp', `Content-Base: ${uri}/`], sdp);
        } else if (method === 'SETUP') {
          reply('200 OK', ['Transport: RTP/AVP/TCP;unicast;interleaved=0-1', `Session: ${session};timeout=60`]);
        } else if (method === 'PLAY') {
          reply('200 OK', [`Session: ${session}`, 'Range: npt=0.000-']);
          players.add(socket);
        } else if (method === 'TEARDOWN') {
          players.delete(socket);
          reply('200 OK', [`Session: ${session}`]);
        } else reply('405 Method Not Allowed');
      }
    });
    socket.on('close', () => players.delete(socket));
    socket.on('error', () => players.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `rtsp://${host}:${port}/live`,
    port,
    described: () => described,
    close: async () => {
      encoder.kill('SIGKILL');
      for (const player of players) player.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rtp.close();
      rtcp.close();
    },
  };
}
