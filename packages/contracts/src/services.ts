// Government services: the catalogue's words and the shapes of items and applications.
import { type Static, Type } from 'typebox';
import { Id, Nullable } from './common.ts';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  APPLICATION_VIEWS,
  DELIVERIES,
  LIFE_EVENTS,
  SERVICE_PLACES,
  SERVICE_TAGS,
} from './services-lists.ts';

export { APPLICATION_ACTIONS, APPLICATION_STATES, APPLICATION_VIEWS, DELIVERIES, LIFE_EVENTS, SERVICE_PLACES, SERVICE_TAGS };

// One of the listed words. Type.Union over a mapped array types as never (TypeBox wants a tuple),
// so the schema is spelled out and its static type named: the same check, and `T` to the compiler.
const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const Material = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    required: Type.Boolean(),
    note: Type.String({ maxLength: 300 }),
    /** The id of a filled-in sample (样表) to follow, at GET /api/services/items/{id}/samples/{sample}. */
    sample: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  // A material is stored as given, so nothing it does not name may ride along (mass assignment).
  { additionalProperties: false },
);

export const ServiceItemInput = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    departmentId: Id,
    legalBasis: Type.String({ maxLength: 500 }),
    materials: Type.Array(Material, { maxItems: 30 }),
    fee: Type.String({ maxLength: 100 }),
    statutoryDays: Type.Integer({ minimum: 0, maximum: 365 }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 365 }),
    places: Type.Array(literals(SERVICE_PLACES), { minItems: 1, maxItems: SERVICE_PLACES.length }),
    tags: Type.Array(literals(SERVICE_TAGS), { maxItems: SERVICE_TAGS.length }),
    lifeEvents: Type.Array(literals(LIFE_EVENTS), { maxItems: LIFE_EVENTS.length }),
    /** Short names and synonyms people search by (低保 for 最低生活保障). */
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ServiceItem = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  departmentId: Id,
  departmentName: Type.String(),
  legalBasis: Type.String(),
  materials: Type.Array(Material),
  fee: Type.String(),
  statutoryDays: Type.Integer(),
  promisedDays: Type.Integer(),
  places: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  lifeEvents: Type.Array(Type.String()),
  aliases: Type.Array(Type.String()),
  active: Type.Boolean(),
});
export type ServiceItem = Static<typeof ServiceItem>;

export const Application = Type.Object({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  applicantPersonId: Id,
  applicantName: Type.String(),
  channel: Type.String(),
  state: Type.String(),
  missing: Type.Array(Type.String()),
  delivery: Type.String(),
  address: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  createdAt: Type.String(),
  acceptedAt: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  /** Who marked it delivered (送达), by name as it was then. */
  deliveredBy: Nullable(Type.String()),
  /** The certificate's number (county code, year, sequence: 500242-2026-000123), once approved. */
  certificateNumber: Nullable(Type.String()),
  overdue: Type.Boolean(),
});
export type Application = Static<typeof Application>;

export const ApplicationDetail = Type.Object({
  application: Application,
  materials: Type.Array(
    Type.Object({ id: Id, material: Type.String(), contentType: Type.String(), bytes: Type.Integer(), createdAt: Type.String() }),
  ),
  history: Type.Array(
    Type.Object({
      action: Type.String(),
      from: Nullable(Type.String()),
      to: Type.String(),
      note: Nullable(Type.String()),
      at: Type.String(),
    }),
  ),
});
export type ApplicationDetail = Static<typeof ApplicationDetail>;

export const CatalogueStatistics = Type.Object({
  total: Type.Integer(),
  byTag: Type.Record(Type.String(), Type.Integer()),
  fullyOnlineShare: Type.Number(),
  byDepartment: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() })),
});
export type CatalogueStatistics = Static<typeof CatalogueStatistics>;

const figures = {
  applications: Type.Integer(),
  decided: Type.Integer(),
  onTime: Type.Integer(),
  onTimeRate: Nullable(Type.Number()),
  averageDays: Nullable(Type.Number()),
  onlineShare: Type.Number(),
  nearbyShare: Type.Number(),
};
export const ServiceStatistics = Type.Object({
  total: Type.Object(figures),
  byItem: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), ...figures })),
  byTag: Type.Array(Type.Object({ key: Type.String(), ...figures })),
  byTownship: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), ...figures })),
});
export type ServiceStatistics = Static<typeof ServiceStatistics>;

// ---- Requests and answers of /api/services ----

export const ItemsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 60 })),
  tag: Type.Optional(literals(SERVICE_TAGS)),
  lifeEvent: Type.Optional(literals(LIFE_EVENTS)),
  departmentId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});
export type ItemsQuery = Static<typeof ItemsQuery>;

export const ItemsPage = Type.Object({ items: Type.Array(ServiceItem), nextCursor: Nullable(Type.String()) });

/** Names the material a sample or an upload belongs to. */
export const MaterialQuery = Type.Object({ material: Type.String({ minLength: 1, maxLength: 100 }) });

export const SampleParams = Type.Object({ id: Id, sample: Type.String({ pattern: '^[0-9a-f-]{36}\\.(pdf|jpg)$' }) });

export const CatalogueImportResult = Type.Object({ inserted: Type.Integer(), updated: Type.Integer() });
export type CatalogueImportResult = Static<typeof CatalogueImportResult>;

export const ApplyInput = Type.Object(
  {
    itemId: Id,
    applicantPersonId: Id,
    /** A service-hall agent records that the villager agreed to be represented. */
    consent: Type.Optional(Type.Boolean()),
    delivery: literals(DELIVERIES),
    address: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ApplyInput = Static<typeof ApplyInput>;

export const ApplicationsQuery = Type.Object({
  view: literals(APPLICATION_VIEWS),
  state: Type.Optional(literals(APPLICATION_STATES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});
export type ApplicationsQuery = Static<typeof ApplicationsQuery>;

export const ApplicationsPage = Type.Object({ items: Type.Array(Application), nextCursor: Nullable(Type.String()) });

export const UploadedMaterial = Type.Object({
  id: Id,
  material: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  createdAt: Type.String(),
});

export const MaterialFileParams = Type.Object({ id: Id, fileId: Id });

export const TransitionInput = Type.Object(
  {
    action: literals(APPLICATION_ACTIONS),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    /** askMaterials: materials beyond the item's list that the department needs. */
    missing: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type TransitionInput = Static<typeof TransitionInput>;

export const StatisticsQuery = Type.Object({
  from: Type.String({ format: 'date-time', maxLength: 40 }),
  to: Type.String({ format: 'date-time', maxLength: 40 }),
});
