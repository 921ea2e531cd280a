// Farms (agri): the solar terms, weather, the advice library and its delivery. The API list: agri.ts.
import { type Static, Type } from 'typebox';
import {
  AdviceSubjectSchema,
  GrowthStageSchema,
  LocalDate,
  oneOf,
  SolarTermSchema,
  WEATHER_SOURCES,
  WeatherConditionSchema,
} from './agri.ts';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

// ---- Calendar, weather --------------------------------------------------------------------------

export const SolarTermQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })) },
  { additionalProperties: false },
);
export const SolarTermItem = Type.Object({
  term: SolarTermSchema,
  zh: Type.String(),
  en: Type.String(),
  /** The sun reaches the term's longitude at this moment … */
  at: Timestamp,
  /** … which is this Beijing date. */
  date: Type.String(),
});
export const SolarTermList = Type.Object({ year: Type.Integer(), items: Type.Array(SolarTermItem) });
export type SolarTermList = Static<typeof SolarTermList>;

export const AgriToday = Type.Object({
  date: Type.String(),
  month: Type.Integer(),
  /** The term in force today (the last one begun) and the next one. */
  solarTerm: SolarTermItem,
  nextSolarTerm: SolarTermItem,
});
export type AgriToday = Static<typeof AgriToday>;

const Celsius = Type.Number({ minimum: -60, maximum: 60 });
export const WeatherInput = Type.Object(
  {
    /** A township or the county: the place the day's weather is for. */
    regionId: Id,
    date: LocalDate,
    minTempC: Celsius,
    maxTempC: Celsius,
    rainMm: Type.Number({ minimum: 0, maximum: 1000 }),
    /** Conditions named outright (a warning), beside those derived from the figures. */
    conditions: Type.Optional(Type.Array(WeatherConditionSchema, { maxItems: 4 })),
  },
  { additionalProperties: false },
);
export type WeatherInput = Static<typeof WeatherInput>;
export const WeatherEntry = Type.Object({
  id: Id,
  regionId: Id,
  date: Type.String(),
  minTempC: Type.Number(),
  maxTempC: Type.Number(),
  rainMm: Type.Number(),
  /** Derived and named conditions together. */
  conditions: Type.Array(WeatherConditionSchema),
  source: oneOf(WEATHER_SOURCES),
  updatedAt: Timestamp,
});
export type WeatherEntry = Static<typeof WeatherEntry>;
export const WeatherQuery = Type.Object(
  { regionId: Type.Optional(Id), from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) },
  { additionalProperties: false },
);
export const WeatherList = Type.Object({ items: Type.Array(WeatherEntry) });
export type WeatherList = Static<typeof WeatherList>;
export const WeatherImportResult = Type.Object({ imported: Type.Integer(), conditions: Type.Array(WeatherEntry) });
export type WeatherImportResult = Static<typeof WeatherImportResult>;

// ---- Advice -------------------------------------------------------------------------------------

/** Every non-empty list must match (a list matches when any of its values does); subjects are required. */
export const AdviceRuleInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 80 }),
    body: Type.String({ minLength: 1, maxLength: 4000 }),
    subjects: Type.Array(AdviceSubjectSchema, { minItems: 1, maxItems: 20 }),
    growthStages: Type.Optional(Type.Array(GrowthStageSchema, { maxItems: 14 })),
    months: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 12 })),
    solarTerms: Type.Optional(Type.Array(SolarTermSchema, { maxItems: 24 })),
    weather: Type.Optional(Type.Array(WeatherConditionSchema, { maxItems: 4 })),
    /** Days the advice holds once given; a household gets it at most once per period. */
    validDays: Type.Integer({ minimum: 1, maximum: 120 }),
    /** The place the rule is for (a township or the county); default: the author's. */
    regionId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AdviceRuleInput = Static<typeof AdviceRuleInput>;
export const AdviceRulePatch = Type.Partial(Type.Omit(AdviceRuleInput, ['regionId']), { additionalProperties: false, minProperties: 1 });
export type AdviceRulePatch = Static<typeof AdviceRulePatch>;

export const AdviceRule = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  subjects: Type.Array(AdviceSubjectSchema),
  growthStages: Type.Array(GrowthStageSchema),
  months: Type.Array(Type.Integer()),
  solarTerms: Type.Array(SolarTermSchema),
  weather: Type.Array(WeatherConditionSchema),
  validDays: Type.Integer(),
  regionId: Id,
  regionName: Type.String(),
  active: Type.Boolean(),
  pictureIds: Type.Array(Id),
  authorName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AdviceRule = Static<typeof AdviceRule>;
export const AdviceRuleQuery = Type.Object(
  { ...PageQuery.properties, subject: Type.Optional(AdviceSubjectSchema) },
  { additionalProperties: false },
);
export const AdviceRulePage = pageOf(AdviceRule);
export type AdviceRulePage = Static<typeof AdviceRulePage>;

/** Whether the rule applies today, and to how many households. */
export const AdvicePreview = Type.Object({ appliesToday: Type.Boolean(), households: Type.Integer() });
export type AdvicePreview = Static<typeof AdvicePreview>;

export const AdviceRunInput = Type.Object({ regionId: Type.Optional(Id), ruleId: Type.Optional(Id) }, { additionalProperties: false });
export type AdviceRunInput = Static<typeof AdviceRunInput>;
export const AdviceRunResult = Type.Object({
  rules: Type.Integer(),
  /** Households newly advised now (those advised already this period are not again). */
  households: Type.Integer(),
  notices: Type.Integer(),
});
export type AdviceRunResult = Static<typeof AdviceRunResult>;

/** Households advised per rule and validity period: the "400+ households" figure. */
export const AdviceReportItem = Type.Object({
  ruleId: Id,
  title: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  households: Type.Integer(),
  /** Households where someone opened the notice. */
  read: Type.Integer(),
});
export const AdviceReportQuery = Type.Object(
  { ...PageQuery.properties, regionId: Type.Optional(Id), ruleId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const AdviceReportPage = pageOf(AdviceReportItem);
export type AdviceReportPage = Static<typeof AdviceReportPage>;

/** Advice a household received, for its farm page; `noticeId` opens it in the inbox (/api/notices/{id}). */
export const FarmAdvice = Type.Object({
  ruleId: Id,
  title: Type.String(),
  body: Type.String(),
  pictureIds: Type.Array(Id),
  noticeId: Nullable(Type.String()),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  deliveredAt: Timestamp,
  read: Type.Boolean(),
});
export const FarmAdviceList = Type.Object({ items: Type.Array(FarmAdvice) });
export type FarmAdviceList = Static<typeof FarmAdviceList>;
