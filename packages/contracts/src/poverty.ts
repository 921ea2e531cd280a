// Return-to-poverty monitoring (防返贫动态监测): what is known of a household's economics, the county's
// monitoring line and thresholds, the households flagged into the three categories, the seven-step
// identification procedure (and the same path to remove the risk), help measures and their
// follow-ups, the public notice, and the figures of the wall screen's "common prosperity" section.
//
// Endpoints (prefix /api/poverty; every read of a household's economics is audited):
//   GET  /settings?countyId&year                      PovertySettings (poverty.read)
//   PUT  /settings            SettingsInput           PovertySettings (county admin)
//   GET  /households/{id}/economics                   EconomicsHistory (cadres and grid workers of the place, the offices above)
//   POST /households/{id}/economics  EconomicsInput   EconomicsRecorded (flags the household when the rules say so)
//   POST /economics/import    XLSX body               ImportReport
//   GET  /monitored?status&category&step&regionId&limit&cursor   MonitoredPage
//   POST /monitored           FlagInput               Monitored (a grid worker's or cadre's visit)
//   GET  /monitored/{id}                              MonitoredDetail
//   POST /monitored/{id}/steps       StepInput        Monitored (out of order or by the wrong role: 409/403)
//   POST /monitored/{id}/removal     RemovalInput     Monitored (stably above the line, causes resolved)
//   POST /monitored/{id}/evidence    image or PDF     Evidence
//   GET  /monitored/{id}/evidence/{evidenceId}        the file (audited)
//   POST /monitored/{id}/measures    MeasureInput     Measure
//   POST /monitored/{id}/visits      VisitInput       Visit (follow-up: measures done, next visit due)
//   POST /monitored/{id}/objections  ObjectionInput   Objection (during the notice)
//   POST /monitored/{id}/objections/{objectionId}/resolve  ResolveInput  Objection (village cadre)
//   GET  /tasks                                       TaskList (the grid worker's due visits and steps)
//   POST /self-reports        SelfReportInput, Idempotency-Key   SelfReport (a villager for their household)
//   GET  /figures?regionId                            PovertyFigures
//   GET  /figures.xlsx?regionId                       XLSX
//   GET  /api/public/poverty-notices?villageId        PublicNoticeList (only during the notice period)
import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from './common.ts';

type Label = { zh: string; en: string };
const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const POVERTY_CATEGORIES = ['unstable', 'marginal', 'hardship'] as const;
export type PovertyCategory = (typeof POVERTY_CATEGORIES)[number];
export const POVERTY_CATEGORY_LABELS: Record<PovertyCategory, Label> = {
  unstable: { zh: '脱贫不稳定户', en: 'Unstable after leaving poverty' },
  marginal: { zh: '边缘易致贫户', en: 'Marginal, at risk' },
  hardship: { zh: '突发严重困难户', en: 'Sudden severe hardship' },
};

/** identifying: the procedure runs to enter monitoring; removing: the same path to leave it. */
export const MONITORED_STATUSES = ['identifying', 'monitored', 'removing', 'removed', 'dismissed'] as const;
export type MonitoredStatus = (typeof MONITORED_STATUSES)[number];
export const MONITORED_STATUS_LABELS: Record<MonitoredStatus, Label> = {
  identifying: { zh: '识别中', en: 'Being identified' },
  monitored: { zh: '监测帮扶中', en: 'Monitored' },
  removing: { zh: '风险消除中', en: 'Removing the risk' },
  removed: { zh: '风险已消除', en: 'Risk removed' },
  dismissed: { zh: '未纳入', en: 'Not included' },
};

export const PROCEDURE_STEPS = [
  'homeVisit',
  'authorisation',
  'dataComparison',
  'villageReview',
  'publicNotice',
  'townshipReview',
  'countyApproval',
] as const;
export type ProcedureStep = (typeof PROCEDURE_STEPS)[number];
export const PROCEDURE_STEP_LABELS: Record<ProcedureStep, Label> = {
  homeVisit: { zh: '入户核查', en: 'Home visit' },
  authorisation: { zh: '签署授权书', en: 'Signed authorisation' },
  dataComparison: { zh: '信息比对', en: 'Data comparison' },
  villageReview: { zh: '村级民主评议', en: 'Village democratic review' },
  publicNotice: { zh: '村内公示', en: 'Public notice' },
  townshipReview: { zh: '乡镇审核', en: 'Township review' },
  countyApproval: { zh: '县级审定', en: 'County approval' },
};

export const FLAG_SOURCES = ['data', 'visit', 'selfReport'] as const;
export type FlagSource = (typeof FLAG_SOURCES)[number];
export const FLAG_SOURCE_LABELS: Record<FlagSource, Label> = {
  data: { zh: '数据预警', en: 'Data' },
  visit: { zh: '网格员走访', en: 'Visit' },
  selfReport: { zh: '农户自主申报', en: 'Self-report' },
};

export const FLAG_REASONS = [
  'incomeBelowLine',
  'expenseOverThreshold',
  'seriousIllness',
  'disaster',
  'accident',
  'assuranceMissing',
  'labourLoss',
  'other',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_REASON_LABELS: Record<FlagReason, Label> = {
  incomeBelowLine: { zh: '收入低于监测线', en: 'Income under the line' },
  expenseOverThreshold: { zh: '刚性支出过大', en: 'Expenses over the threshold' },
  seriousIllness: { zh: '家庭成员患重病', en: 'Serious illness' },
  disaster: { zh: '遭受自然灾害', en: 'Disaster' },
  accident: { zh: '意外事故', en: 'Accident' },
  assuranceMissing: { zh: '两不愁三保障未达标', en: 'Basic assurance missing' },
  labourLoss: { zh: '失去劳动力或务工中断', en: 'Lost labour or work' },
  other: { zh: '其他', en: 'Other' },
};

/** What a family may say of itself on a self-report; the income line and the assurances are the office's findings. */
export const SELF_REPORT_REASONS = FLAG_REASONS.filter(
  (r): r is Exclude<FlagReason, 'incomeBelowLine' | 'assuranceMissing'> => r !== 'incomeBelowLine' && r !== 'assuranceMissing',
);

export const INCOME_SOURCES = ['wage', 'business', 'property', 'transfer', 'other'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];
export const INCOME_SOURCE_LABELS: Record<IncomeSource, Label> = {
  wage: { zh: '工资性收入', en: 'Wages' },
  business: { zh: '生产经营性收入', en: 'Farming and business' },
  property: { zh: '财产性收入', en: 'Property' },
  transfer: { zh: '转移性收入', en: 'Transfers' },
  other: { zh: '其他收入', en: 'Other' },
};

export const EXPENSE_KINDS = ['illness', 'schooling', 'disaster', 'accident', 'other'] as const;
export type ExpenseKind = (typeof EXPENSE_KINDS)[number];
export const EXPENSE_KIND_LABELS: Record<ExpenseKind, Label> = {
  illness: { zh: '医疗', en: 'Illness' },
  schooling: { zh: '教育', en: 'Schooling' },
  disaster: { zh: '灾害', en: 'Disaster' },
  accident: { zh: '意外', en: 'Accident' },
  other: { zh: '其他', en: 'Other' },
};

/** 两不愁三保障 and safe drinking water. */
export const ASSURANCES = ['food', 'clothing', 'education', 'medical', 'housing', 'water'] as const;
export type Assurance = (typeof ASSURANCES)[number];
export const ASSURANCE_LABELS: Record<Assurance, Label> = {
  food: { zh: '不愁吃', en: 'Food' },
  clothing: { zh: '不愁穿', en: 'Clothing' },
  education: { zh: '义务教育有保障', en: 'Compulsory education' },
  medical: { zh: '基本医疗有保障', en: 'Basic medical care' },
  housing: { zh: '住房安全有保障', en: 'Safe housing' },
  water: { zh: '饮水安全有保障', en: 'Safe drinking water' },
};

export const MEASURE_KINDS = ['industry', 'employment', 'medical', 'education', 'housing', 'socialAssistance', 'insurance'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];
export const MEASURE_KIND_LABELS: Record<MeasureKind, Label> = {
  industry: { zh: '产业帮扶', en: 'Industry' },
  employment: { zh: '就业帮扶', en: 'Employment' },
  medical: { zh: '健康帮扶', en: 'Medical' },
  education: { zh: '教育帮扶', en: 'Education' },
  housing: { zh: '住房保障', en: 'Housing' },
  socialAssistance: { zh: '社会救助', en: 'Social assistance' },
  insurance: { zh: '保险帮扶', en: 'Insurance' },
};

const Yuan = Type.Number({ minimum: 0, maximum: 100_000_000 });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Note = Type.String({ maxLength: 500 });

export const SettingsQuery = Type.Object({ countyId: Type.Optional(Id), year: Type.Optional(Year) }, { additionalProperties: false });
export const SettingsInput = Type.Object(
  {
    countyId: Type.Optional(Id),
    year: Year,
    /** Per-capita net income a year, yuan: under it a household is at risk. */
    incomeLine: Type.Number({ minimum: 1000, maximum: 100_000 }),
    /** Large expenses over this share of the household's yearly income flag it. */
    expenseRatio: Type.Number({ minimum: 0.05, maximum: 5 }),
    /** ...and over at least this many yuan. */
    expenseMinimum: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    stableMonths: Type.Integer({ minimum: 1, maximum: 36 }),
    visitIntervalDays: Type.Integer({ minimum: 7, maximum: 180 }),
    noticeDays: Type.Integer({ minimum: 3, maximum: 30 }),
  },
  { additionalProperties: false },
);
export type SettingsInput = Static<typeof SettingsInput>;
export const PovertySettings = Type.Object({
  countyId: Id,
  year: Type.Integer(),
  incomeLine: Type.Number(),
  expenseRatio: Type.Number(),
  expenseMinimum: Type.Number(),
  stableMonths: Type.Integer(),
  visitIntervalDays: Type.Integer(),
  noticeDays: Type.Integer(),
  /** False while the county has kept the defaults. */
  configured: Type.Boolean(),
});
export type PovertySettings = Static<typeof PovertySettings>;

const IncomeBySource = Type.Object(
  {
    wage: Type.Optional(Yuan),
    business: Type.Optional(Yuan),
    property: Type.Optional(Yuan),
    transfer: Type.Optional(Yuan),
    other: Type.Optional(Yuan),
  },
  { additionalProperties: false },
);
const LargeExpense = Type.Object(
  { kind: literals(EXPENSE_KINDS), amount: Yuan, note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const AssuranceMap = Type.Object(
  {
    food: Type.Boolean(),
    clothing: Type.Boolean(),
    education: Type.Boolean(),
    medical: Type.Boolean(),
    housing: Type.Boolean(),
    water: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const EconomicsInput = Type.Object(
  {
    year: Year,
    members: Type.Integer({ minimum: 1, maximum: 30 }),
    labour: Type.Integer({ minimum: 0, maximum: 30 }),
    /** A household that left poverty (脱贫户) before: at risk, it is "unstable after leaving poverty". */
    formerlyPoor: Type.Boolean(),
    income: IncomeBySource,
    /** The household's total net income of the last twelve months, yuan. */
    incomeLast12: Yuan,
    expenses: Type.Array(LargeExpense, { maxItems: 20 }),
    assurances: AssuranceMap,
    seriousIllness: Type.Boolean(),
    disaster: Type.Boolean(),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type EconomicsInput = Static<typeof EconomicsInput>;

export const EconomicsRecord = Type.Object({
  id: Id,
  householdId: Id,
  year: Type.Integer(),
  members: Type.Integer(),
  labour: Type.Integer(),
  formerlyPoor: Type.Boolean(),
  income: Type.Record(Type.String(), Type.Number()),
  incomeYear: Type.Number(),
  incomeLast12: Type.Number(),
  perCapitaYear: Type.Number(),
  perCapitaLast12: Type.Number(),
  expenses: Type.Array(Type.Object({ kind: Type.String(), amount: Type.Number(), note: Type.Optional(Type.String()) })),
  assurances: Type.Record(Type.String(), Type.Boolean()),
  seriousIllness: Type.Boolean(),
  disaster: Type.Boolean(),
  note: Nullable(Type.String()),
  /** entry | import */
  source: Type.String(),
  recordedBy: Nullable(Type.String()),
  recordedAt: Timestamp,
});
export type EconomicsRecord = Static<typeof EconomicsRecord>;

export const EconomicsHistory = Type.Object({
  householdId: Id,
  headName: Type.String(),
  /** Newest first. */
  records: Type.Array(EconomicsRecord),
  /** What the rules say of the newest record under the county's line of its year. */
  reasons: Type.Array(Type.String()),
  incomeLine: Type.Number(),
});
