// The relay's reading of the RTSP dialogue: whole messages only (split anywhere, interleaved
// frames between them), a 3xx answer or a REDIRECT request from the camera refused, requests a
// server has no business sending refused, Basic from ffmpeg refused unless allowed.
import { describe, expect, it } from 'vitest';
import { judgeFromCamera, judgeFromClient, type Message, RtspSplitter } from './rtsp-fence.ts';

const text = (lines: string[], body = '') => Buffer.from([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
const frame = (channel: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0x24, channel, payload.length >> 8, payload.length & 255]), payload]);

describe('the RTSP fence relay', () => {
  it('splits a stream into whole answers and interleaved frames, however the bytes arrive', () => {
    const stream = Buffer.concat([
      text(['RTSP/1.0 200 OK', 'CSeq: 2', 'Content-Type: application/sdp'], 'v=0\r\nm=video 0 RTP/AVP 26\r\n'),
      frame(0, Buffer.alloc(1200, 7)),
      text(['RTSP/1.0 200 OK', 'CSeq: 3']),
      frame(1, Buffer.alloc(10, 1)),
    ]);
    for (const step of [1, 3, 17, stream.length]) {
      const splitter = new RtspSplitter();
      const out: string[] = [];
      for (let at = 0; at < stream.length; at += step) {
        const messages = splitter.push(stream.subarray(at, at + step));
        if (messages === 'invalid') throw new Error('invalid');
        for (const m of messages) out.push(m.kind === 'frame' ? `frame ${m.bytes.length}` : `${m.startLine} ${m.bytes.length}`);
      }
      expect(out, String(step)).toEqual([
        `RTSP/1.0 200 OK ${text(['RTSP/1.0 200 OK', 'CSeq: 2', 'Content-Type: application/sdp'], 'v=0\r\nm=video 0 RTP/AVP 26\r\n').length}`,
        'frame 1204',
        `RTSP/1.0 200 OK ${text(['RTSP/1.0 200 OK', 'CSeq: 3']).length}`,
        'frame 14',
      ]);
    }
  });

  it('refuses redirects and unexpected requests from the camera, and what is not RTSP', () => {
    const judge = (lines: string[]) => {
      const messages = new RtspSplitter().push(text(lines));
      return messages === 'invalid' ? 'invalid' : judgeFromCamera(messages[0] as never);
    };
    expect(judge(['RTSP/1.0 200 OK', 'CSeq: 1'])).toBeUndefined();
    expect(judge(['RTSP/1.0 401 Unauthorized', 'WWW-Authenticate: Digest realm="x", nonce="y"'])).toBeUndefined();
    for (const status of ['300 Multiple Choices', '301 Moved Permanently', '302 Found', '303 See Other', '305 Use Proxy', '399 Odd']) {
      expect(judge([`RTSP/1.0 ${status}`, 'Location: rtsp://10.0.0.1/x'])).toBe('redirect_refused');
    }
    expect(judge(['REDIRECT rtsp://127.0.0.1/live RTSP/1.0', 'Location: rtsp://10.0.0.1/x'])).toBe('redirect_refused');
    expect(judge(['GET_PARAMETER rtsp://127.0.0.1/live RTSP/1.0', 'CSeq: 9'])).toBeUndefined();
    expect(judge(['ANNOUNCE rtsp://127.0.0.1/live RTSP/1.0', 'CSeq: 9'])).toBe('bad_status');
    expect(judge(['HTTP/1.1 302 Found', 'Location: http://10.0.0.1/'])).toBe('bad_status');
    expect(new RtspSplitter().push(Buffer.from('no colon here\r\nbroken\r\n\r\n'))).toBe('invalid');
    expect(new RtspSplitter().push(Buffer.alloc(20_000, 0x41))).toBe('invalid');
    expect(new RtspSplitter().push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'))).toBe('invalid');
  });

  it('lets ffmpeg send Basic only when the camera is marked for it', () => {
    const [describeBasic] = new RtspSplitter().push(
      text(['DESCRIBE rtsp://127.0.0.1:5/live RTSP/1.0', 'CSeq: 3', 'Authorization: basic dmlld2VyOnB3']),
    ) as Message[];
    const [describeDigest] = new RtspSplitter().push(
      text(['DESCRIBE rtsp://127.0.0.1:5/live RTSP/1.0', 'CSeq: 3', 'Authorization: Digest username="viewer"']),
    ) as Message[];
    expect(judgeFromClient(describeBasic as Message, { plainBasicAllowed: false })).toBe('plain_basic_refused');
    expect(judgeFromClient(describeBasic as Message, { plainBasicAllowed: true })).toBeUndefined();
    expect(judgeFromClient(describeDigest as Message, { plainBasicAllowed: false })).toBeUndefined();
  });
});
