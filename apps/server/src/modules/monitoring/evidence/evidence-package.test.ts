// An evidence package is built from a few small images and checked offline: intact it verifies,
// and any byte changed anywhere (images, events, manifest, signature, ZIP headers, directory, end
// record), a file added or removed, or a signature by another key makes it fail.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countySigningKeyFrom } from './county-signing-key.ts';
import type { EvidenceManifest, EvidenceManifestFields } from './evidence-manifest.ts';
import { type BuildEvidencePackageInput, buildEvidencePackage, type EvidenceImage } from './evidence-package.ts';
import { verifyEvidencePackage } from './evidence-verifier.ts';
import { openByteSource, readEntry, readStoredZip, StoredZipWriter } from './stored-zip.ts';

const countyKey = countySigningKeyFrom(generateKeyPairSync('ed25519').privateKey);
const otherKey = countySigningKeyFrom(generateKeyPairSync('ed25519').privateKey);

/** A real PNG of w×h pixels of one colour: small, and opens in any image viewer. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlibCrc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: w }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function buildFields(overrides: Partial<EvidenceManifestFields> = {}): EvidenceManifestFields {
  return {
    packageId: 'ep-0001',
    caseNumber: '大公（刑）字〔2026〕第12号',
    camera: { id: 'cam-east-gate', name: '集镇东口' },
    region: { id: 'region-daxi', name: '大溪镇', code: '330100001' },
    timeRange: { from: '2026-11-20T00:00:00Z', to: '2026-11-30T00:00:00Z' },
    request: {
      by: { userId: 'user-police-1', name: '张警官', role: 'police_liaison', organisation: '大溪派出所' },
      at: '2026-12-01T01:00:00Z',
      reason: '调查集镇东口违建纠纷',
    },
    approval: { by: { userId: 'user-cadre-1', name: '李书记', role: 'township_cadre' }, at: '2026-12-01T02:00:00Z', reason: '同意调取' },
    issuer: { platform: '村治 Cunzhi', county: '示范县' },
    ...overrides,
  };
}

const images: EvidenceImage[] = [
  { path: 'images/cam-east-gate-20261121T080000Z.png', bytes: png(4, 3, [200, 10, 10]), capturedAt: '2026-11-21T08:00:00Z' },
  { path: 'images/cam-east-gate-20261122T080000Z.png', bytes: png(4, 3, [10, 200, 10]), capturedAt: '2026-11-22T08:00:00Z' },
  { path: 'images/cam-east-gate-20261123T080000Z.png', bytes: png(4, 3, [10, 10, 200]), capturedAt: new Date('2026-11-23T08:00:00Z') },
];
const [first, second] = images as [EvidenceImage, EvidenceImage, EvidenceImage];

describe('evidence package', () => {
  let dir: string;
  const out = (name = 'package.zip') => path.join(dir, name);
  const build = (overrides: Partial<BuildEvidencePackageInput> = {}) =>
    buildEvidencePackage({
      outFile: out(),
      files: images,
      events: [{ at: '2026-12-01T02:05:00Z', type: 'evidence.request_viewed', actor: { userId: 'user-cadre-1', name: '李书记' } }],
      manifestFields: buildFields(),
      signingKey: countyKey,
      now: new Date('2026-12-01T03:00:00Z'),
      ...overrides,
    });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-evidence-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds a package whose manifest lists every file with its size and SHA-256, and which verifies', async () => {
    const built = await build();
    expect(fs.readdirSync(dir)).toEqual(['package.zip']);
    const entries = await entriesOf(out());
    expect([...entries.keys()]).toEqual([
      ...images.map((i) => i.path),
      'events.json',
      'README.txt',
      'county-public-key.pem',
      'SHA256SUMS.txt',
      'manifest.json',
      'manifest.sig',
    ]);
    const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8')) as EvidenceManifest;
    expect(manifest).toEqual(built.manifest);
    expect(manifest.caseNumber).toBe('大公（刑）字〔2026〕第12号');
    expect(manifest.approval.by.name).toBe('李书记');
    expect(manifest.signature.publicKeyFingerprint).toBe(countyKey.fingerprint);
    for (const file of manifest.files) {
      const bytes = entries.get(file.path) as Buffer;
      expect(file.size).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    for (const image of images) expect((entries.get(image.path) as Buffer).equals(image.bytes as Buffer)).toBe(true);
    expect(built.manifestSha256).toBe(
      createHash('sha256')
        .update(entries.get('manifest.json') as Buffer)
        .digest('hex'),
    );
    expect((entries.get('manifest.sig') as Buffer).length).toBe(64);
    expect((entries.get('county-public-key.pem') as Buffer).toString()).toBe(countyKey.publicKeyPem);

    const events = JSON.parse((entries.get('events.json') as Buffer).toString('utf8'));
    expect(events.events.map((e: { type: string }) => e.type)).toEqual([
      'snapshot.captured',
      'snapshot.captured',
      'snapshot.captured',
      'evidence.requested',
      'evidence.approved',
      'evidence.request_viewed',
      'evidence.packaged',
    ]);
    expect(events.events[3].actor.name).toBe('张警官');
    expect(events.events[0]).toMatchObject({ at: '2026-11-21T08:00:00.000Z', detail: { cameraId: 'cam-east-gate' } });

    const fromFile = await verifyEvidencePackage(out());
    expect(fromFile).toMatchObject({ valid: true, signer: 'enclosed-key-only', signerVerified: false, problems: [], filesChecked: 9 });
    expect(fromFile.enclosedKeyFingerprint).toBe(countyKey.fingerprint);
    const fromBytes = await verifyEvidencePackage(fs.readFileSync(out()), { trustedPublicKey: countyKey.publicKeyPem });
    expect(fromBytes).toMatchObject({ valid: true, signer: 'trusted-key', signerVerified: true });
    const typed = await verifyEvidencePackage(out(), { trustedPublicKey: `SHA256:${countyKey.fingerprintGrouped.toUpperCase()}` });
    expect(typed).toMatchObject({ valid: true, signer: 'trusted-fingerprint', signerVerified: true });
    const keyObject = await verifyEvidencePackage(out(), { trustedPublicKey: countyKey.privateKey });
    expect(keyObject).toMatchObject({ valid: true, signer: 'trusted-key', signerVerified: true });
  });

  it('fails when any single byte is changed: every header, directory and end-record byte, and samples across every entry', async () => {
    await build();
    const original = fs.readFileSync(out());
    const regions = await regionsOf(original);
    // The positions covered: each entry's local header and data, its central header, and the end record.
    expect(regions).toHaveLength(9 * 3 + 1);
    expect(regions.reduce((sum, r) => sum + (r.to - r.from), 0)).toBe(original.length);
    const positions = regions.flatMap((r) => {
      const length = r.to - r.from;
      // Headers, the directory and the end record byte by byte; contents at 40 spread positions, both ends included.
      if (!r.label.endsWith(' data') || length <= 40) return Array.from({ length }, (_, i) => r.from + i);
      return Array.from({ length: 40 }, (_, i) => r.from + Math.round((i * (length - 1)) / 39));
    });
    for (const position of positions) {
      for (const mask of [0x01, 0xff]) {
        const tampered = Buffer.from(original);
        tampered[position] = (tampered[position] as number) ^ mask;
        const verdict = await verifyEvidencePackage(tampered, { trustedPublicKey: countyKey.fingerprint });
        if (verdict.valid) throw new Error(`changing byte ${position} (${regionAt(regions, position)}) went unnoticed`);
      }
    }
    const hit = new Set(positions.map((p) => regionAt(regions, p)));
    expect(hit.size).toBe(regions.length);
  }, 60_000);

  it('fails when bytes are appended, prepended or cut off', async () => {
    await build();
    const original = fs.readFileSync(out());
    for (const tampered of [
      Buffer.concat([original, Buffer.from([0])]),
      Buffer.concat([Buffer.from([0]), original]),
      original.subarray(0, original.length - 1),
      original.subarray(1),
      Buffer.alloc(0),
    ]) {
      expect((await verifyEvidencePackage(tampered)).valid).toBe(false);
    }
  });

  it('says a path that cannot be read is unreadable, rather than throwing', async () => {
    for (const file of [dir, path.join(dir, 'no-such.zip')]) {
      const verdict = await verifyEvidencePackage(file);
      expect(verdict).toMatchObject({ valid: false, signer: 'none' });
      expect(verdict.problems.map((p) => p.code)).toEqual(['unreadable']);
    }
  });

  it('fails against the county key when another key signed it, even with that key enclosed', async () => {
    await build({ signingKey: otherKey });
    const alone = await verifyEvidencePackage(out());
    // Intact under its own key: only the trusted key or fingerprint tells who signed.
    expect(alone).toMatchObject({ valid: true, signerVerified: false, enclosedKeyFingerprint: otherKey.fingerprint });
    const byPem = await verifyEvidencePackage(out(), { trustedPublicKey: countyKey.publicKeyPem });
    expect(byPem.valid).toBe(false);
    expect(byPem.problems.map((p) => p.code)).toEqual(['signed_by_other_key', 'signature_invalid']);
    const byFingerprint = await verifyEvidencePackage(out(), { trustedPublicKey: countyKey.fingerprint });
    expect(byFingerprint.valid).toBe(false);
    expect(byFingerprint.problems.map((p) => p.code)).toEqual(['signed_by_other_key']);
  });

  it('fails when the county-signed package has its key swapped for another (re-signed) key', async () => {
    await build();
    const entries = await entriesOf(out());
    // Swap in another key and re-sign the manifest: everything is self-consistent except the signer.
    const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8')) as EvidenceManifest;
    const { sign } = await import('node:crypto');
    const pem = Buffer.from(otherKey.publicKeyPem);
    const pemFile = manifest.files.find((f) => f.path === 'county-public-key.pem') as EvidenceManifest['files'][number];
    pemFile.sha256 = createHash('sha256').update(pem).digest('hex');
    pemFile.size = pem.length;
    entries.set('county-public-key.pem', pem);
    const resigned = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    entries.set('manifest.json', resigned);
    entries.set('manifest.sig', sign(null, resigned, otherKey.privateKey));
    await rewrite(entries, out('forged.zip'));
    const verdict = await verifyEvidencePackage(out('forged.zip'), { trustedPublicKey: countyKey.fingerprint });
    expect(verdict.valid).toBe(false);
    expect(verdict.problems.map((p) => p.code)).toContain('signed_by_other_key');
  });

  it('fails when a file is added, removed or the entries are reordered, even in an otherwise well-formed ZIP', async () => {
    await build();
    const entries = await entriesOf(out());

    const extra = new Map(entries);
    extra.set('images/planted.png', png(2, 2, [0, 0, 0]));
    await rewrite(extra, out('extra.zip'));
    const withExtra = await verifyEvidencePackage(out('extra.zip'), { trustedPublicKey: countyKey.fingerprint });
    expect(withExtra.valid).toBe(false);
    expect(withExtra.problems.map((p) => p.code)).toEqual(['file_extra']);
    expect(withExtra.problems[0]?.en).toBe('images/planted.png is not listed in the manifest');

    const missing = new Map(entries);
    missing.delete(second.path);
    await rewrite(missing, out('missing.zip'));
    const withMissing = await verifyEvidencePackage(out('missing.zip'), { trustedPublicKey: countyKey.fingerprint });
    expect(withMissing.valid).toBe(false);
    expect(withMissing.problems.map((p) => p.code)).toEqual(['file_missing']);

    const reordered = new Map([...entries].reverse());
    await rewrite(reordered, out('reordered.zip'));
    const withOrder = await verifyEvidencePackage(out('reordered.zip'), { trustedPublicKey: countyKey.fingerprint });
    expect(withOrder.valid).toBe(false);
    expect(withOrder.problems.map((p) => p.code)).toEqual(['layout_altered']);

    const unsigned = new Map(entries);
    unsigned.delete('manifest.sig');
    await rewrite(unsigned, out('unsigned.zip'));
    expect((await verifyEvidencePackage(out('unsigned.zip'))).valid).toBe(false);

    // The same entries written again the canonical way are the same package, byte for byte.
    await rewrite(entries, out('same.zip'));
    expect(fs.readFileSync(out('same.zip')).equals(fs.readFileSync(out()))).toBe(true);
  });

  it('streams a few hundred images from their files and leaves no temporary file behind', async () => {
    const sources = Array.from({ length: 300 }, (_, i) => {
      const file = path.join(dir, `snap-${i}.png`);
      fs.writeFileSync(file, png(8, 8, [i % 256, (i * 7) % 256, 90]));
      const at = new Date(Date.parse('2026-11-21T00:00:00Z') + i * 600_000);
      return { path: `images/snap-${String(i).padStart(3, '0')}.png`, sourceFile: file, capturedAt: at };
    });
    const big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(3 * (1 << 20) + 17, 7)); // spans several read chunks
    sources.push({ path: 'images/zz-large.jpg', sourceFile: big, capturedAt: new Date('2026-11-29T00:00:00Z') });
    const built = await build({ files: sources });
    expect(built.manifest.files.filter((f) => f.role === 'image')).toHaveLength(301);
    const verdict = await verifyEvidencePackage(out(), { trustedPublicKey: countyKey.fingerprint });
    expect(verdict).toMatchObject({ valid: true, signerVerified: true, filesChecked: 307 });
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses bad input, naming the field and never the value, and writes nothing', async () => {
    const refusals: [Partial<BuildEvidencePackageInput>, string][] = [
      [{ files: [] }, 'files'],
      [{ files: [{ ...first, path: 'images/../../etc/passwd' }] }, 'files[0].path'],
      [{ files: [{ ...first, path: 'manifest.json' }] }, 'files[0].path'],
      [{ files: [first, { ...second, path: first.path.toUpperCase() }] }, 'files[1].path'],
      [{ files: [{ ...first, capturedAt: '2026-12-25T00:00:00Z' }] }, 'files[0].capturedAt'],
      [{ files: [{ path: 'images/a.png', capturedAt: '2026-11-21T00:00:00Z' } as EvidenceImage] }, 'files[0].bytes'],
      [{ manifestFields: buildFields({ caseNumber: 'x\u001b[2Jy' }) }, 'caseNumber'],
      [{ manifestFields: buildFields({ timeRange: { from: '2026-11-30T00:00:00Z', to: '2026-11-20T00:00:00Z' } }) }, 'timeRange'],
      [{ manifestFields: buildFields({ packageId: 'p'.repeat(65) }) }, 'packageId'],
      [{ events: [{ at: 'yesterday', type: 'evidence.viewed' }] }, 'events[0].at'],
      [{ events: [{ at: '2026-12-01T00:00:00Z', type: 'Evidence Viewed' }] }, 'events[0].type'],
    ];
    for (const [overrides, field] of refusals) {
      const error = await build(overrides).catch((e: unknown) => e);
      expect(error, field).toMatchObject({ field });
      expect(String((error as Error).message)).not.toContain('passwd');
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  it('never replaces an existing file, and cleans up after a source that cannot be read', async () => {
    fs.writeFileSync(out(), 'earlier package');
    await expect(build()).rejects.toMatchObject({ code: 'output_exists' });
    expect(fs.readFileSync(out(), 'utf8')).toBe('earlier package');
    const gone = [{ path: 'images/gone.png', sourceFile: path.join(dir, 'no-such.png'), capturedAt: '2026-11-21T00:00:00Z' }];
    await expect(build({ outFile: out('second.zip'), files: gone })).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['package.zip']);
  });

  it.skipIf(!hasTool('unzip') || !hasTool('openssl') || !hasTool('sha256sum'))(
    'opens with unzip and checks with openssl and sha256sum as README.txt says',
    async () => {
      await build();
      const run = (cmd: string, args: string[], cwd = dir) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });
      expect(run('unzip', ['-t', 'package.zip']).status).toBe(0);
      fs.mkdirSync(path.join(dir, 'x'));
      expect(run('unzip', ['-q', '../package.zip'], path.join(dir, 'x')).status).toBe(0);
      const cwd = path.join(dir, 'x');
      const verified = run(
        'openssl',
        ['pkeyutl', '-verify', '-pubin', '-inkey', 'county-public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'],
        cwd,
      );
      expect(verified.stdout).toContain('Signature Verified Successfully');
      expect(run('sha256sum', ['-c', 'SHA256SUMS.txt'], cwd).status).toBe(0);
      const der = spawnSync('openssl', ['pkey', '-pubin', '-in', 'county-public-key.pem', '-outform', 'DER'], { cwd });
      expect(createHash('sha256').update(der.stdout).digest('hex')).toBe(countyKey.fingerprint);
    },
  );
});

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

async function entriesOf(file: string): Promise<Map<string, Buffer>> {
  const source = await openByteSource(file);
  const zip = await readStoredZip(source);
  const entries = new Map<string, Buffer>();
  for (const entry of zip.entries) entries.set(entry.name, await readEntry(source, entry, 1 << 30));
  await source.close();
  return entries;
}

/** The entries written again as a well-formed package with the original's timestamp. */
async function rewrite(entries: Map<string, Buffer>, file: string): Promise<void> {
  const writer = await StoredZipWriter.create(file, new Date('2026-12-01T03:00:00Z'));
  for (const [name, bytes] of entries) await writer.addBytes(name, bytes);
  await writer.finish();
}

type Region = { label: string; from: number; to: number };

async function regionsOf(bytes: Buffer): Promise<Region[]> {
  const source = await openByteSource(bytes);
  const zip = await readStoredZip(source);
  const regions: Region[] = [];
  let directory = 0;
  for (const [i, e] of zip.entries.entries()) {
    regions.push({ label: `${e.name} local header`, from: e.headerOffset, to: e.dataOffset });
    regions.push({ label: `${e.name} data`, from: e.dataOffset, to: e.dataOffset + e.size });
    directory = e.dataOffset + e.size;
    const length = (zip.centralHeaders[i] as Buffer).length;
    regions.push({ label: `${e.name} central header`, from: -1, to: length });
  }
  regions.push({ label: 'end record', from: bytes.length - 22, to: bytes.length });
  // Central headers follow one another from the directory's start.
  for (const r of regions.filter((r) => r.from === -1)) {
    r.from = directory;
    directory += r.to;
    r.to = directory;
  }
  return regions;
}

function regionAt(regions: Region[], position: number): string {
  return regions.find((r) => position >= r.from && position < r.to)?.label ?? 'nowhere';
}
