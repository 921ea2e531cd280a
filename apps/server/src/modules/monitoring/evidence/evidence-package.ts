// Builds the evidence package a police liaison downloads once a cadre approved the request: one
// stored ZIP holding the images as kept, events.json, README.txt, the county's public key,
// SHA256SUMS.txt, manifest.json (every other file's path, size and SHA-256, who asked, who
// approved, when) and manifest.sig, the county's Ed25519 signature over manifest.json's exact
// bytes. evidence-verifier.ts checks one offline. Images are streamed from their files into a
// temporary file beside `outFile`, hashed as they pass, so memory stays at one chunk however many
// images there are; the package appears under `outFile` only when complete, and never replaces
// an existing file.
import { randomUUID, sign } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CountySigningKey } from './county-signing-key.ts';
import {
  checksumsText,
  type EvidenceEvent,
  type EvidenceManifest,
  type EvidenceManifestFields,
  EvidencePackageError,
  IMAGE_PATH_PATTERN,
  instant,
  type LoggedEvent,
  MAX_EVENTS,
  MAX_IMAGES,
  type ManifestFile,
  manifestBytes,
  manifestHeader,
  normaliseEvent,
  PACKAGE_FILES,
  readmeText,
} from './evidence-manifest.ts';
import { StoredZipWriter, ZipFormatError } from './stored-zip.ts';

/** One picture as kept; `path` is `images/<name>` (ASCII letters, digits, `.`, `_`, `-`). */
export type EvidenceImage = { path: string; capturedAt: Date | string } & (
  | { bytes: Uint8Array; sourceFile?: undefined }
  | { sourceFile: string; bytes?: undefined }
);

export type BuildEvidencePackageInput = {
  /** Where the package is written; must not exist yet. */
  outFile: string;
  files: EvidenceImage[];
  /** Events beyond those the builder writes itself (request, approval, one capture per image, packaging). */
  events?: EvidenceEvent[];
  manifestFields: EvidenceManifestFields;
  signingKey: CountySigningKey;
  /** The package's creation time; defaults to now. */
  now?: Date;
};

export type BuiltEvidencePackage = {
  file: string;
  bytes: number;
  manifest: EvidenceManifest;
  /** SHA-256 (hex) of manifest.json: what the signature covers, worth recording in the audit log. */
  manifestSha256: string;
  /** The Ed25519 signature in base64. */
  signature: string;
};

export async function buildEvidencePackage(input: BuildEvidencePackageInput): Promise<BuiltEvidencePackage> {
  const header = manifestHeader(input.manifestFields);
  const createdAt = (input.now ?? new Date()).toISOString();
  const images = checkImages(input.files, header.timeRange);
  const extraEvents = input.events ?? [];
  if (!Array.isArray(extraEvents) || extraEvents.length > MAX_EVENTS) throw new EvidencePackageError('too_large', 'events');
  const logged = extraEvents.map(normaliseEvent);
  if (await exists(input.outFile)) throw new EvidencePackageError('output_exists', 'outFile');

  const partial = path.join(path.dirname(input.outFile), `.${path.basename(input.outFile)}.${randomUUID()}.partial`);
  const zip = await StoredZipWriter.create(partial, new Date(createdAt)).catch((error: unknown) => {
    throw error instanceof ZipFormatError ? new EvidencePackageError('invalid_field', 'now') : error;
  });
  try {
    const listed: ManifestFile[] = [];
    for (const image of images) {
      const written = image.bytes ? await zip.addBytes(image.path, image.bytes) : await zip.addFile(image.path, image.sourceFile as string);
      listed.push({ path: image.path, role: 'image', size: written.size, sha256: written.sha256, capturedAt: image.capturedAt });
    }
    const signature: EvidenceManifest['signature'] = {
      algorithm: 'Ed25519',
      publicKeyFingerprint: input.signingKey.fingerprint,
      signedFile: PACKAGE_FILES.manifest,
      signatureFile: PACKAGE_FILES.signature,
    };
    const draft: EvidenceManifest = { ...header, createdAt, signature, files: listed };
    const eventLog = eventLogBytes(draft, logged);
    const fixed: [string, ManifestFile['role'], Buffer][] = [
      [PACKAGE_FILES.events, 'events', eventLog],
      [PACKAGE_FILES.readme, 'readme', Buffer.from(readmeText(draft), 'utf8')],
      [PACKAGE_FILES.publicKey, 'public-key', Buffer.from(input.signingKey.publicKeyPem, 'utf8')],
    ];
    for (const [name, role, bytes] of fixed) listed.push({ path: name, role, ...(await sizeAndHash(zip, name, bytes)) });
    const sums = Buffer.from(checksumsText(listed), 'utf8');
    listed.push({ path: PACKAGE_FILES.checksums, role: 'checksums', ...(await sizeAndHash(zip, PACKAGE_FILES.checksums, sums)) });

    const manifest: EvidenceManifest = { ...draft, files: listed };
    const signed = manifestBytes(manifest);
    const signatureBytes = sign(null, signed, input.signingKey.privateKey);
    const manifestEntry = await zip.addBytes(PACKAGE_FILES.manifest, signed);
    await zip.addBytes(PACKAGE_FILES.signature, signatureBytes);
    await zip.finish();
    // link() refuses an existing name, so a package written meanwhile under outFile is never replaced.
    await fs.link(partial, input.outFile).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new EvidencePackageError('output_exists', 'outFile') : error;
    });
    await fs.unlink(partial);
    const { size } = await fs.stat(input.outFile);
    return {
      file: input.outFile,
      bytes: size,
      manifest,
      manifestSha256: manifestEntry.sha256,
      signature: signatureBytes.toString('base64'),
    };
  } catch (error) {
    await zip.abort();
    await fs.rm(partial, { force: true });
    if (error instanceof ZipFormatError) throw new EvidencePackageError('too_large', 'files');
    throw error;
  }
}

type CheckedImage = EvidenceImage & { capturedAt: string };

function checkImages(files: EvidenceImage[], range: { from: string; to: string }): CheckedImage[] {
  if (!Array.isArray(files) || files.length === 0) throw new EvidencePackageError('invalid_field', 'files');
  if (files.length > MAX_IMAGES) throw new EvidencePackageError('too_large', 'files');
  const seen = new Set<string>();
  const checked = files.map((file, i) => {
    const field = `files[${i}]`;
    if (typeof file?.path !== 'string' || !IMAGE_PATH_PATTERN.test(file.path))
      throw new EvidencePackageError('invalid_file', `${field}.path`);
    if (seen.has(file.path.toLowerCase())) throw new EvidencePackageError('invalid_file', `${field}.path`);
    seen.add(file.path.toLowerCase());
    const hasBytes = file.bytes instanceof Uint8Array;
    const hasSource = typeof file.sourceFile === 'string' && file.sourceFile !== '';
    if (hasBytes === hasSource) throw new EvidencePackageError('invalid_file', `${field}.bytes`);
    const capturedAt = instant(file.capturedAt, `${field}.capturedAt`);
    // A picture from outside the approved time range is not part of what was approved.
    if (capturedAt < range.from || capturedAt > range.to) throw new EvidencePackageError('invalid_file', `${field}.capturedAt`);
    return { ...file, capturedAt };
  });
  return checked.sort((a, b) => (a.capturedAt === b.capturedAt ? (a.path < b.path ? -1 : 1) : a.capturedAt < b.capturedAt ? -1 : 1));
}

/** The event log: what the service passed plus the request, approval, each capture and the packaging, in time order. */
function eventLogBytes(manifest: EvidenceManifest, extra: LoggedEvent[]): Buffer {
  const events: LoggedEvent[] = [
    { at: manifest.request.at, type: 'evidence.requested', actor: manifest.request.by, detail: { reason: manifest.request.reason } },
    { at: manifest.approval.at, type: 'evidence.approved', actor: manifest.approval.by, detail: { reason: manifest.approval.reason } },
    ...manifest.files.map((f) => ({
      at: f.capturedAt as string,
      type: 'snapshot.captured',
      detail: { cameraId: manifest.camera.id, path: f.path, sha256: f.sha256 },
    })),
    ...extra,
    { at: manifest.createdAt, type: 'evidence.packaged', detail: { imageCount: manifest.files.length } },
  ];
  const ordered = events
    .map((event, order) => ({ event, order }))
    .sort((a, b) => (a.event.at === b.event.at ? a.order - b.order : a.event.at < b.event.at ? -1 : 1));
  const log = {
    packageId: manifest.packageId,
    caseNumber: manifest.caseNumber,
    camera: manifest.camera,
    region: manifest.region,
    timeRange: manifest.timeRange,
    events: ordered.map((o) => o.event),
  };
  return Buffer.from(`${JSON.stringify(log, null, 2)}\n`, 'utf8');
}

async function sizeAndHash(zip: StoredZipWriter, name: string, bytes: Buffer): Promise<{ size: number; sha256: string }> {
  const written = await zip.addBytes(name, bytes);
  return { size: written.size, sha256: written.sha256 };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
