// A camera on the test machine: an HTTP server that answers like an IP camera (a snapshot behind
// Digest or Basic authentication, redirects, an ONVIF device and media service that checks the
// WS-Security password digest), written from the RFCs and the ONVIF specification independently
// of the client code it tests. Its ONVIF answer writes the user name and password into the
// snapshot URI, as some cameras do.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeCameraOptions = {
  host?: string;
  username?: string;
  password?: string;
  auth?: 'none' | 'basic' | 'MD5' | 'SHA-256';
  image: Buffer;
};

export type FakeCamera = {
  base: string;
  port: number;
  /** Paths requested, in order. */
  hits: string[];
  /** Requests that carried a correct password. */
  authorised: number;
  close(): Promise<void>;
};

const h = (algorithm: string, text: string) =>
  createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5')
    .update(text)
    .digest('hex');

function digestParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of header.slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    params[key as string] = quoted ?? bare ?? '';
  }
  return params;
}

export async function startFakeCamera(options: FakeCameraOptions): Promise<FakeCamera> {
  const host = options.host ?? '127.0.0.2';
  const username = options.username ?? 'admin';
  const password = options.password ?? 'cam-secret-1';
  const auth = options.auth ?? 'none';
  const nonces = new Set<string>();
  const state = { hits: [] as string[], authorised: 0 };
  let base = '';

  const authorised = (req: http.IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    if (auth === 'none') return true;
    if (auth === 'basic') return header === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (!header.startsWith('Digest ')) return false;
    const p = digestParams(header);
    if (!p.nonce || !nonces.has(p.nonce) || p.username !== username || p.qop !== 'auth' || p.uri !== req.url) return false;
    const ha1 = h(auth, `${username}:${p.realm}:${password}`);
    const ha2 = h(auth, `${req.method}:${p.uri}`);
    return p.response === h(auth, `${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
  };

  const challenge = (res: http.ServerResponse) => {
    const nonce = randomBytes(12).toString('hex');
    nonces.add(nonce);
    res.statusCode = 401;
    if (auth === 'basic') res.setHeader('www-authenticate', 'Basic realm="IPCamera"');
    // Offered as cameras do: the weaker one too (the client must pick what the camera checks).
    else res.setHeader('www-authenticate', [`Digest realm="IPCamera Login", qop="auth", nonce="${nonce}", algorithm=${auth}`]);
    res.end();
  };

  const soap = (res: http.ServerResponse, body: string) => {
    res.setHeader('content-type', 'application/soap+xml; charset=utf-8');
    res.end(
      `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
    );
  };

  const wsseValid = (xml: string): boolean => {
    const user = /<wsse:Username>([^<]*)<\/wsse:Username>/.exec(xml)?.[1];
    const digest = /<wsse:Password Type="[^"]*PasswordDigest">([^<]*)<\/wsse:Password>/.exec(xml)?.[1];
    const nonce = /<wsse:Nonce[^>]*>([^<]*)<\/wsse:Nonce>/.exec(xml)?.[1];
    const created = /<wsu:Created>([^<]*)<\/wsu:Created>/.exec(xml)?.[1];
    if (user !== username || !digest || !nonce || !created) return false;
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(password)]))
      .digest('base64');
    return expected === digest;
  };

  const server = http.createServer((req, res) => {
    state.hits.push(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', url.searchParams.get('to') ?? '/');
        res.end();
        return;
      }
      if (url.pathname === '/big') {
        res.setHeader('content-type', 'image/jpeg');
        res.end(Buffer.alloc(3 * 1_048_576, 0xff));
        return;
      }
      if (url.pathname === '/not-a-picture') {
        res.setHeader('content-type', 'image/jpeg');
        res.end('<html>login</html>');
        return;
      }
      if (url.pathname.startsWith('/onvif/')) {
        const xml = Buffer.concat(chunks).toString('utf8');
        if (!wsseValid(xml)) {
          res.statusCode = 400;
          soap(
            res,
            '<SOAP-ENV:Fault><SOAP-ENV:Reason><SOAP-ENV:Text>Sender not authorized</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>',
          );
          return;
        }
        state.authorised++;
        if (xml.includes('GetCapabilities')) {
          soap(
            res,
            `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`,
          );
        } else if (xml.includes('GetProfiles')) {
          soap(
            res,
            '<trt:GetProfilesResponse><trt:Profiles token="Profile_1" fixed="true"><tt:Name>main</tt:Name></trt:Profiles></trt:GetProfilesResponse>',
          );
        } else if (xml.includes('GetSnapshotUri') && xml.includes('Profile_1')) {
          soap(
            res,
            `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${base.replace('//', `//${username}:${password}@`)}/onvif-snapshot.jpg?channel=1&amp;size=full</tt:Uri></trt:MediaUri></trt:GetSnapshotUriResponse>`,
          );
        } else {
          res.statusCode = 400;
          res.end();
        }
        return;
      }
      if (url.pathname === '/snapshot.jpg' || url.pathname === '/onvif-snapshot.jpg') {
        if (!authorised(req)) return challenge(res);
        if (auth !== 'none') state.authorised++;
        res.setHeader('content-type', 'image/jpeg');
        res.end(options.image);
        return;
      }
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  return {
    base,
    port,
    get hits() {
      return state.hits;
    },
    get authorised() {
      return state.authorised;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server standing for what must never be reached (an admin port, the metadata service): it counts requests. */
export async function startForbiddenServer(host: string): Promise<{ port: number; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.setHeader('content-type', 'image/jpeg');
    res.end(Buffer.from([0xff, 0xd8, 0xff]));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
