// Evidence for the police (monitoring, issue 16 item 5): a township's police liaison asks for one
// camera's pictures over a time range for a case; a cadre of the camera's place approves or
// refuses with a reason; the approved request's signed package is downloaded by the liaison.
import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

export const EVIDENCE_REQUEST_STATUSES = ['requested', 'approved', 'refused', 'withdrawn'] as const;
export type EvidenceRequestStatus = (typeof EVIDENCE_REQUEST_STATUSES)[number];
export const EVIDENCE_PACKAGE_STATES = ['pending', 'ready', 'failed'] as const;
export type EvidencePackageState = (typeof EVIDENCE_PACKAGE_STATES)[number];

export const EVIDENCE_STATUS_LABELS: Record<EvidenceRequestStatus, { zh: string; en: string }> = {
  requested: { zh: '待审批', en: 'Awaiting a decision' },
  approved: { zh: '已批准', en: 'Approved' },
  refused: { zh: '未批准', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** The longest time range one request may cover. */
export const EVIDENCE_MAX_RANGE_DAYS = 7;
/**
 * A police case number (案件编号 / 警情编号) as police systems print them: upper-case letters, digits
 * and hyphens, 6 to 40 characters, starting and ending with a letter or digit (e.g. the 23-character
 * A5002420300002026120012 of the public security integrated platform).
 */
export const CASE_NUMBER_PATTERN = '^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]$';

const Instant = Type.String({ format: 'date-time', maxLength: 40 });
/** Free text without control characters other than line breaks, nor bidi overrides. */
const Reason = Type.String({
  minLength: 2,
  maxLength: 500,
  pattern: '^[^\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]*$',
});

export const EvidenceRequestInput = Type.Object(
  {
    cameraId: Id,
    caseNumber: Type.String({ pattern: CASE_NUMBER_PATTERN, minLength: 6, maxLength: 40 }),
    /** What the police need the pictures for (the case, what happened, where). */
    reason: Reason,
    /** Captured at or after. */
    from: Instant,
    /** Captured at or before; not in the future, at most 7 days after `from`. */
    to: Instant,
  },
  { additionalProperties: false },
);
export type EvidenceRequestInput = Static<typeof EvidenceRequestInput>;

export const EvidenceDecisionInput = Type.Object({ reason: Reason }, { additionalProperties: false });
export type EvidenceDecisionInput = Static<typeof EvidenceDecisionInput>;

const Status = Type.Unsafe<EvidenceRequestStatus>({ type: 'string', enum: [...EVIDENCE_REQUEST_STATUSES] });
const PackageState = Type.Unsafe<EvidencePackageState | null>({ type: ['string', 'null'], enum: [...EVIDENCE_PACKAGE_STATES, null] });

export const EvidenceRequest = Type.Object({
  id: Id,
  camera: Type.Object({ id: Id, name: Type.String() }),
  regionId: Id,
  regionName: Type.String(),
  caseNumber: Type.String(),
  reason: Type.String(),
  from: Timestamp,
  to: Timestamp,
  status: Status,
  requestedBy: Type.Object({ userId: Id, name: Type.String() }),
  requestedAt: Timestamp,
  decidedBy: Type.Union([Type.Object({ userId: Id, name: Type.String() }), Type.Null()]),
  decidedAt: Nullable(Type.String()),
  decisionReason: Nullable(Type.String()),
  /** The pictures the approval held (and the package holds). */
  imageCount: Nullable(Type.Integer()),
  packageState: PackageState,
  packageBytes: Nullable(Type.Integer()),
  /** SHA-256 of the package file, to compare with the downloaded one. */
  packageSha256: Nullable(Type.String()),
  /** SHA-256 of manifest.json, the bytes the county's signature covers. */
  manifestSha256: Nullable(Type.String()),
  packagedAt: Nullable(Type.String()),
});
export type EvidenceRequest = Static<typeof EvidenceRequest>;

export const EvidenceRequestPage = pageOf(EvidenceRequest);

/** `mine`: the liaison's own requests; `desk`: the requests about cameras of the cadre's places. */
export const EvidenceRequestListQuery = Type.Object(
  {
    ...PageQuery.properties,
    view: Type.Union([Type.Literal('mine'), Type.Literal('desk')]),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
export type EvidenceRequestListQuery = Static<typeof EvidenceRequestListQuery>;

/** A camera a liaison may ask about: its name and place, nothing of its pictures or settings. */
export const EvidenceCamera = Type.Object({
  id: Id,
  name: Type.String(),
  regionId: Id,
  regionName: Type.String(),
  purpose: Type.String(),
});
export const EvidenceCameraList = Type.Object({ items: Type.Array(EvidenceCamera) });
export type EvidenceCamera = Static<typeof EvidenceCamera>;

/**
 * The county's evidence-signing public key, published without login: whoever holds a package checks
 * who signed it with `npm run evidence:verify -- <package.zip> --fingerprint <fingerprint>`.
 */
export const EvidenceKey = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  publicKeyPem: Type.String(),
  /** 64 lowercase hex digits: SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  fingerprint: Type.String(),
  /** The same in groups of four, to read aloud or compare by eye. */
  fingerprintGrouped: Type.String(),
});
export type EvidenceKey = Static<typeof EvidenceKey>;
