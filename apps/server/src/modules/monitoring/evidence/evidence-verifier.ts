// Checks an evidence package offline with Node alone: the county's Ed25519 signature over
// manifest.json, every file's size, SHA-256 and CRC against the manifest, no file missing or
// extra, and every other byte of the ZIP (headers, order, timestamps, directory, end record)
// equal to the one canonical layout the builder writes, so that any changed byte fails.
//
// Trust: the package carries its signer's public key, which proves only that nothing changed
// since someone signed it. Who signed it is proven by comparing that key with the county's
// published one: pass `trustedPublicKey` (the county's PEM, or its fingerprint) and the result
// says `signer: 'trusted-key' | 'trusted-fingerprint'`; without it, `signer: 'enclosed-key-only'`
// and the caller must show the enclosed key's fingerprint for a person to compare.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { parseFingerprint, parsePublicKeyPem, publicKeyFingerprint } from './county-signing-key.ts';
import { checksumsText, type EvidenceManifest, manifestProblem, PACKAGE_FILES } from './evidence-manifest.ts';
import {
  type ByteSource,
  checkCanonicalHeaders,
  dosTimestamp,
  hashEntry,
  openByteSource,
  readEntry,
  readStoredZip,
  type StoredZip,
  type ZipEntry,
  ZipFormatError,
} from './stored-zip.ts';

export type VerificationProblemCode =
  | 'unreadable'
  | 'not_a_package'
  | 'trusted_key_unusable'
  | 'signed_by_other_key'
  | 'signature_invalid'
  | 'manifest_invalid'
  | 'file_missing'
  | 'file_extra'
  | 'file_altered'
  | 'layout_altered';

export type VerificationProblem = { code: VerificationProblemCode; zh: string; en: string };

export type EvidenceVerification = {
  /** Nothing changed: the signature holds over the manifest and every byte matches it. */
  valid: boolean;
  /** Whose key the signature was checked against; only the first two say who signed. */
  signer: 'trusted-key' | 'trusted-fingerprint' | 'enclosed-key-only' | 'none';
  /** valid, and signed by the key the caller trusts. */
  signerVerified: boolean;
  /** The fingerprint of the key inside the package, when it holds a readable one. */
  enclosedKeyFingerprint: string | undefined;
  /** The manifest, only when the signature over it holds. */
  manifest: EvidenceManifest | undefined;
  filesChecked: number;
  problems: VerificationProblem[];
};

export type VerifyOptions = {
  /** The county's public key (KeyObject or PEM text) or its fingerprint (64 hex digits). */
  trustedPublicKey?: KeyObject | string;
};

const MAX_MANIFEST_BYTES = 16 << 20;
const MAX_PROBLEMS = 50;

export async function verifyEvidencePackage(fileOrBytes: string | Uint8Array, options: VerifyOptions = {}): Promise<EvidenceVerification> {
  let source: ByteSource;
  try {
    source = await openByteSource(fileOrBytes);
  } catch {
    return failed([problem('unreadable', '无法读取该文件', 'the file cannot be read')]);
  }
  try {
    return await verifySource(source, options);
  } catch (error) {
    // A read that fails midway (a directory, a file cut while being read, a disk error).
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    return failed([problem('unreadable', '无法读取该文件', 'the file cannot be read')]);
  } finally {
    await source.close();
  }
}

type Trust = { key: KeyObject; kind: 'trusted-key' } | { fingerprint: string; kind: 'trusted-fingerprint' } | { kind: 'enclosed-key-only' };

function trustFrom(option: VerifyOptions['trustedPublicKey']): Trust | undefined {
  if (option === undefined) return { kind: 'enclosed-key-only' };
  if (typeof option !== 'string')
    return option.asymmetricKeyType === 'ed25519' ? { key: publicOf(option), kind: 'trusted-key' } : undefined;
  const fingerprint = parseFingerprint(option);
  if (fingerprint) return { fingerprint, kind: 'trusted-fingerprint' };
  const key = parsePublicKeyPem(option);
  return key ? { key, kind: 'trusted-key' } : undefined;
}

async function verifySource(source: ByteSource, options: VerifyOptions): Promise<EvidenceVerification> {
  const trust = trustFrom(options.trustedPublicKey);
  if (!trust) {
    return failed([
      problem(
        'trusted_key_unusable',
        '所给公钥不是 Ed25519 公钥或指纹',
        'the trusted key given is not an Ed25519 public key or fingerprint',
      ),
    ]);
  }
  let zip: StoredZip;
  try {
    zip = await readStoredZip(source);
  } catch (error) {
    return failed([layoutProblem(error)]);
  }
  const byName = new Map(zip.entries.map((e) => [e.name, e]));
  const manifestEntry = byName.get(PACKAGE_FILES.manifest);
  const signatureEntry = byName.get(PACKAGE_FILES.signature);
  const keyEntry = byName.get(PACKAGE_FILES.publicKey);
  if (!manifestEntry || !signatureEntry || !keyEntry) {
    return failed([problem('file_missing', '缺少清单、签名或公钥文件', 'manifest.json, manifest.sig or county-public-key.pem is missing')]);
  }
  const problems: VerificationProblem[] = [];
  const manifestBytes = await readEntry(source, manifestEntry, MAX_MANIFEST_BYTES).catch(() => undefined);
  const signature = await readEntry(source, signatureEntry, 64).catch(() => undefined);
  const enclosedKey = parsePublicKeyPem((await readEntry(source, keyEntry, 4096).catch(() => Buffer.alloc(0))).toString('utf8'));
  const enclosedKeyFingerprint = enclosedKey && publicKeyFingerprint(enclosedKey);

  // The key the signature is checked against, and whether it is the one the caller trusts.
  let key: KeyObject | undefined = enclosedKey;
  if (trust.kind === 'trusted-key') {
    key = trust.key;
    if (enclosedKeyFingerprint !== publicKeyFingerprint(trust.key)) problems.push(otherKey());
  } else if (trust.kind === 'trusted-fingerprint' && enclosedKeyFingerprint !== trust.fingerprint) {
    problems.push(otherKey());
    key = undefined;
  }
  if (!enclosedKey) problems.push(problem('manifest_invalid', '包内公钥无法读取', 'the enclosed public key cannot be read'));
  const signatureHolds = !!(key && manifestBytes && signature && signature.length === 64 && verify(null, manifestBytes, key, signature));
  if (!signatureHolds && (trust.kind !== 'trusted-fingerprint' || key)) {
    problems.push(
      problem(
        'signature_invalid',
        '清单签名不正确（清单或签名被改动，或不是该公钥签发）',
        'the signature over manifest.json does not hold',
      ),
    );
  }

  let manifest: EvidenceManifest | undefined;
  try {
    manifest = manifestBytes && JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    manifest = undefined;
  }
  const shapeProblem = manifestProblem(manifest);
  if (shapeProblem || !manifest) {
    problems.push(problem('manifest_invalid', '清单格式不正确', shapeProblem ?? 'manifest.json cannot be read'));
    return result(problems, trust, enclosedKeyFingerprint, undefined, 0);
  }
  if (manifest.signature.publicKeyFingerprint !== enclosedKeyFingerprint) {
    problems.push(
      problem('manifest_invalid', '清单所记公钥指纹与包内公钥不符', 'the fingerprint in manifest.json is not that of the enclosed key'),
    );
  }
  problems.push(...(await layoutProblems(source, zip, manifest)));
  const checked = await contentProblems(source, byName, manifest, manifestBytes as Buffer, signature);
  problems.push(...checked.problems);
  return result(problems, trust, enclosedKeyFingerprint, signatureHolds ? manifest : undefined, checked.files);
}

/** The entries must be exactly the manifest's files in its order, then manifest.json and manifest.sig. */
async function layoutProblems(source: ByteSource, zip: StoredZip, manifest: EvidenceManifest): Promise<VerificationProblem[]> {
  const problems: VerificationProblem[] = [];
  const expected = [...manifest.files.map((f) => f.path), PACKAGE_FILES.manifest, PACKAGE_FILES.signature];
  const present = new Set(zip.entries.map((e) => e.name));
  const listed = new Set(expected);
  for (const name of expected) {
    if (!present.has(name)) problems.push(problem('file_missing', `缺少文件 ${name}`, `${name} is missing`));
  }
  for (const name of present) {
    if (!listed.has(name)) problems.push(problem('file_extra', `多出清单未列的文件 ${name}`, `${name} is not listed in the manifest`));
  }
  if (problems.length === 0 && zip.entries.some((e, i) => e.name !== expected[i])) {
    problems.push(problem('layout_altered', '文件顺序被改动', 'the entries are not in the order the manifest lists them'));
  }
  try {
    await checkCanonicalHeaders(source, zip, dosTimestamp(new Date(manifest.createdAt)));
  } catch (error) {
    problems.push(layoutProblem(error));
  }
  return problems;
}

async function contentProblems(
  source: ByteSource,
  byName: Map<string, ZipEntry>,
  manifest: EvidenceManifest,
  manifestBytes: Buffer,
  signature: Buffer | undefined,
): Promise<{ problems: VerificationProblem[]; files: number }> {
  const problems: VerificationProblem[] = [];
  let files = 0;
  for (const file of manifest.files) {
    const entry = byName.get(file.path);
    if (!entry) continue;
    files++;
    const hash = await hashEntry(source, entry);
    if (entry.size !== file.size || hash.sha256 !== file.sha256 || hash.crc32 !== entry.crc32) {
      problems.push(
        problem(
          'file_altered',
          `文件 ${file.path} 与清单不符（大小或 SHA-256 不同）`,
          `${file.path} does not match the manifest (size or SHA-256)`,
        ),
      );
    }
  }
  const manifestEntry = byName.get(PACKAGE_FILES.manifest) as ZipEntry;
  const signatureEntry = byName.get(PACKAGE_FILES.signature) as ZipEntry;
  if (crc32(manifestBytes) >>> 0 !== manifestEntry.crc32 || !signature || crc32(signature) >>> 0 !== signatureEntry.crc32) {
    problems.push(problem('file_altered', '清单或签名的校验码不符', 'the CRC of manifest.json or manifest.sig does not match'));
  }
  const sumsFile = manifest.files.find((f) => f.path === PACKAGE_FILES.checksums);
  const sumsEntry = sumsFile && byName.get(sumsFile.path);
  if (sumsFile && sumsEntry) {
    const sums = await readEntry(source, sumsEntry, MAX_MANIFEST_BYTES).catch(() => Buffer.alloc(0));
    if (sums.toString('utf8') !== checksumsText(manifest.files.filter((f) => f !== sumsFile))) {
      problems.push(problem('manifest_invalid', 'SHA256SUMS.txt 与清单不一致', 'SHA256SUMS.txt does not agree with manifest.json'));
    }
  }
  return { problems, files: files + 2 };
}

function result(
  problems: VerificationProblem[],
  trust: Trust,
  enclosedKeyFingerprint: string | undefined,
  manifest: EvidenceManifest | undefined,
  filesChecked: number,
): EvidenceVerification {
  const valid = problems.length === 0;
  const listed = problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), more(problems.length - MAX_PROBLEMS)] : problems;
  return {
    valid,
    signer: trust.kind,
    signerVerified: valid && trust.kind !== 'enclosed-key-only',
    enclosedKeyFingerprint,
    manifest,
    filesChecked,
    problems: listed,
  };
}

function failed(problems: VerificationProblem[]): EvidenceVerification {
  return {
    valid: false,
    signer: 'none',
    signerVerified: false,
    enclosedKeyFingerprint: undefined,
    manifest: undefined,
    filesChecked: 0,
    problems,
  };
}

function problem(code: VerificationProblemCode, zh: string, en: string): VerificationProblem {
  return { code, zh, en };
}

function otherKey(): VerificationProblem {
  return problem('signed_by_other_key', '签名公钥不是您信任的县级公钥', 'the package is signed with a key other than the one you trust');
}

function more(count: number): VerificationProblem {
  return problem('file_altered', `另有 ${count} 处问题未列出`, `${count} more problems not listed`);
}

function layoutProblem(error: unknown): VerificationProblem {
  if (!(error instanceof ZipFormatError)) throw error;
  return problem('layout_altered', '文件结构被改动或已损坏，不是完整的取证包', error.message);
}

function publicOf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}
