// The wall screen (dashboard module): the six sections of a county's, township's or village's one
// screen, as JSON for the screen page and for a county's own big-screen system. Every figure is
// aggregated; a person appears only as a masked name (张*) and only where they agreed (the points
// ranking). Figures come from the owning modules' statistics (cases, points, agri, poverty,
// services, monitoring, org, care): the screen adds no arithmetic of its own beyond sums.
import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';
import { RegionShape } from './region-shapes.ts';
import { REGION_LEVELS, type RegionLevel } from './roles.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** The rural overview first, then the five sections of the rural revitalisation strategy. */
export const SCREEN_SECTIONS = ['overview', 'industry', 'ecology', 'civility', 'governance', 'prosperity'] as const;
export type ScreenSection = (typeof SCREEN_SECTIONS)[number];
export const ScreenSectionSchema = literals(SCREEN_SECTIONS);

export const SCREEN_SECTION_LABELS: Record<ScreenSection, { zh: string; en: string }> = {
  overview: { zh: '乡村概况', en: 'Rural overview' },
  industry: { zh: '产业兴旺', en: 'Industrial prosperity' },
  ecology: { zh: '生态宜居', en: 'Ecological livability' },
  civility: { zh: '乡风文明', en: 'Rural civilization' },
  governance: { zh: '治理有效', en: 'Effective governance' },
  prosperity: { zh: '共同富裕', en: 'Common prosperity' },
};

/** Live-update event on GET /api/events: `event: screen.changed`, data ScreenChanged. */
export const SCREEN_CHANGED_EVENT = 'screen.changed';
export const ScreenChanged = Type.Object({
  /** The screen region whose section changed: refetch when it is the screen's own region. */
  regionId: Id,
  section: ScreenSectionSchema,
});
export type ScreenChanged = Static<typeof ScreenChanged>;

export const ScreenRegion = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Unsafe<RegionLevel>({ type: 'string', enum: [...REGION_LEVELS] }),
});
export type ScreenRegion = Static<typeof ScreenRegion>;

export const ScreenParams = Type.Object({ regionId: Id }, { additionalProperties: false });
export const ScreenSectionParams = Type.Object({ regionId: Id, section: ScreenSectionSchema }, { additionalProperties: false });

/** One place one level down (townships of a county, villages of a township, villager groups of a village). */
const Count = Type.Integer({ minimum: 0 });
const Rate = Nullable(Type.Number({ description: 'share 0..1; null when there is nothing to divide' }));
const Keyed = Type.Object({ key: Type.String(), name: Type.String(), count: Count });

const SectionHead = {
  regionId: Id,
  /** When these figures were computed (they are cached until their data changes). */
  computedAt: Timestamp,
};

/** A point on the map, WGS84. Cases carry only state and category, never title or reporter. */
const MapCase = Type.Object({ id: Id, lon: Type.Number(), lat: Type.Number(), state: Type.String(), categoryName: Type.String() });
const MapCamera = Type.Object({ id: Id, lon: Type.Number(), lat: Type.Number(), name: Type.String() });

export const OverviewSection = Type.Object({
  ...SectionHead,
  section: Type.Literal('overview'),
  population: Count,
  households: Count,
  /** Elders in the care register flagged as empty-nesters (空巢老人). */
  eldersLivingAlone: Count,
  elders: Count,
  grids: Count,
  gridWorkers: Count,
  /** The region's outline and those of the places under it (bundled shapes; boundary null when none). */
  shape: Type.Object({ region: RegionShape, within: Type.Array(RegionShape) }),
  /** Open cases with a position, newest first, at most 500. */
  cases: Type.Array(MapCase),
  cameras: Type.Array(MapCamera),
});
export type OverviewSection = Static<typeof OverviewSection>;

export const IndustrySection = Type.Object({
  ...SectionHead,
  section: Type.Literal('industry'),
  year: Type.Integer(),
  /** Households with at least one plot or flock. */
  farms: Count,
  plotsByCrop: Type.Array(
    Type.Object({ crop: Type.String(), name: Type.String(), plots: Count, households: Count, areaMu: Type.Number() }),
  ),
  flocksBySpecies: Type.Array(Type.Object({ species: Type.String(), name: Type.String(), flocks: Count, households: Count, heads: Count })),
  advice: Type.Object({ rules: Count, households: Count, deliveries: Count, read: Count }),
  questions: Type.Object({ asked: Count, answered: Count, open: Count, overdue: Count }),
  byMonth: Type.Array(Type.Object({ month: Type.Integer(), yieldKg: Type.Number(), soldKg: Type.Number(), salesYuan: Type.Number() })),
  totals: Type.Object({ yieldKg: Type.Number(), soldKg: Type.Number(), salesYuan: Type.Number() }),
  byPlace: Type.Array(
    Type.Object({ regionId: Id, name: Type.String(), farms: Count, areaMu: Type.Number(), heads: Count, salesYuan: Type.Number() }),
  ),
});
export type IndustrySection = Static<typeof IndustrySection>;

const CaseFigures = Type.Object({ received: Count, closed: Count, open: Count, completionRate: Rate });

export const EcologySection = Type.Object({
  ...SectionHead,
  section: Type.Literal('ecology'),
  /** The last 12 months' cases of the environment and sanitation categories. */
  from: Timestamp,
  to: Timestamp,
  environment: CaseFigures,
  byCategory: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), received: Count, closed: Count, completionRate: Rate })),
  /** Unauthorised-building findings of the cameras (乱搭乱建). */
  unauthorisedBuilding: Type.Object({ found: Count, open: Count, confirmed: Count, dismissed: Count, thisMonth: Count }),
});
export type EcologySection = Static<typeof EcologySection>;

export const CivilitySection = Type.Object({
  ...SectionHead,
  section: Type.Literal('civility'),
  /** yyyymm, Beijing time. */
  month: Type.Integer(),
  granted: Count,
  redeemed: Count,
  deducted: Count,
  earningHouseholds: Count,
  byCategory: Type.Array(Type.Object({ category: Type.String(), points: Type.Integer() })),
  /** This month's top households, only those who agreed to be named; names masked (张*). */
  ranking: Type.Array(Type.Object({ rank: Type.Integer(), name: Type.String(), villageName: Type.String(), points: Type.Integer() })),
  /** The shop's most redeemed goods this month. */
  topGoods: Type.Array(Type.Object({ name: Type.String(), quantity: Count, points: Count })),
});
export type CivilitySection = Static<typeof CivilitySection>;

export const GovernanceSection = Type.Object({
  ...SectionHead,
  section: Type.Literal('governance'),
  /** The last 12 months' cases. */
  from: Timestamp,
  to: Timestamp,
  byState: Type.Array(Type.Object({ state: Type.String(), count: Count })),
  received: Count,
  closed: Count,
  completionRate: Rate,
  onTimeReplyRate: Rate,
  /** Appeals (酉诉即办) of the same period. */
  appeals: Type.Object({
    received: Count,
    answeredOnSpot: Count,
    assigned: Count,
    handled: Count,
    closed: Count,
    onTimeReplyRate: Rate,
    completionRate: Rate,
  }),
  /** The latest matters replied to or closed, as the public village-affairs pages show them. */
  latestReplies: Type.Array(
    Type.Object({ id: Id, title: Type.String(), categoryName: Type.String(), state: Type.String(), at: Timestamp }),
  ),
});
export type GovernanceSection = Static<typeof GovernanceSection>;

export const ProsperitySection = Type.Object({
  ...SectionHead,
  section: Type.Literal('prosperity'),
  /** Monitored households (防返贫动态监测) by category: unstable, marginal, hardship. */
  monitored: Count,
  byCategory: Type.Array(Keyed),
  identifying: Count,
  newThisMonth: Count,
  /** Risks removed this year. */
  removed: Count,
  measuresByKind: Type.Array(Keyed),
  /** Government-service applications of the last 12 months. */
  services: Type.Object({
    applications: Count,
    decided: Count,
    onTimeRate: Rate,
    /** Made at a township or postal service hall (就近办). */
    nearby: Count,
    /** Made fully online (全程网办). */
    fullyOnline: Count,
  }),
});
export type ProsperitySection = Static<typeof ProsperitySection>;

export const ScreenSectionBody = Type.Union([
  OverviewSection,
  IndustrySection,
  EcologySection,
  CivilitySection,
  GovernanceSection,
  ProsperitySection,
]);
export type ScreenSectionBody = Static<typeof ScreenSectionBody>;

/** GET /api/screen/{regionId}: the whole screen at once. */
export const Screen = Type.Object({
  region: ScreenRegion,
  sections: Type.Object({
    overview: OverviewSection,
    industry: IndustrySection,
    ecology: EcologySection,
    civility: CivilitySection,
    governance: GovernanceSection,
    prosperity: ProsperitySection,
  }),
});
export type Screen = Static<typeof Screen>;
