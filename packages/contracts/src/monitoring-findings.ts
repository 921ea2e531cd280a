// Cameras (monitoring), the second half: what change detection found (a structure that went up in
// a camera's watch area), how a cadre handles it (accept the new scene as the baseline, or confirm
// the finding so its case proceeds), each camera's detection settings, and farm cameras: the plot
// or flock a camera watches for a household and its time-lapse (one picture a day, or every
// picture of one day).
//
// Endpoints (prefix /api/monitoring):
//   GET  /findings?state&cameraId&limit&cursor        FindingPage (cadres and grid workers of the place)
//   GET  /findings/{id}                               Finding
//   GET  /findings/{id}/image?kind=before|after|outlined   image/jpeg
//   POST /findings/{id}/accept-baseline  FindingDecision, Idempotency-Key   Finding (cadres: monitoring.manage)
//   POST /findings/{id}/confirm          FindingDecision, Idempotency-Key   Finding (cadres)
//   GET  /cameras/{id}/detection                      DetectionStatus
//   PATCH /cameras/{id}/detection  DetectionSettingsInput   DetectionStatus (cadres)
//   GET  /cameras/{id}/baseline/image                 image/jpeg
//   GET  /farm-subjects?householdId                   FarmSubjectList (a household member sees their own)
//   PUT  /cameras/{id}/farm-subject  FarmSubjectInput  FarmSubject (cadres; farm cameras only)
//   DELETE /cameras/{id}/farm-subject                 204
//   GET  /cameras/{id}/time-lapse?hour&limit&cursor   TimeLapsePage (household members, cadres of the place)
//   GET  /cameras/{id}/time-lapse/{day}               TimeLapseDay
//   GET  /cameras/{id}/time-lapse/snapshots/{snapshotId}/image?variant=full|thumb   image/jpeg
import { type Static, Type } from 'typebox';
import { Id, LocalDate, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';
import { Snapshot } from './monitoring.ts';

export const FINDING_STATES = ['open', 'confirmed', 'sceneAccepted'] as const;
export type FindingState = (typeof FINDING_STATES)[number];
export const FINDING_STATE_LABELS: Record<FindingState, { zh: string; en: string }> = {
  open: { zh: '待核实', en: 'To check' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  sceneAccepted: { zh: '已接受为新基准', en: 'Scene accepted' },
};

export const FARM_SUBJECT_KINDS = ['plot', 'flock'] as const;
export type FarmSubjectKind = (typeof FARM_SUBJECT_KINDS)[number];
export const FARM_SUBJECT_KIND_LABELS: Record<FarmSubjectKind, { zh: string; en: string }> = {
  plot: { zh: '地块', en: 'Plot' },
  flock: { zh: '禽畜群', en: 'Flock' },
};

const FindingStateSchema = Type.Unsafe<FindingState>(Type.Union(FINDING_STATES.map((s) => Type.Literal(s))));
const FarmKind = Type.Unsafe<FarmSubjectKind>(Type.Union(FARM_SUBJECT_KINDS.map((s) => Type.Literal(s))));

/** A rectangle as fractions (0–1) of the picture's width and height, from its top left corner. */
export const NormalisedBox = Type.Object({
  x: Type.Number(),
  y: Type.Number(),
  width: Type.Number(),
  height: Type.Number(),
});
export type NormalisedBox = Static<typeof NormalisedBox>;

export const Finding = Type.Object({
  id: Id,
  cameraId: Id,
  cameraName: Type.String(),
  regionId: Id,
  state: FindingStateSchema,
  /** The case it became (category 乱搭乱建, source camera); null only while the case is being made. */
  caseId: Nullable(Type.String({ format: 'uuid' })),
  caseNumber: Nullable(Type.String()),
  /** The snapshot in which the change had lasted long enough: the "after" picture. */
  afterSnapshotId: Id,
  afterCapturedAt: Timestamp,
  /** The snapshots the change was seen in, oldest first. */
  snapshotIds: Type.Array(Id),
  /** The changed area as a fraction (0–1) of the watch area. */
  changedFraction: Type.Number(),
  /** How unlike the baseline the change is, 0–1. */
  score: Type.Number(),
  /** The changed areas, largest first; the first is the one that persisted. */
  boxes: Type.Array(NormalisedBox),
  createdAt: Timestamp,
  confirmedAt: Nullable(Type.String()),
  confirmedByName: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String({ description: 'When the scene was accepted as the new baseline' })),
  resolvedByName: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type Finding = Static<typeof Finding>;
export const FindingPage = pageOf(Finding);
export type FindingPage = Static<typeof FindingPage>;

export const FindingListQuery = Type.Object(
  {
    ...PageQuery.properties,
    state: Type.Optional(FindingStateSchema),
    cameraId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type FindingListQuery = Static<typeof FindingListQuery>;

/** before = the baseline, after = the snapshot, outlined = after with the changed areas drawn. */
export const FINDING_IMAGE_KINDS = ['before', 'after', 'outlined'] as const;
export type FindingImageKind = (typeof FINDING_IMAGE_KINDS)[number];
export const FindingImageQuery = Type.Object(
  { kind: Type.Optional(Type.Unsafe<FindingImageKind>(Type.Union(FINDING_IMAGE_KINDS.map((k) => Type.Literal(k))))) },
  { additionalProperties: false },
);

/**
 * Both actions take an Idempotency-Key header; the note is what the case's history says. Accepting
 * the scene closes the case, so it needs the reason (2–500 characters; reason_required otherwise);
 * a confirmation's note is optional.
 */
export const FindingDecision = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export type FindingDecision = Static<typeof FindingDecision>;

/** Per camera; null = the installation's default (shown in `defaults`). */
export const DetectionSettingsInput = Type.Object(
  {
    /** Consecutive snapshots a change must be seen in before it becomes a finding (N). */
    snapshotsToConfirm: Type.Optional(Type.Union([Type.Integer({ minimum: 2, maximum: 20 }), Type.Null()])),
    /** Smallest change, as a fraction of the watch area, that can become a finding. */
    minAreaFraction: Type.Optional(Type.Union([Type.Number({ minimum: 0.001, maximum: 0.5 }), Type.Null()])),
    /** Off: snapshots are kept but not compared. */
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DetectionSettingsInput = Static<typeof DetectionSettingsInput>;

export const DetectionStatus = Type.Object({
  cameraId: Id,
  enabled: Type.Boolean(),
  snapshotsToConfirm: Nullable(Type.Integer()),
  minAreaFraction: Nullable(Type.Number()),
  defaults: Type.Object({ snapshotsToConfirm: Type.Integer(), minAreaFraction: Type.Number() }),
  /** The baseline scene: null until the camera's first snapshot is taken as it. */
  baseline: Type.Union([
    Type.Object({
      id: Id,
      snapshotId: Id,
      capturedAt: Timestamp,
      /** first = the camera's first snapshot; accepted = a cadre accepted a finding's scene. */
      reason: Type.Union([Type.Literal('first'), Type.Literal('accepted')]),
      acceptedAt: Timestamp,
    }),
    Type.Null(),
  ]),
  /** Changes being watched now (not yet findings or already reported), longest streak first. */
  tracking: Type.Array(Type.Object({ box: NormalisedBox, areaFraction: Type.Number(), streak: Type.Integer(), reported: Type.Boolean() })),
  lastSnapshotAt: Nullable(Type.String()),
  /** Snapshots of this camera still waiting for detection. */
  queued: Type.Integer(),
});
export type DetectionStatus = Static<typeof DetectionStatus>;

/**
 * A farm camera's subject: the household's plot or flock it watches. Until the agriculture module
 * has plots and flocks of its own, a subject is a household and a label; `agriSubjectId` is where
 * agriculture will link its own record.
 */
export const FarmSubjectInput = Type.Object(
  {
    householdId: Id,
    kind: FarmKind,
    label: Type.String({ minLength: 1, maxLength: 60 }),
  },
  { additionalProperties: false },
);
export type FarmSubjectInput = Static<typeof FarmSubjectInput>;

export const FarmSubject = Type.Object({
  cameraId: Id,
  cameraName: Type.String(),
  householdId: Id,
  kind: FarmKind,
  label: Type.String(),
  agriSubjectId: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type FarmSubject = Static<typeof FarmSubject>;
export const FarmSubjectList = Type.Object({ items: Type.Array(FarmSubject) });
export type FarmSubjectList = Static<typeof FarmSubjectList>;

export const FarmSubjectListQuery = Type.Object({ householdId: Type.Optional(Id) }, { additionalProperties: false });

/** One picture per day (Beijing time), the one nearest `hour`; newest day first, keyset-paged by day. */
export const TimeLapseQuery = Type.Object(
  {
    ...PageQuery.properties,
    hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, default: 12 })),
  },
  { additionalProperties: false },
);
export type TimeLapseQuery = Static<typeof TimeLapseQuery>;

export const TimeLapseFrame = Type.Object({
  /** YYYY-MM-DD, Beijing time. */
  day: Type.String(),
  snapshot: Snapshot,
});
export type TimeLapseFrame = Static<typeof TimeLapseFrame>;
export const TimeLapsePage = pageOf(TimeLapseFrame);
export type TimeLapsePage = Static<typeof TimeLapsePage>;

export const TimeLapseDayParams = Type.Object({ id: Id, day: LocalDate }, { additionalProperties: false });
export const TimeLapseDay = Type.Object({ day: Type.String(), items: Type.Array(Snapshot) });
export type TimeLapseDay = Static<typeof TimeLapseDay>;
