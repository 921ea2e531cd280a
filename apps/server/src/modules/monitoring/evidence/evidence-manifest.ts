// What an evidence package says about itself: the manifest the county signs, the event log, and
// the checks both the builder (fields from the monitoring service) and the verifier (a manifest
// read from a package someone downloaded) apply. Pure: no I/O.

export const EVIDENCE_FORMAT = 'cunzhi-evidence-package';
export const EVIDENCE_FORMAT_VERSION = 1;

/** The fixed entries every package holds besides its images. */
export const PACKAGE_FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'county-public-key.pem',
  events: 'events.json',
  readme: 'README.txt',
  checksums: 'SHA256SUMS.txt',
} as const;
export const IMAGE_PATH_PATTERN = /^images\/[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;
export const MAX_IMAGES = 20_000;
export const MAX_EVENTS = 50_000;

export type FileRole = 'image' | 'events' | 'readme' | 'public-key' | 'checksums';

export type EvidencePerson = { userId: string; name: string; role?: string; organisation?: string };

/** What the monitoring service supplies; times are ISO 8601 strings or Dates. */
export type EvidenceManifestFields = {
  packageId: string;
  caseNumber: string;
  camera: { id: string; name: string };
  region: { id: string; name: string; code?: string };
  timeRange: { from: Date | string; to: Date | string };
  request: { by: EvidencePerson; at: Date | string; reason: string };
  approval: { by: EvidencePerson; at: Date | string; reason: string };
  /** Who issues the package: the platform's name and the county's. */
  issuer: { platform: string; county: string };
};

export type ManifestFile = { path: string; role: FileRole; size: number; sha256: string; capturedAt?: string };

export type EvidenceManifest = {
  format: typeof EVIDENCE_FORMAT;
  formatVersion: typeof EVIDENCE_FORMAT_VERSION;
  packageId: string;
  caseNumber: string;
  camera: { id: string; name: string };
  region: { id: string; name: string; code?: string };
  timeRange: { from: string; to: string };
  request: { by: EvidencePerson; at: string; reason: string };
  approval: { by: EvidencePerson; at: string; reason: string };
  issuer: { platform: string; county: string };
  createdAt: string;
  signature: { algorithm: 'Ed25519'; publicKeyFingerprint: string; signedFile: string; signatureFile: string };
  files: ManifestFile[];
};

export type EvidenceEvent = {
  at: Date | string;
  /** e.g. `evidence.viewed`, lower case words joined by dots or underscores. */
  type: string;
  actor?: EvidencePerson;
  detail?: Record<string, string | number | boolean | null>;
};

/** A refusal of the builder's input; names the field, never the value. */
export class EvidencePackageError extends Error {
  constructor(
    readonly code: 'invalid_field' | 'invalid_file' | 'too_large' | 'output_exists',
    readonly field: string,
  ) {
    super(`${code}: ${field}`);
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const HEX64 = /^[0-9a-f]{64}$/;
const EVENT_TYPE = /^[a-z][a-z0-9_.]{0,63}$/;
// Control characters (other than none) and bidi overrides never belong in a manifest's text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const UNSAFE_TEXT = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

export function instant(value: Date | string, field: string): string {
  const date = typeof value === 'string' ? (ISO_INSTANT.test(value) ? new Date(value) : undefined) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new EvidencePackageError('invalid_field', field);
  return date.toISOString();
}

export function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || UNSAFE_TEXT.test(value)) {
    throw new EvidencePackageError('invalid_field', field);
  }
  return value;
}

function person(value: EvidencePerson, field: string): EvidencePerson {
  if (typeof value !== 'object' || value === null) throw new EvidencePackageError('invalid_field', field);
  const out: EvidencePerson = { userId: text(value.userId, `${field}.userId`, 64), name: text(value.name, `${field}.name`, 100) };
  if (value.role !== undefined) out.role = text(value.role, `${field}.role`, 64);
  if (value.organisation !== undefined) out.organisation = text(value.organisation, `${field}.organisation`, 200);
  return out;
}

/** The manifest's header: the fields checked and normalised, times as ISO 8601 UTC. */
export function manifestHeader(fields: EvidenceManifestFields): Omit<EvidenceManifest, 'createdAt' | 'signature' | 'files'> {
  const from = instant(fields.timeRange?.from, 'timeRange.from');
  const to = instant(fields.timeRange?.to, 'timeRange.to');
  if (from > to) throw new EvidencePackageError('invalid_field', 'timeRange');
  const region: EvidenceManifest['region'] = {
    id: text(fields.region?.id, 'region.id', 64),
    name: text(fields.region?.name, 'region.name', 100),
  };
  if (fields.region.code !== undefined) region.code = text(fields.region.code, 'region.code', 32);
  return {
    format: EVIDENCE_FORMAT,
    formatVersion: EVIDENCE_FORMAT_VERSION,
    packageId: text(fields.packageId, 'packageId', 64),
    caseNumber: text(fields.caseNumber, 'caseNumber', 64),
    camera: { id: text(fields.camera?.id, 'camera.id', 64), name: text(fields.camera?.name, 'camera.name', 100) },
    region,
    timeRange: { from, to },
    request: {
      by: person(fields.request?.by, 'request.by'),
      at: instant(fields.request?.at, 'request.at'),
      reason: text(fields.request?.reason, 'request.reason', 1000),
    },
    approval: {
      by: person(fields.approval?.by, 'approval.by'),
      at: instant(fields.approval?.at, 'approval.at'),
      reason: text(fields.approval?.reason, 'approval.reason', 1000),
    },
    issuer: { platform: text(fields.issuer?.platform, 'issuer.platform', 100), county: text(fields.issuer?.county, 'issuer.county', 100) },
  };
}

/** The exact bytes that are signed: pretty JSON (readable in Notepad), UTF-8, one final newline. */
export function manifestBytes(manifest: EvidenceManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** `sha256sum -c SHA256SUMS.txt` checks every listed file with coreutils alone. */
export function checksumsText(files: { path: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export type LoggedEvent = { at: string; type: string; actor?: EvidencePerson; detail?: Record<string, string | number | boolean | null> };

export function normaliseEvent(event: EvidenceEvent, index: number): LoggedEvent {
  const field = `events[${index}]`;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
    throw new EvidencePackageError('invalid_field', `${field}.type`);
  }
  const out: LoggedEvent = { at: instant(event.at, `${field}.at`), type: event.type };
  if (event.actor !== undefined) out.actor = person(event.actor, `${field}.actor`);
  if (event.detail !== undefined) {
    const entries = Object.entries(event.detail);
    if (entries.length > 20) throw new EvidencePackageError('invalid_field', `${field}.detail`);
    out.detail = {};
    for (const [key, value] of entries) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key)) throw new EvidencePackageError('invalid_field', `${field}.detail`);
      const ok = value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
      out.detail[key] = ok ? value : text(value, `${field}.detail.${key}`, 1000);
    }
  }
  return out;
}

/**
 * Checks the shape of a manifest read from a package: every field present with the right type,
 * so that the verifier and its summary never trip over a crafted one. Returns a problem or undefined.
 */
export function manifestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'manifest.json is not a JSON object';
  if (value.format !== EVIDENCE_FORMAT) return 'manifest.json is not a Cunzhi evidence manifest';
  if (value.formatVersion !== EVIDENCE_FORMAT_VERSION) return 'manifest.json has a format version this verifier does not know';
  const strings: [unknown, string][] = [
    [value.packageId, 'packageId'],
    [value.caseNumber, 'caseNumber'],
    [get(value, 'camera', 'id'), 'camera.id'],
    [get(value, 'camera', 'name'), 'camera.name'],
    [get(value, 'region', 'name'), 'region.name'],
    [get(value, 'request', 'reason'), 'request.reason'],
    [get(value, 'approval', 'reason'), 'approval.reason'],
    [get(get(value, 'request', 'by'), 'name'), 'request.by.name'],
    [get(get(value, 'approval', 'by'), 'name'), 'approval.by.name'],
    [get(value, 'issuer', 'platform'), 'issuer.platform'],
    [get(value, 'issuer', 'county'), 'issuer.county'],
  ];
  for (const [v, name] of strings)
    if (typeof v !== 'string' || v.length > 1000 || UNSAFE_TEXT.test(v)) return `manifest.json: ${name} is missing`;
  const instants = [
    value.createdAt,
    get(value, 'timeRange', 'from'),
    get(value, 'timeRange', 'to'),
    get(value, 'request', 'at'),
    get(value, 'approval', 'at'),
  ];
  if (!instants.every((v) => typeof v === 'string' && ISO_INSTANT.test(v))) return 'manifest.json: a time is missing or malformed';
  const fingerprint = get(value, 'signature', 'publicKeyFingerprint');
  if (typeof fingerprint !== 'string' || !HEX64.test(fingerprint)) return 'manifest.json: the signer fingerprint is missing';
  if (!Array.isArray(value.files) || value.files.length === 0 || value.files.length > MAX_IMAGES + 10)
    return 'manifest.json: the file list is missing';
  for (const file of value.files) {
    if (!isRecord(file) || typeof file.path !== 'string' || typeof file.sha256 !== 'string' || !HEX64.test(file.sha256)) {
      return 'manifest.json: a file entry is malformed';
    }
    if (!Number.isSafeInteger(file.size) || (file.size as number) < 0) return 'manifest.json: a file entry is malformed';
    const fixed = Object.values(PACKAGE_FILES) as string[];
    if (!IMAGE_PATH_PATTERN.test(file.path) && !fixed.includes(file.path))
      return 'manifest.json: a file has a path not allowed in a package';
    if (file.path === PACKAGE_FILES.manifest || file.path === PACKAGE_FILES.signature) return 'manifest.json lists itself or its signature';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}

export function readmeText(manifest: EvidenceManifest): string {
  const imageCount = manifest.files.filter((f) => f.role === 'image').length;
  return [
    '村治平台 · 视频取证包 / Cunzhi evidence package',
    '==========================================',
    '',
    `案件编号 Case number: ${manifest.caseNumber}`,
    `取证包编号 Package id: ${manifest.packageId}`,
    `摄像头 Camera: ${manifest.camera.name} (${manifest.camera.id})，${manifest.region.name}`,
    `时间范围 Time range (UTC): ${manifest.timeRange.from} — ${manifest.timeRange.to}`,
    `图片 Images: ${imageCount}`,
    `签发 Issued by: ${manifest.issuer.county} / ${manifest.issuer.platform}，${manifest.createdAt}`,
    `县级签名公钥指纹 County key fingerprint (SHA-256):`,
    `  ${manifest.signature.publicKeyFingerprint}`,
    '',
    '【如何核验】',
    '1. 用村治平台的核验工具（仅需 Node.js，可离线）：',
    '     npm run evidence:verify -- <本文件.zip> --fingerprint <县里公布的公钥指纹>',
    '   显示“有效”且“签名者已核实”即未被改动、确由县里签发。',
    '2. 或用 OpenSSL 和 sha256sum（解压后在本目录执行）：',
    '     openssl pkeyutl -verify -pubin -inkey county-public-key.pem -rawin -in manifest.json -sigfile manifest.sig',
    '     sha256sum -c SHA256SUMS.txt',
    '   并核对 SHA256SUMS.txt 的 SHA-256 与 manifest.json 中所列一致；',
    '   公钥指纹：openssl pkey -pubin -in county-public-key.pem -outform DER | sha256sum',
    '   必须与县里公布（平台 /api/monitoring/evidence-key、公安取证页面、公函或电话）的指纹一致。包内自带的公钥只能证明“未被改动”，',
    '   不能单独证明“由县里签发”。',
    '',
    '[How to verify]',
    '1. With the Cunzhi verifier (needs Node.js only, works offline):',
    '     npm run evidence:verify -- <this file.zip> --fingerprint <the county published fingerprint>',
    '   "VALID" with "signer verified" means nothing was changed and the county signed it.',
    '2. Or with OpenSSL and sha256sum, in the folder the package was extracted to:',
    '     openssl pkeyutl -verify -pubin -inkey county-public-key.pem -rawin -in manifest.json -sigfile manifest.sig',
    '     sha256sum -c SHA256SUMS.txt',
    '   and check that the SHA-256 of SHA256SUMS.txt is the one manifest.json lists.',
    '   Key fingerprint: openssl pkey -pubin -in county-public-key.pem -outform DER | sha256sum',
    '   It must equal the fingerprint the county publishes (/api/monitoring/evidence-key, the police evidence page,',
    '   a letter or phone). The key inside the package alone proves the package is unchanged, not that the county issued it.',
    '',
  ].join('\r\n');
}
