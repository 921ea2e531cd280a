// Return-to-poverty monitoring, the second half: the monitored households and their procedure,
// evidence, help measures and visits, objections to the public notice, the grid worker's tasks,
// the household's own report, the wall screen's figures and the public notice board. The endpoints
// are listed in poverty.ts.
import { type Static, Type } from 'typebox';
import { Id, LocalDate, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';
import { FLAG_REASONS, MEASURE_KINDS, MONITORED_STATUSES, POVERTY_CATEGORIES, PROCEDURE_STEPS } from './poverty.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Note = Type.String({ maxLength: 500 });

export const Monitored = Type.Object({
  id: Id,
  householdId: Id,
  householdNumber: Type.String(),
  headName: Type.String(),
  regionId: Id,
  villageId: Nullable(Type.String()),
  townshipId: Nullable(Type.String()),
  category: Nullable(Type.String()),
  status: literals(MONITORED_STATUSES),
  /** The next step of the running procedure, null when none runs. */
  nextStep: Nullable(Type.String()),
  source: Type.String(),
  reasons: Type.Array(Type.String()),
  noticeEndsAt: Nullable(Timestamp),
  nextVisitDueAt: Nullable(Timestamp),
  flaggedAt: Timestamp,
  removedAt: Nullable(Timestamp),
  version: Type.Integer(),
});
export type Monitored = Static<typeof Monitored>;

export const MonitoredQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(literals(MONITORED_STATUSES)),
    /** Only households still followed (identifying, monitored, removing): the figures' category columns count these. */
    followed: Type.Optional(Type.Boolean()),
    category: Type.Optional(literals(POVERTY_CATEGORIES)),
    step: Type.Optional(literals(PROCEDURE_STEPS)),
    regionId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const MonitoredPage = pageOf(Monitored);

export const FlagInput = Type.Object(
  {
    householdId: Id,
    reasons: Type.Array(literals(FLAG_REASONS), { minItems: 1, maxItems: FLAG_REASONS.length, uniqueItems: true }),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type FlagInput = Static<typeof FlagInput>;

export const StepInput = Type.Object(
  {
    step: literals(PROCEDURE_STEPS),
    /** Reviews and the approval may reject; every other step approves. */
    decision: literals(['approve', 'reject'] as const),
    note: Type.Optional(Note),
    evidenceIds: Type.Optional(Type.Array(Id, { maxItems: 10, uniqueItems: true })),
    /** The category the data comparison finds (identification only). */
    category: Type.Optional(literals(POVERTY_CATEGORIES)),
    /** What the public notice shows: the reason in a few words (no figures). */
    noticeText: Type.Optional(Type.String({ maxLength: 100 })),
    version: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type StepInput = Static<typeof StepInput>;

export const RemovalInput = Type.Object(
  { note: Type.Optional(Note), version: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);

/** The phone mints an evidence id (a UUIDv7) so that a step queued behind the upload can name it. */
export const EvidenceUploadQuery = Type.Object({ evidenceId: Type.Optional(Id) }, { additionalProperties: false });
export const Evidence = Type.Object({ id: Id, contentType: Type.String(), uploadedAt: Timestamp, stepEventId: Nullable(Type.String()) });
export const StepEvent = Type.Object({
  id: Id,
  phase: Type.String(),
  step: Type.String(),
  decision: Type.String(),
  actorName: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  note: Nullable(Type.String()),
  evidenceIds: Type.Array(Type.String()),
  at: Timestamp,
});

export const MeasureInput = Type.Object(
  {
    kind: literals(MEASURE_KINDS),
    description: Type.String({ minLength: 1, maxLength: 300 }),
    responsible: Type.String({ minLength: 1, maxLength: 40 }),
    dueDate: LocalDate,
  },
  { additionalProperties: false },
);
export type MeasureInput = Static<typeof MeasureInput>;
export const Measure = Type.Object({
  id: Id,
  kind: Type.String(),
  description: Type.String(),
  responsible: Type.String(),
  dueDate: Type.String(),
  done: Type.Boolean(),
  doneAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const VisitInput = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 500 }),
    measuresDone: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type VisitInput = Static<typeof VisitInput>;
export const Visit = Type.Object({
  id: Id,
  note: Type.String(),
  visitorName: Nullable(Type.String()),
  measuresDone: Type.Array(Type.String()),
  at: Timestamp,
});

export const ObjectionInput = Type.Object({ text: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const ResolveInput = Type.Object(
  { upheld: Type.Boolean(), note: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export const Objection = Type.Object({
  id: Id,
  text: Type.String(),
  resolved: Type.Boolean(),
  upheld: Nullable(Type.Boolean()),
  resolution: Nullable(Type.String()),
  at: Timestamp,
});

export const MonitoredDetail = Type.Object({
  monitored: Monitored,
  steps: Type.Array(StepEvent),
  measures: Type.Array(Measure),
  visits: Type.Array(Visit),
  objections: Type.Array(Objection),
  evidence: Type.Array(Evidence),
  /** The steps the caller may take now. */
  mayTake: Type.Array(Type.String()),
});

export const TASK_KINDS = ['visitDue', 'stepDue', 'measureDue'] as const;
export const Task = Type.Object({
  monitoredId: Id,
  householdId: Id,
  headName: Type.String(),
  kind: literals(TASK_KINDS),
  step: Nullable(Type.String()),
  dueAt: Nullable(Timestamp),
  status: Type.String(),
});
export const TaskList = Type.Object({ items: Type.Array(Task) });

export const SelfReportInput = Type.Object(
  {
    reasons: Type.Array(literals(FLAG_REASONS), { minItems: 1, maxItems: FLAG_REASONS.length, uniqueItems: true }),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type SelfReportInput = Static<typeof SelfReportInput>;
export const SelfReport = Type.Object({
  monitoredId: Id,
  status: Type.String(),
  nextStep: Nullable(Type.String()),
  reportedAt: Timestamp,
  /** The difficulties on record a family may report of itself (never the office's income or assurance findings). */
  reasons: Type.Array(literals(FLAG_REASONS), { maxItems: FLAG_REASONS.length }),
});
/** A villager's own household's report as it stands now, or null when the household has none open. */
export const OwnSelfReport = Type.Object({ report: Nullable(SelfReport) });

export const ImportReport = Type.Object({ imported: Type.Integer(), flagged: Type.Integer() });

export const FiguresQuery = Type.Object({ regionId: Type.Optional(Id) }, { additionalProperties: false });
const CountBy = Type.Record(Type.String(), Type.Integer());
export const RegionFigures = Type.Object({
  regionId: Id,
  name: Type.String(),
  /**
   * Households still followed (being identified, monitored, or being removed) by category: the
   * desk's default list (followed=true) filtered by the category shows these households.
   */
  byCategory: CountBy,
  /** All households still followed: followed = identifying + monitored. */
  followed: Type.Integer(),
  /** Identified and monitored with help (monitored, or being removed). */
  monitored: Type.Integer(),
  /** Flagged and still going through the identification. */
  identifying: Type.Integer(),
  /** Flagged this month (Beijing), whoever raised it: the rules, a visit or the household itself. */
  newThisMonth: Type.Integer(),
  /** Risks removed this year. */
  removed: Type.Integer(),
  measuresByKind: CountBy,
});
export const PovertyFigures = Type.Object({
  region: RegionFigures,
  /** The region's children (townships of a county, villages of a township). */
  children: Type.Array(RegionFigures),
  /** Average per-capita income of the last 12 months, of the records entered each month, for monitored households. */
  incomeTrend: Type.Array(Type.Object({ month: Type.String(), perCapita: Type.Number(), households: Type.Integer() })),
});
export type PovertyFigures = Static<typeof PovertyFigures>;

export const PublicNoticeQuery = Type.Object({ villageId: Id }, { additionalProperties: false });
export const PublicNotice = Type.Object({
  monitoredId: Id,
  /** The head's name with the given name masked (张*明). */
  headName: Type.String(),
  groupName: Type.String(),
  phase: Type.String(),
  category: Nullable(Type.String()),
  text: Nullable(Type.String()),
  startsAt: Timestamp,
  endsAt: Timestamp,
});
export const PublicNoticeList = Type.Object({ items: Type.Array(PublicNotice) });
