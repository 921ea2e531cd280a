import { type Static, Type } from 'typebox';
import { Id, LocalDate, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

export const CASE_STATES = ['received', 'answeredOnSpot', 'assigned', 'accepted', 'handled', 'replied', 'closed'] as const;
export const CASE_SOURCES = ['villagerVoice', 'exposureBoard', 'appeal', 'patrol', 'camera', 'mediation'] as const;
export const CASE_CHANNELS = ['app', 'phone', 'walkIn', 'open311'] as const;
/** Every channel a case's record may show: those a person states (CASE_CHANNELS) and `camera`, for what change detection raises. */
export const CASE_RECORDED_CHANNELS = [...CASE_CHANNELS, 'camera'] as const;
export const CASE_ACTIONS = [
  'answerOnSpot',
  'assign',
  'accept',
  'checkIn',
  'recordMediation',
  'handle',
  'returnForRework',
  'reply',
  'rate',
  'object',
  'close',
  'reopen',
  'transfer',
  'reroute',
  'merge',
] as const;

const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const CaseState = oneOf(CASE_STATES);
export const CaseAction = oneOf(CASE_ACTIONS);

export const CaseCategory = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  routeTo: oneOf(['grid', 'department'] as const),
  departmentId: Nullable(Type.String()),
  deadlineHours: Type.Integer(),
});
export type CaseCategory = Static<typeof CaseCategory>;

export const Case = Type.Object({
  id: Id,
  number: Type.String(),
  source: Type.String(),
  channel: Type.String(),
  categoryId: Type.String(),
  categoryName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  regionId: Type.String(),
  regionName: Type.String(),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  anonymous: Type.Boolean(),
  reporterName: Nullable(Type.String({ description: 'Only for the people handling the case and the reporter' })),
  reporterPhone: Nullable(Type.String()),
  state: CaseState,
  assigneeUserId: Nullable(Type.String()),
  assigneeDepartmentId: Nullable(Type.String()),
  escalationLevel: Type.String(),
  returnCount: Type.Integer(),
  deadlineAt: Timestamp,
  overdue: Type.Boolean(),
  rating: Nullable(Type.Integer()),
  mergedIntoId: Nullable(Type.String()),
  meTooCount: Type.Integer(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publicState: Nullable(oneOf(['pending', 'published', 'rejected'] as const)),
  handlerName: Nullable(Type.String({ description: "The handling grid worker's or department's name; null while nobody has it" })),
  allowedActions: Type.Array(CaseAction, {
    description: 'The actions the caller may take on the case now (same rules as the transitions); the pages show only these',
  }),
});
export type Case = Static<typeof Case>;

/**
 * A case as the lists show it (the desk's queues and search, a grid worker's tasks, a villager's
 * reports, the home tile's count): what a row of a list displays and the actions its buttons offer.
 * The whole case is GET /api/cases/{id}.
 */
export const CaseSummary = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  categoryName: Type.String(),
  regionName: Type.String(),
  state: CaseState,
  deadlineAt: Timestamp,
  overdue: Type.Boolean(),
  createdAt: Timestamp,
  handlerName: Nullable(Type.String({ description: "The handling grid worker's or department's name; null while nobody has it" })),
  allowedActions: Type.Array(CaseAction, { description: 'The actions the caller may take on the case now, as on the whole case' }),
});
export type CaseSummary = Static<typeof CaseSummary>;

export const CaseInput = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
        description: 'Minted by a phone working offline, so that photos can follow the report before it is sent',
      }),
    ),
    source: oneOf(CASE_SOURCES),
    channel: oneOf(CASE_CHANNELS),
    categoryId: Id,
    regionId: Id,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    anonymous: Type.Optional(Type.Boolean({ description: 'Hide the reporter from the public pages' })),
    reporterName: Type.Optional(Type.String({ maxLength: 40 })),
    reporterPhone: Type.Optional(Type.String({ pattern: '^[0-9+\\-() ]{5,20}$', maxLength: 20 })),
  },
  { additionalProperties: false },
);
export type CaseInput = Static<typeof CaseInput>;

/** Where the handler stood when checking in on site (the browser's geolocation). */
export const CheckInDetails = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);
export type CheckInDetails = Static<typeof CheckInDetails>;

/** A mediation's record: who took part and what they agreed. */
export const MediationDetails = Type.Object(
  {
    parties: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
    agreement: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type MediationDetails = Static<typeof MediationDetails>;

export const TransitionInput = Type.Object(
  {
    action: CaseAction,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    assigneeUserId: Type.Optional(Id),
    departmentId: Type.Optional(Id),
    categoryId: Type.Optional(Id),
    mergeIntoId: Type.Optional(Id),
    details: Type.Optional(
      Type.Union([CheckInDetails, MediationDetails], {
        description: 'checkIn: the position; recordMediation: the parties and agreement; no other action takes details',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TransitionInput = Static<typeof TransitionInput>;

export const CaseEvent = Type.Object({
  id: Type.String(),
  action: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  actorUserId: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  note: Nullable(Type.String()),
  details: Type.Unknown(),
  at: Timestamp,
});

export const QueueQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    view: Type.Optional(oneOf(['mine', 'region', 'reported'] as const)),
    state: Type.Optional(CaseState),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description:
          "Words of the title or description, the case number, or the start of the reporter's name; a full phone number " +
          '(11-digit mobile, or a landline with its area code; spaces and dashes ignored) finds the cases reported with it. ' +
          'Reporters are matched only among the cases of the list asked for, all of which the searcher reads with the reporter',
      }),
    ),
    categoryId: Type.Optional(Id),
    /** The region or any region above it (village, township). */
    regionId: Type.Optional(Id),
    from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Reported at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Reported before' })),
  }),
]);
export type QueueQuery = Static<typeof QueueQuery>;

/** The home's 我的反映 tile: how many of the cases I reported wait for my rating ("N条待评价"). */
export const AwaitingMyRating = Type.Object({
  count: Type.Integer({
    description: 'Cases reported from this account that are replied or answered on the spot, so the reporter may rate them',
  }),
});
export type AwaitingMyRating = Static<typeof AwaitingMyRating>;

export const CaseSummaryPage = pageOf(CaseSummary);
export type CaseSummaryPage = Static<typeof CaseSummaryPage>;

const FigureFields = {
  received: Type.Integer(),
  answeredOnSpot: Type.Integer(),
  assigned: Type.Integer(),
  handled: Type.Integer(),
  replied: Type.Integer(),
  repliedOnTime: Type.Integer(),
  closed: Type.Integer(),
  overdueOpen: Type.Integer(),
  rated: Type.Integer(),
  ratingSum: Type.Integer(),
  satisfied: Type.Integer(),
  onTimeReplyRate: Nullable(Type.Number()),
  completionRate: Nullable(Type.Number()),
  averageRating: Nullable(Type.Number()),
  satisfactionRate: Nullable(Type.Number()),
};
const Figures = Type.Object(FigureFields);
const GroupFigures = Type.Object({ key: Type.String(), name: Type.String(), ...FigureFields });

export const StatisticsQuery = Type.Object({
  regionId: Type.Optional(Id),
  from: Type.String({ format: 'date-time', maxLength: 40 }),
  to: Type.String({ format: 'date-time', maxLength: 40 }),
  source: Type.Optional(oneOf(CASE_SOURCES)),
});

export const Statistics = Type.Object({
  totals: Figures,
  byCategory: Type.Array(GroupFigures),
  byDepartment: Type.Array(GroupFigures),
});
export type Statistics = Static<typeof Statistics>;

export const PHOTO_STAGES = ['report', 'before', 'after'] as const;

export const CasePhoto = Type.Object({
  id: Id,
  stage: oneOf(PHOTO_STAGES),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  createdAt: Timestamp,
  url: Type.String(),
  thumbUrl: Type.String(),
  published: Type.Boolean({ description: 'A blurred copy is on the public exposure board' }),
});
export type CasePhoto = Static<typeof CasePhoto>;

/** A part of a photo to blur, as fractions (0–1) of its width and height. */
export const BlurRegion = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1 }),
    y: Type.Number({ minimum: 0, maximum: 1 }),
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);

export const ModerationInput = Type.Object(
  {
    decision: oneOf(['publish', 'reject'] as const),
    publicTitle: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    publicText: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    photos: Type.Optional(
      Type.Array(Type.Object({ photoId: Id, blur: Type.Array(BlurRegion, { maxItems: 20 }) }, { additionalProperties: false }), {
        maxItems: 20,
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ModerationInput = Static<typeof ModerationInput>;

export const ExposureBoardItem = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  text: Type.String(),
  categoryName: Type.String(),
  state: Type.String(),
  meTooCount: Type.Integer(),
  createdAt: Timestamp,
  closedAt: Nullable(Type.String()),
  photos: Type.Array(Type.Object({ url: Type.String(), thumbUrl: Type.String() })),
});
export type ExposureBoardItem = Static<typeof ExposureBoardItem>;

export const CategoryInput = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9-]+$' }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    nameEn: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    routeTo: oneOf(['grid', 'department'] as const),
    departmentId: Type.Optional(Nullable(Id)),
    deadlineHours: Type.Integer({ minimum: 1, maximum: 2000, description: 'Working hours from receipt to the reply deadline' }),
    active: Type.Optional(Type.Boolean()),
    sortOrder: Type.Optional(Type.Integer({ minimum: -100_000, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type CategoryInput = Static<typeof CategoryInput>;

/** The county's working time: deadlines count only these hours and days (Asia/Shanghai). */
export const WorkCalendar = Type.Object(
  {
    dayStartMinute: Type.Integer({ minimum: 0, maximum: 1439 }),
    dayEndMinute: Type.Integer({ minimum: 1, maximum: 1440 }),
    weekdays: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    holidays: Type.Array(LocalDate, { maxItems: 400 }),
    extraWorkdays: Type.Array(LocalDate, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type WorkCalendar = Static<typeof WorkCalendar>;

// The rest of the endpoints' shapes, so that no route declares its own.

/** `?countyId=`: the county whose configuration is meant; the installation's when left out. */
export const CountyQuery = Type.Object({ countyId: Type.Optional(Id) });
export const CaseCategoryList = Type.Object({ items: Type.Array(CaseCategory) });

export const Department = Type.Object({ id: Id, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) });
export const DepartmentList = Type.Object({ items: Type.Array(Department) });

export const StatisticsExportQuery = Type.Intersect([
  StatisticsQuery,
  Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) }),
]);

export const CaseList = Type.Object({ items: Type.Array(Case) });
export const CaseEventList = Type.Object({ items: Type.Array(CaseEvent) });
/** Merge candidates as the case page lists them: a summary and how far away each is. */
export const DuplicateCase = Type.Object({ ...CaseSummary.properties, distanceMeters: Type.Integer() });
export type DuplicateCase = Static<typeof DuplicateCase>;
export const DuplicateList = Type.Object({ items: Type.Array(DuplicateCase) });

/** The reporter's corrected description: the one shown before is not kept. */
export const WithdrawalInput = Type.Object(
  { description: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

/** An action done on a case the caller can no longer read (a handler who transferred it away). */
export const NoCase = Type.Null({ description: 'Done; the caller may not read the case, so nothing of it is returned' });

export const PhotoUploadQuery = Type.Object({
  stage: Type.Optional(Type.Unsafe<(typeof PHOTO_STAGES)[number]>({ type: 'string', enum: [...PHOTO_STAGES] })),
});
export const CasePhotoList = Type.Object({ items: Type.Array(CasePhoto) });
export const CasePhotoParams = Type.Object({ id: Id, photoId: Id });
export const PhotoVariantQuery = Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) });

export const ModerationSuggestion = Type.Object({ publicTitle: Type.String(), publicText: Type.String() });
