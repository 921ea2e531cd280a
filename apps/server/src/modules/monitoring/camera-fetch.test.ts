// Pulling reaches the camera network and nothing else (SSRF): the server's own admin ports, the
// cloud metadata address, a name resolving outside, a redirect out, IPv6 loopback, and 127.0.0.1
// spelled in decimal, hex, octal or as IPv4-mapped IPv6 are all refused before a byte is sent.
// Inside the network: Digest (MD5, SHA-256) and Basic, ONVIF discovery, size cap, timeouts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCamera, startFakeCamera, startForbiddenServer } from '../../../test/fake-camera.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { CameraFetchError, cameraFetch } from './camera-fetch.ts';
import { cameraNetworks, unmapped } from './camera-network.ts';
import { discoverSnapshotUri } from './onvif.ts';

const networks = cameraNetworks(['127.0.0.2/32']);
const base = { networks, timeoutMs: 3_000, maxBytes: 1_048_576 };
const reasonOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'fetched';
  } catch (error) {
    return error instanceof CameraFetchError ? error.reason : String(error);
  }
};

describe('the camera network fence', () => {
  let admin: Awaited<ReturnType<typeof startForbiddenServer>>;
  let camera: FakeCamera;
  let image: Buffer;

  beforeAll(async () => {
    image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();
    admin = await startForbiddenServer('127.0.0.1');
    camera = await startFakeCamera({ image });
  });
  afterAll(async () => {
    await admin.close();
    await camera.close();
  });

  it('refuses every way of writing a forbidden address, and sends nothing there', async () => {
    const port = admin.port;
    const attempts = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://0.0.0.0/',
    ];
    for (const url of attempts) expect([url, await reasonOf(cameraFetch(url, base))]).toEqual([url, 'address_refused']);
    expect(admin.hits()).toBe(0);
  });

  it('refuses a name that resolves outside, or partly outside, and URLs that are not plain http(s)', async () => {
    const outside = async () => ['127.0.0.1'];
    const mixed = async () => ['127.0.0.2', '10.0.0.1'];
    const inside = async () => ['127.0.0.2'];
    expect(await reasonOf(cameraFetch(`http://cam.example:${camera.port}/snapshot.jpg`, { ...base, resolve: outside }))).toBe(
      'address_refused',
    );
    expect(await reasonOf(cameraFetch(`http://cam.example:${camera.port}/snapshot.jpg`, { ...base, resolve: mixed }))).toBe(
      'address_refused',
    );
    // The same name resolving inside is fetched, from the checked address.
    expect(await reasonOf(cameraFetch(`http://cam.example:${camera.port}/snapshot.jpg`, { ...base, resolve: inside }))).toBe('fetched');
    expect(await reasonOf(cameraFetch(`file:///etc/passwd`, base))).toBe('bad_url');
    expect(await reasonOf(cameraFetch(`http://admin:pw@127.0.0.2:${camera.port}/`, base))).toBe('bad_url');
    expect(await reasonOf(cameraFetch(`http://127.0.0.2:${camera.port}/snapshot.jpg`, { ...base, networks: cameraNetworks([]) }))).toBe(
      'address_refused',
    );
  });

  it('follows a redirect inside the network, never one out of it', async () => {
    const inside = `${camera.base}/redirect?to=${encodeURIComponent('/snapshot.jpg')}`;
    expect((await cameraFetch(inside, base)).body.equals(image)).toBe(true);
    for (const out of [`http://127.0.0.1:${admin.port}/`, 'http://169.254.169.254/', `http://[::1]:${admin.port}/`]) {
      expect(await reasonOf(cameraFetch(`${camera.base}/redirect?to=${encodeURIComponent(out)}`, base))).toBe('redirect_refused');
    }
    expect(admin.hits()).toBe(0);
  });

  it('caps the answer and gives up at the deadline', async () => {
    expect(await reasonOf(cameraFetch(`${camera.base}/big`, base))).toBe('too_large');
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.2', resolve));
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    expect(await reasonOf(cameraFetch(`http://127.0.0.2:${port}/`, { ...base, timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    silent.closeAllConnections();
    silent.close();
  });

  it('judges IPv4-mapped IPv6 as the IPv4 address it is', () => {
    expect(unmapped('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapped('[::FFFF:7f00:2]')).toBe('127.0.0.2');
    expect(networks.allows('::ffff:127.0.0.2')).toBe(true);
    expect(networks.allows('127.0.0.3')).toBe(false);
    expect(networks.allows('not an address')).toBe(false);
    expect(cameraNetworks(['fd00::/8']).allows('fd12::1')).toBe(true);
  });
});

describe('camera authentication and ONVIF', () => {
  const cameras: FakeCamera[] = [];
  let image: Buffer;
  beforeAll(async () => {
    image = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#111' } })
      .jpeg()
      .toBuffer();
  });
  afterAll(async () => {
    for (const c of cameras) await c.close();
  });
  const start = async (auth: 'none' | 'basic' | 'MD5' | 'SHA-256') => {
    const camera = await startFakeCamera({ image, auth });
    cameras.push(camera);
    return camera;
  };
  const credentials = { username: 'admin', password: 'cam-secret-1' };

  it('answers Digest MD5, Digest SHA-256 and (for a camera marked for it) Basic challenges; a wrong password is unauthorized', async () => {
    const marked = { ...credentials, allowBasicOverHttp: true };
    for (const auth of ['MD5', 'SHA-256', 'basic'] as const) {
      const camera = await start(auth);
      const answer = await cameraFetch(`${camera.base}/snapshot.jpg`, { ...base, credentials: marked });
      expect([auth, answer.body.equals(image), camera.authorised]).toEqual([auth, true, 1]);
      expect(await reasonOf(cameraFetch(`${camera.base}/snapshot.jpg`, { ...base, credentials: { ...marked, password: 'nope' } }))).toBe(
        'unauthorized',
      );
      expect(await reasonOf(cameraFetch(`${camera.base}/snapshot.jpg`, base))).toBe('unauthorized');
    }
  });

  it('never sends Basic (the password readable) over plain http unless the camera is marked for it', async () => {
    const camera = await start('basic');
    expect(await reasonOf(cameraFetch(`${camera.base}/snapshot.jpg`, { ...base, credentials }))).toBe('plain_basic_refused');
    expect(
      await reasonOf(cameraFetch(`${camera.base}/snapshot.jpg`, { ...base, credentials: { ...credentials, allowBasicOverHttp: false } })),
    ).toBe('plain_basic_refused');
    expect(camera.authorised).toBe(0);
    // Digest over plain http is fine: the password itself never crosses the network.
    const digest = await start('SHA-256');
    expect(await reasonOf(cameraFetch(`${digest.base}/snapshot.jpg`, { ...base, credentials }))).toBe('fetched');
  });

  it('sends the credentials only to the origin they were given for, never to where it redirects', async () => {
    const front = await start('none');
    // Another camera of the network (another port: another origin) that would accept the password.
    for (const auth of ['MD5', 'basic'] as const) {
      const elsewhere = await start(auth);
      const redirect = `${front.base}/redirect?to=${encodeURIComponent(`${elsewhere.base}/snapshot.jpg`)}`;
      const marked = { ...credentials, allowBasicOverHttp: true };
      expect([auth, await reasonOf(cameraFetch(redirect, { ...base, credentials: marked }))]).toEqual([auth, 'unauthorized']);
      expect([auth, elsewhere.authorised]).toEqual([auth, 0]);
      // The same redirect within the camera's own origin keeps them.
      const own = `${elsewhere.base}/redirect?to=${encodeURIComponent('/snapshot.jpg')}`;
      expect([auth, await reasonOf(cameraFetch(own, { ...base, credentials: marked }))]).toEqual([auth, 'fetched']);
    }
  });

  it('finds the snapshot URL with GetCapabilities, GetProfiles and GetSnapshotUri, signed with a password digest', async () => {
    const camera = await start('MD5');
    const uri = await discoverSnapshotUri(`${camera.base}/onvif/device_service`, { ...base, credentials, now: Date.now });
    expect(uri).toBe(`${camera.base}/onvif-snapshot.jpg?channel=1&size=full`);
    expect(camera.authorised).toBe(3);
    expect(
      await reasonOf(
        discoverSnapshotUri(`${camera.base}/onvif/device_service`, {
          ...base,
          credentials: { ...credentials, password: 'x' },
          now: Date.now,
        }),
      ),
    ).toBe('bad_status');
    // An ONVIF answer pointing outside the network is refused when it is fetched, like any URL.
    expect(await reasonOf(discoverSnapshotUri('http://127.0.0.1:9/onvif/device_service', { ...base, credentials, now: Date.now }))).toBe(
      'address_refused',
    );
  });
});

describe('CAMERA_NETWORKS', () => {
  it('is a checked CIDR list: the demo range outside production, nothing (pulling off) in production', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).cameraNetworks).toEqual(['10.77.0.0/16']);
    expect(loadConfig({ NODE_ENV: 'production' }).cameraNetworks).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test', CAMERA_NETWORKS: ' 192.168.8.0/24, fd00:77::/64 ' }).cameraNetworks).toEqual([
      '192.168.8.0/24',
      'fd00:77::/64',
    ]);
    expect(loadConfig({ NODE_ENV: 'test', CAMERA_NETWORKS: '' }).cameraNetworks).toEqual([]);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'camera.lan/24', '::1/129', '10.0.0.0/8/1']) {
      expect(() => loadConfig({ NODE_ENV: 'test', CAMERA_NETWORKS: bad }), bad).toThrow(ConfigError);
    }
  });
});
