// Cameras (monitoring): the request and response shapes of registering cameras, taking their
// pictures in (pushed, pulled, grabbed, found through ONVIF) and reading them.
import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

export const CAMERA_PURPOSES = ['publicSecurity', 'marketTown', 'farm', 'eldersHome'] as const;
export type CameraPurpose = (typeof CAMERA_PURPOSES)[number];
/** Purposes whose cameras look at public places and so must show a public sign. */
export const PUBLIC_CAMERA_PURPOSES: readonly CameraPurpose[] = ['publicSecurity', 'marketTown'];
export const CAMERA_SOURCES = ['push', 'httpPull', 'rtsp', 'onvif'] as const;
export type CameraSource = (typeof CAMERA_SOURCES)[number];

export const CAMERA_PURPOSE_LABELS: Record<CameraPurpose, { zh: string; en: string }> = {
  publicSecurity: { zh: '治安防控', en: 'Public security' },
  marketTown: { zh: '集镇管理', en: 'Market town' },
  farm: { zh: '农业生产', en: 'Farm' },
  eldersHome: { zh: '居家养老', en: 'Elder’s home' },
};
export const CAMERA_SOURCE_LABELS: Record<CameraSource, { zh: string; en: string }> = {
  push: { zh: '摄像头推送', en: 'Pushed by the camera' },
  httpPull: { zh: '定时抓图', en: 'Snapshot URL pulled' },
  rtsp: { zh: 'RTSP 取帧', en: 'Frame from RTSP' },
  onvif: { zh: 'ONVIF 抓图', en: 'Found through ONVIF' },
};

const Purpose = Type.Unsafe<CameraPurpose>(Type.Union(CAMERA_PURPOSES.map((p) => Type.Literal(p))));
const Source = Type.Unsafe<CameraSource>(Type.Union(CAMERA_SOURCES.map((s) => Type.Literal(s))));

/** A point as fractions of the picture's width and height. */
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
export const Polygon = Type.Array(Type.Array(Fraction, { minItems: 2, maxItems: 2 }), { minItems: 3, maxItems: 64 });
const Url = Type.String({ minLength: 8, maxLength: 2000 });
const Text100 = Type.String({ minLength: 1, maxLength: 100 });

export const CameraCredentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ maxLength: 200 }),
    /**
     * Basic authentication sends the password readable; over plain http or rtsp the platform sends
     * it only when this is true (an old camera on the closed camera network that knows nothing else).
     */
    allowBasicOverHttp: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const cameraFields = {
  name: Text100,
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  directionDegrees: Type.Integer({ minimum: 0, maximum: 359 }),
  owner: Text100,
  purpose: Purpose,
  publicSignRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  retentionDays: Type.Integer({ minimum: 1, maximum: 365 }),
  privacyMasks: Type.Array(Polygon, { maxItems: 20 }),
  watchArea: Type.Optional(Polygon),
  source: Source,
  snapshotUrl: Type.Optional(Url),
  streamUrl: Type.Optional(Url),
  onvifUrl: Type.Optional(Url),
  /** Write-only: kept sealed, never shown again. */
  credentials: Type.Optional(CameraCredentials),
  pullEverySeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 })),
  enabled: Type.Optional(Type.Boolean()),
};

export const CameraInput = Type.Object({ regionId: Id, ...cameraFields }, { additionalProperties: false });
export type CameraInput = Static<typeof CameraInput>;

/** What a change may touch; `credentials: null` forgets them, `publicSignRef`/`watchArea`/URLs null clear them. */
export const CameraPatch = Type.Object(
  {
    name: Type.Optional(cameraFields.name),
    latitude: Type.Optional(cameraFields.latitude),
    longitude: Type.Optional(cameraFields.longitude),
    directionDegrees: Type.Optional(cameraFields.directionDegrees),
    owner: Type.Optional(cameraFields.owner),
    purpose: Type.Optional(Purpose),
    publicSignRef: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    retentionDays: Type.Optional(cameraFields.retentionDays),
    privacyMasks: Type.Optional(cameraFields.privacyMasks),
    watchArea: Type.Optional(Type.Union([Polygon, Type.Null()])),
    source: Type.Optional(Source),
    snapshotUrl: Type.Optional(Type.Union([Url, Type.Null()])),
    streamUrl: Type.Optional(Type.Union([Url, Type.Null()])),
    onvifUrl: Type.Optional(Type.Union([Url, Type.Null()])),
    credentials: Type.Optional(Type.Union([CameraCredentials, Type.Null()])),
    pullEverySeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 10, maximum: 86_400 }), Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CameraPatch = Static<typeof CameraPatch>;

export const Camera = Type.Object({
  id: Id,
  name: Type.String(),
  regionId: Id,
  latitude: Type.Number(),
  longitude: Type.Number(),
  directionDegrees: Type.Integer(),
  owner: Type.String(),
  purpose: Purpose,
  publicSignRef: Nullable(Type.String()),
  retentionDays: Type.Integer(),
  privacyMasks: Type.Array(Type.Array(Type.Array(Type.Number()))),
  watchArea: Type.Union([Type.Array(Type.Array(Type.Number())), Type.Null()]),
  source: Source,
  snapshotUrl: Nullable(Type.String()),
  streamUrl: Nullable(Type.String()),
  onvifUrl: Nullable(Type.String()),
  hasCredentials: Type.Boolean(),
  hasPushKey: Type.Boolean(),
  pullEverySeconds: Nullable(Type.Integer()),
  lastPullAt: Nullable(Type.String()),
  /** A short code (timeout, unauthorized, address_refused …) of the last failed pull. */
  lastPullError: Nullable(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Camera = Static<typeof Camera>;

/** The push key is shown here once (at registration or rotation) and never again. */
export const CameraRegistered = Type.Object({ camera: Camera, pushKey: Nullable(Type.String()) });
export type CameraRegistered = Static<typeof CameraRegistered>;
export const PushKey = Type.Object({ pushKey: Type.String() });

export const CameraListQuery = Type.Object({ ...PageQuery.properties, regionId: Type.Optional(Id) }, { additionalProperties: false });
export const CameraPage = pageOf(Camera);

export const Snapshot = Type.Object({
  id: Id,
  cameraId: Id,
  source: Source,
  capturedAt: Timestamp,
  receivedAt: Timestamp,
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  held: Type.Boolean(),
});
export type Snapshot = Static<typeof Snapshot>;
export const SnapshotPage = pageOf(Snapshot);

export const SnapshotRangeQuery = Type.Object(
  {
    ...PageQuery.properties,
    from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Captured at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Captured before' })),
  },
  { additionalProperties: false },
);

/** A pushed picture's capture time; the receive time when absent. */
export const PushQuery = Type.Object(
  { capturedAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })) },
  { additionalProperties: false },
);

export const SnapshotImageQuery = Type.Object(
  { variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) },
  { additionalProperties: false },
);

export const LiveCamera = Type.Object({
  camera: Type.Object({
    id: Id,
    name: Type.String(),
    regionId: Id,
    latitude: Type.Number(),
    longitude: Type.Number(),
    directionDegrees: Type.Integer(),
    purpose: Purpose,
    enabled: Type.Boolean(),
    lastPullError: Nullable(Type.String()),
  }),
  latest: Type.Union([Snapshot, Type.Null()]),
});
export const LiveView = Type.Object({ items: Type.Array(LiveCamera) });
export type LiveView = Static<typeof LiveView>;
