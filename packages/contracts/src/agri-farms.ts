// Farms (agri): a household's plots and flocks, their history and observations. The API list: agri.ts.
import { type Static, Type } from 'typebox';
import {
  CropSchema,
  FARM_CHANGE_ACTIONS,
  GrowthStageSchema,
  Label60,
  LocalDate,
  MAX_HEAD_COUNT,
  MAX_PLOT_AREA_MU,
  Note,
  ObservationKindSchema,
  ObservationPhotoIds,
  ObservationSourceSchema,
  oneOf,
  PestSchema,
  PlotKindSchema,
  SpeciesSchema,
} from './agri.ts';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

/** A farm camera linked to a plot or flock: the time-lapse is /api/monitoring/cameras/{cameraId}/time-lapse. */
export const FarmCamera = Type.Object({ cameraId: Id, cameraName: Type.String(), subjectId: Nullable(Type.String()) });
export type FarmCamera = Static<typeof FarmCamera>;
export const CameraLinkInput = Type.Object({ cameraId: Id }, { additionalProperties: false });
export type CameraLinkInput = Static<typeof CameraLinkInput>;

export const PlotInput = Type.Object(
  {
    name: Label60,
    kind: PlotKindSchema,
    crop: CropSchema,
    variety: Type.Optional(Type.String({ maxLength: 60 })),
    /** mu (亩); more than 0, at most MAX_PLOT_AREA_MU. */
    areaMu: Type.Number({ exclusiveMinimum: 0, maximum: MAX_PLOT_AREA_MU }),
    /** Not in the future. */
    plantedOn: Type.Optional(LocalDate),
    growthStage: Type.Optional(GrowthStageSchema),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type PlotInput = Static<typeof PlotInput>;
export const PlotPatch = Type.Object(
  {
    name: Type.Optional(Label60),
    kind: Type.Optional(PlotKindSchema),
    crop: Type.Optional(CropSchema),
    variety: Type.Optional(Type.String({ maxLength: 60 })),
    areaMu: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_PLOT_AREA_MU })),
    plantedOn: Type.Optional(Type.Union([LocalDate, Type.Null()])),
    growthStage: Type.Optional(Type.Union([GrowthStageSchema, Type.Null()])),
    note: Type.Optional(Note),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PlotPatch = Static<typeof PlotPatch>;

export const Plot = Type.Object({
  id: Id,
  householdId: Id,
  name: Type.String(),
  kind: PlotKindSchema,
  crop: CropSchema,
  variety: Type.String(),
  areaMu: Type.Number(),
  plantedOn: Nullable(Type.String()),
  growthStage: Nullable(Type.String()),
  note: Type.String(),
  camera: Type.Union([FarmCamera, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Plot = Static<typeof Plot>;

export const FlockInput = Type.Object(
  {
    name: Label60,
    species: SpeciesSchema,
    breed: Type.Optional(Type.String({ maxLength: 60 })),
    /** 1 … MAX_HEAD_COUNT. */
    headCount: Type.Integer({ minimum: 1, maximum: MAX_HEAD_COUNT }),
    /** When the flock was hatched or bought in; its age follows. Not in the future. */
    startedOn: Type.Optional(LocalDate),
    growthStage: Type.Optional(GrowthStageSchema),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type FlockInput = Static<typeof FlockInput>;
export const FlockPatch = Type.Object(
  {
    name: Type.Optional(Label60),
    species: Type.Optional(SpeciesSchema),
    breed: Type.Optional(Type.String({ maxLength: 60 })),
    headCount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HEAD_COUNT })),
    startedOn: Type.Optional(Type.Union([LocalDate, Type.Null()])),
    growthStage: Type.Optional(Type.Union([GrowthStageSchema, Type.Null()])),
    note: Type.Optional(Note),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FlockPatch = Static<typeof FlockPatch>;

export const Flock = Type.Object({
  id: Id,
  householdId: Id,
  name: Type.String(),
  species: SpeciesSchema,
  breed: Type.String(),
  headCount: Type.Integer(),
  startedOn: Nullable(Type.String()),
  /** Days since startedOn, or null. */
  ageDays: Nullable(Type.Integer()),
  growthStage: Nullable(Type.String()),
  note: Type.String(),
  camera: Type.Union([FarmCamera, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Flock = Static<typeof Flock>;

export const FarmHousehold = Type.Object({
  id: Id,
  number: Type.String(),
  headName: Type.String(),
  regionId: Id,
  villageId: Nullable(Type.String()),
  townshipId: Nullable(Type.String()),
});
export type FarmHousehold = Static<typeof FarmHousehold>;

export const Farm = Type.Object({
  household: FarmHousehold,
  plots: Type.Array(Plot),
  flocks: Type.Array(Flock),
  /** Farm cameras attached to the household on the camera desk, linked to a plot or flock or not yet. */
  cameras: Type.Array(FarmCamera),
  openQuestions: Type.Integer(),
  unreadAdvice: Type.Integer(),
});
export type Farm = Static<typeof Farm>;

export const FarmSummary = Type.Object({
  household: FarmHousehold,
  plots: Type.Integer(),
  areaMu: Type.Number(),
  flocks: Type.Integer(),
  heads: Type.Integer(),
  crops: Type.Array(CropSchema),
  species: Type.Array(SpeciesSchema),
  updatedAt: Timestamp,
});
export type FarmSummary = Static<typeof FarmSummary>;
export const FarmListQuery = Type.Object(
  { ...PageQuery.properties, regionId: Type.Optional(Id), q: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);
export const FarmPage = pageOf(FarmSummary);
export type FarmPage = Static<typeof FarmPage>;

export const FarmChange = Type.Object({
  id: Id,
  subjectType: Type.Union([Type.Literal('plot'), Type.Literal('flock')]),
  subjectId: Id,
  action: oneOf(FARM_CHANGE_ACTIONS),
  /** The fields that changed, before and after. */
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  byName: Type.String(),
  at: Timestamp,
});
export type FarmChange = Static<typeof FarmChange>;
export const FarmChangePage = pageOf(FarmChange);
export type FarmChangePage = Static<typeof FarmChangePage>;

// ---- Observations -------------------------------------------------------------------------------

/** Exactly one of plotId and flockId. What a kind needs: pest → pest; death → deaths; yield → quantityKg; sale → quantityKg and priceYuanPerKg. */
export const ObservationInput = Type.Object(
  {
    plotId: Type.Optional(Id),
    flockId: Type.Optional(Id),
    kind: ObservationKindSchema,
    /** Not in the future. */
    observedOn: LocalDate,
    growthStage: Type.Optional(GrowthStageSchema),
    pest: Type.Optional(PestSchema),
    deaths: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HEAD_COUNT })),
    quantityKg: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000 })),
    priceYuanPerKg: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    note: Type.Optional(Note),
    /** From POST /photos, by the same caller; at most MAX_OBSERVATION_PHOTOS. */
    photoIds: Type.Optional(ObservationPhotoIds),
  },
  { additionalProperties: false },
);
export type ObservationInput = Static<typeof ObservationInput>;

export const CameraObservationInput = Type.Object(
  {
    cameraId: Id,
    snapshotId: Id,
    kind: Type.Optional(ObservationKindSchema),
    growthStage: Type.Optional(GrowthStageSchema),
    pest: Type.Optional(PestSchema),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type CameraObservationInput = Static<typeof CameraObservationInput>;

export const Observation = Type.Object({
  id: Id,
  householdId: Id,
  plotId: Nullable(Type.String()),
  flockId: Nullable(Type.String()),
  subjectName: Type.String(),
  kind: ObservationKindSchema,
  source: ObservationSourceSchema,
  observedOn: Type.String(),
  growthStage: Nullable(Type.String()),
  pest: Nullable(Type.String()),
  deaths: Nullable(Type.Integer()),
  quantityKg: Nullable(Type.Number()),
  priceYuanPerKg: Nullable(Type.Number()),
  /** quantityKg × priceYuanPerKg for a sale. */
  amountYuan: Nullable(Type.Number()),
  note: Type.String(),
  photoIds: Type.Array(Id),
  /** For source camera: the camera's picture (GET /observations/{id}/camera-image). */
  cameraId: Nullable(Type.String()),
  snapshotId: Nullable(Type.String()),
  byName: Type.String(),
  createdAt: Timestamp,
});
export type Observation = Static<typeof Observation>;
export const ObservationPage = pageOf(Observation);

/**
 * The observations of every farm in the caller's places (the extension worker's township), newest
 * observed day first: by kind, pest or disease, and observed day (from, to: real dates, both included).
 */
export const ObservationListQuery = Type.Object(
  {
    ...PageQuery.properties,
    regionId: Type.Optional(Id),
    kind: Type.Optional(ObservationKindSchema),
    pest: Type.Optional(PestSchema),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
);
export type ObservationListQuery = Static<typeof ObservationListQuery>;
/** An observation in the list across farms, with the household it was made on. */
export const FarmObservation = Type.Object({ ...Observation.properties, householdNumber: Type.String(), headName: Type.String() });
export type FarmObservation = Static<typeof FarmObservation>;
export const FarmObservationPage = pageOf(FarmObservation);
export type FarmObservationPage = Static<typeof FarmObservationPage>;
export type ObservationPage = Static<typeof ObservationPage>;

export const PestList = Type.Object({
  items: Type.Array(Type.Object({ code: PestSchema, zh: Type.String(), en: Type.String(), for: Type.String() })),
});
