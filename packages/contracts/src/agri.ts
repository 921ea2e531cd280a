// Farms (agri, issue 17): households' plots and flocks, observations, the advice library with its
// solar terms and weather, advice delivered to exactly the households it concerns, questions to the
// township's extension worker (农技员), and the figures of the wall screen's "industrial prosperity".
//
// API (prefix /api/agri). Who: H = a member of the household (villager, own farm only);
// E = extension worker of the place; C = county admin, township official, village cadre of the place;
// G = grid worker of the place (reads). Every read of a household's data is audited.
// Writes a phone makes accept an Idempotency-Key header.
//   GET    /farms?regionId&q&limit&cursor                 FarmPage            E C G
//   GET    /farms/mine                                    Farm                H (404 when none yet: empty farm)
//   GET    /farms/{householdId}                           Farm                H E C G
//   GET    /farms/{householdId}/history?limit&cursor      FarmChangePage      H E C G
//   POST   /farms/{householdId}/plots      PlotInput      Plot (201)          H E
//   PATCH  /plots/{id}                     PlotPatch      Plot                H E
//   DELETE /plots/{id}                                    204 (retired, kept in history)  H E
//   POST   /farms/{householdId}/flocks     FlockInput     Flock (201)         H E
//   PATCH  /flocks/{id}                    FlockPatch     Flock               H E
//   DELETE /flocks/{id}                                   204 (retired)       H E
//   PUT    /plots/{id}/camera | /flocks/{id}/camera  CameraLinkInput  FarmCamera   H E C (camera already
//          attached to this household on the camera desk; time-lapse: /api/monitoring/cameras/{cameraId}/time-lapse)
//   DELETE /plots/{id}/camera | /flocks/{id}/camera      204                 H E C
//   POST   /photos                         image body     PhotoRef (201)      H E (checked by content; 400 not_an_image)
//   GET    /photos/{id}?variant=full|thumb                image/jpeg          whoever may read what it is attached to
//   GET    /farms/{householdId}/observations?limit&cursor ObservationPage     H E C G
//   POST   /farms/{householdId}/observations  ObservationInput  Observation (201)  H E
//   POST   /farms/{householdId}/observations/from-camera  CameraObservationInput  Observation (201)  H E
//   GET    /observations/{id}/camera-image?variant        image/jpeg          H E C G
//   GET    /pests                                         PestList            everyone signed in (the county list)
//   GET    /solar-terms?year                              SolarTermList       everyone signed in
//   GET    /today                                         AgriToday           everyone signed in
//   GET    /advice-rules?limit&cursor&subject             AdviceRulePage      E C
//   POST   /advice-rules                   AdviceRuleInput AdviceRule (201)   E
//   GET    /advice-rules/{id}                             AdviceRule          E C
//   PATCH  /advice-rules/{id}              AdviceRulePatch AdviceRule         E (of the rule's place)
//   POST   /advice-rules/{id}/pictures     image body     AdviceRule (201)    E
//   GET    /advice-rules/{id}/preview                     AdvicePreview       E C (households it would reach now)
//   POST   /advice/run                     AdviceRunInput  AdviceRunResult    E C (the daily job does the same)
//   GET    /advice/deliveries?regionId&ruleId&limit&cursor  AdviceReportPage  E C (households advised per rule and period)
//   GET    /farms/{householdId}/advice                    FarmAdviceList      H E C G
//   GET    /weather?regionId&from&to                      WeatherList         E C
//   POST   /weather                        WeatherInput   WeatherEntry (201)  E
//   POST   /weather/import                 text/csv or application/json (README "Weather feed")  WeatherImportResult  E
//   GET    /questions?state&regionId&limit&cursor         QuestionPage        H (own) E C
//   POST   /questions                      QuestionInput  Question (201)      H
//   GET    /questions/{id}                                QuestionThread      H (own) E C
//   POST   /questions/{id}/messages        QuestionMessageInput  QuestionThread (201)  H (own) E
//   POST   /questions/{id}/close                          QuestionThread      H (own) E
//   GET    /figures?regionId&year                         AgriFigures         E C (aggregated, no household)
//   GET    /figures.xlsx?regionId&year                    XLSX                E C
import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, pageOf, Timestamp } from './common.ts';

type Label = { zh: string; en: string };
const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

// ---- Enums --------------------------------------------------------------------------------------

export const PLOT_KINDS = ['field', 'orchard', 'teaGarden'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];
export const PLOT_KIND_LABELS: Record<PlotKind, Label> = {
  field: { zh: '大田', en: 'Field' },
  orchard: { zh: '果园', en: 'Orchard' },
  teaGarden: { zh: '茶园', en: 'Tea garden' },
};

/** The crops of the area; `kind` is the plot kind a crop usually grows in. */
export const CROPS = [
  'kiwifruit',
  'tea',
  'pricklyAsh',
  'citrus',
  'plum',
  'rice',
  'corn',
  'potato',
  'sweetPotato',
  'rapeseed',
  'chiliPepper',
  'vegetables',
  'other',
] as const;
export type Crop = (typeof CROPS)[number];
export const CROP_LABELS: Record<Crop, Label & { kind: PlotKind }> = {
  kiwifruit: { zh: '猕猴桃', en: 'Kiwifruit', kind: 'orchard' },
  tea: { zh: '茶叶', en: 'Tea', kind: 'teaGarden' },
  pricklyAsh: { zh: '花椒', en: 'Chinese prickly ash', kind: 'orchard' },
  citrus: { zh: '柑橘', en: 'Citrus', kind: 'orchard' },
  plum: { zh: '李子', en: 'Plum', kind: 'orchard' },
  rice: { zh: '水稻', en: 'Rice', kind: 'field' },
  corn: { zh: '玉米', en: 'Maize', kind: 'field' },
  potato: { zh: '马铃薯', en: 'Potato', kind: 'field' },
  sweetPotato: { zh: '红薯', en: 'Sweet potato', kind: 'field' },
  rapeseed: { zh: '油菜', en: 'Rapeseed', kind: 'field' },
  chiliPepper: { zh: '辣椒', en: 'Chili pepper', kind: 'field' },
  vegetables: { zh: '蔬菜', en: 'Vegetables', kind: 'field' },
  other: { zh: '其他作物', en: 'Other crop', kind: 'field' },
};

export const SPECIES = ['forestChicken', 'duck', 'goose', 'pig', 'goat', 'cattle', 'bees'] as const;
export type Species = (typeof SPECIES)[number];
/** `unit`: what a head count counts (hives for bees). */
export const SPECIES_LABELS: Record<Species, Label & { unit: Label }> = {
  forestChicken: { zh: '林下鸡', en: 'Under-forest chickens', unit: { zh: '只', en: 'birds' } },
  duck: { zh: '鸭', en: 'Ducks', unit: { zh: '只', en: 'birds' } },
  goose: { zh: '鹅', en: 'Geese', unit: { zh: '只', en: 'birds' } },
  pig: { zh: '生猪', en: 'Pigs', unit: { zh: '头', en: 'head' } },
  goat: { zh: '山羊', en: 'Goats', unit: { zh: '只', en: 'head' } },
  cattle: { zh: '肉牛', en: 'Cattle', unit: { zh: '头', en: 'head' } },
  bees: { zh: '中蜂', en: 'Bees', unit: { zh: '箱', en: 'hives' } },
};

/** What an advice rule is about: a crop or an animal. */
export const ADVICE_SUBJECTS = [...CROPS, ...SPECIES] as const;
export type AdviceSubject = Crop | Species;

export const GROWTH_STAGES = [
  // crops
  'dormant',
  'sprouting',
  'seedling',
  'flowering',
  'fruitSetting',
  'fruitSwelling',
  'ripening',
  'harvest',
  'picking',
  // animals
  'brooding',
  'rearing',
  'laying',
  'fattening',
  'breeding',
] as const;
export type GrowthStage = (typeof GROWTH_STAGES)[number];
export const GROWTH_STAGE_LABELS: Record<GrowthStage, Label & { for: 'crop' | 'animal' }> = {
  dormant: { zh: '休眠期', en: 'Dormant', for: 'crop' },
  sprouting: { zh: '萌芽期', en: 'Sprouting', for: 'crop' },
  seedling: { zh: '苗期', en: 'Seedling', for: 'crop' },
  flowering: { zh: '开花期', en: 'Flowering', for: 'crop' },
  fruitSetting: { zh: '坐果期', en: 'Fruit setting', for: 'crop' },
  fruitSwelling: { zh: '果实膨大期', en: 'Fruit swelling', for: 'crop' },
  ripening: { zh: '成熟期', en: 'Ripening', for: 'crop' },
  harvest: { zh: '采收期', en: 'Harvest', for: 'crop' },
  picking: { zh: '采茶期', en: 'Tea picking', for: 'crop' },
  brooding: { zh: '育雏期', en: 'Brooding', for: 'animal' },
  rearing: { zh: '育成期', en: 'Rearing', for: 'animal' },
  laying: { zh: '产蛋期', en: 'Laying', for: 'animal' },
  fattening: { zh: '育肥期', en: 'Fattening', for: 'animal' },
  breeding: { zh: '繁殖期', en: 'Breeding', for: 'animal' },
};

/** The 24 solar terms, by the sun's ecliptic longitude: 春分 at 0°, then every 15°. Computed, never typed in. */
export const SOLAR_TERMS = [
  'chunfen',
  'qingming',
  'guyu',
  'lixia',
  'xiaoman',
  'mangzhong',
  'xiazhi',
  'xiaoshu',
  'dashu',
  'liqiu',
  'chushu',
  'bailu',
  'qiufen',
  'hanlu',
  'shuangjiang',
  'lidong',
  'xiaoxue',
  'daxue',
  'dongzhi',
  'xiaohan',
  'dahan',
  'lichun',
  'yushui',
  'jingzhe',
] as const;
export type SolarTerm = (typeof SOLAR_TERMS)[number];
export const SOLAR_TERM_LABELS: Record<SolarTerm, Label> = {
  chunfen: { zh: '春分', en: 'Spring Equinox' },
  qingming: { zh: '清明', en: 'Pure Brightness' },
  guyu: { zh: '谷雨', en: 'Grain Rain' },
  lixia: { zh: '立夏', en: 'Start of Summer' },
  xiaoman: { zh: '小满', en: 'Grain Buds' },
  mangzhong: { zh: '芒种', en: 'Grain in Ear' },
  xiazhi: { zh: '夏至', en: 'Summer Solstice' },
  xiaoshu: { zh: '小暑', en: 'Minor Heat' },
  dashu: { zh: '大暑', en: 'Major Heat' },
  liqiu: { zh: '立秋', en: 'Start of Autumn' },
  chushu: { zh: '处暑', en: 'End of Heat' },
  bailu: { zh: '白露', en: 'White Dew' },
  qiufen: { zh: '秋分', en: 'Autumn Equinox' },
  hanlu: { zh: '寒露', en: 'Cold Dew' },
  shuangjiang: { zh: '霜降', en: 'Frost’s Descent' },
  lidong: { zh: '立冬', en: 'Start of Winter' },
  xiaoxue: { zh: '小雪', en: 'Minor Snow' },
  daxue: { zh: '大雪', en: 'Major Snow' },
  dongzhi: { zh: '冬至', en: 'Winter Solstice' },
  xiaohan: { zh: '小寒', en: 'Minor Cold' },
  dahan: { zh: '大寒', en: 'Major Cold' },
  lichun: { zh: '立春', en: 'Start of Spring' },
  yushui: { zh: '雨水', en: 'Rain Water' },
  jingzhe: { zh: '惊蛰', en: 'Awakening of Insects' },
};

/**
 * Weather conditions advice can be tied to. Derived from a day's figures (README "Weather feed"):
 * frost min ≤ 0 °C; heat max ≥ 35 °C; heavy rain ≥ 50 mm in the day; cold snap: the minimum falls
 * ≥ 8 °C within 48 h to ≤ 4 °C. A feed or an entry may also name a condition outright.
 */
export const WEATHER_CONDITIONS = ['frost', 'heavyRain', 'heat', 'coldSnap'] as const;
export type WeatherCondition = (typeof WEATHER_CONDITIONS)[number];
export const WEATHER_CONDITION_LABELS: Record<WeatherCondition, Label> = {
  frost: { zh: '霜冻', en: 'Frost' },
  heavyRain: { zh: '暴雨', en: 'Heavy rain' },
  heat: { zh: '高温', en: 'Heat' },
  coldSnap: { zh: '寒潮', en: 'Cold snap' },
};
export const WEATHER_SOURCES = ['manual', 'feed'] as const;
export type WeatherSource = (typeof WEATHER_SOURCES)[number];

/** The county's list of pests and diseases an observation may name. */
export const PESTS = [
  'kiwiCanker',
  'kiwiSoftRot',
  'teaGreenLeafhopper',
  'teaAnthracnose',
  'pricklyAshRust',
  'pricklyAshAphid',
  'citrusRedMite',
  'fallArmyworm',
  'riceBlast',
  'lateBlight',
  'newcastleDisease',
  'coccidiosis',
  'fowlPox',
  'swineFever',
  'other',
] as const;
export type Pest = (typeof PESTS)[number];
export const PEST_LABELS: Record<Pest, Label & { for: 'crop' | 'animal' }> = {
  kiwiCanker: { zh: '猕猴桃溃疡病', en: 'Kiwifruit bacterial canker', for: 'crop' },
  kiwiSoftRot: { zh: '猕猴桃软腐病', en: 'Kiwifruit soft rot', for: 'crop' },
  teaGreenLeafhopper: { zh: '茶小绿叶蝉', en: 'Tea green leafhopper', for: 'crop' },
  teaAnthracnose: { zh: '茶炭疽病', en: 'Tea anthracnose', for: 'crop' },
  pricklyAshRust: { zh: '花椒锈病', en: 'Prickly ash rust', for: 'crop' },
  pricklyAshAphid: { zh: '花椒蚜虫', en: 'Prickly ash aphid', for: 'crop' },
  citrusRedMite: { zh: '柑橘红蜘蛛', en: 'Citrus red mite', for: 'crop' },
  fallArmyworm: { zh: '草地贪夜蛾', en: 'Fall armyworm', for: 'crop' },
  riceBlast: { zh: '稻瘟病', en: 'Rice blast', for: 'crop' },
  lateBlight: { zh: '马铃薯晚疫病', en: 'Potato late blight', for: 'crop' },
  newcastleDisease: { zh: '鸡新城疫', en: 'Newcastle disease', for: 'animal' },
  coccidiosis: { zh: '球虫病', en: 'Coccidiosis', for: 'animal' },
  fowlPox: { zh: '鸡痘', en: 'Fowl pox', for: 'animal' },
  swineFever: { zh: '猪瘟', en: 'Swine fever', for: 'animal' },
  other: { zh: '其他病虫害', en: 'Other pest or disease', for: 'crop' },
};

export const OBSERVATION_KINDS = ['growth', 'pest', 'death', 'yield', 'sale'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];
export const OBSERVATION_KIND_LABELS: Record<ObservationKind, Label> = {
  growth: { zh: '长势', en: 'Growth' },
  pest: { zh: '病虫害', en: 'Pest or disease' },
  death: { zh: '死亡', en: 'Deaths' },
  yield: { zh: '产量', en: 'Yield' },
  sale: { zh: '销售', en: 'Sale' },
};
export const OBSERVATION_SOURCES = ['household', 'extensionWorker', 'camera'] as const;
export type ObservationSource = (typeof OBSERVATION_SOURCES)[number];
export const OBSERVATION_SOURCE_LABELS: Record<ObservationSource, Label> = {
  household: { zh: '农户', en: 'Household' },
  extensionWorker: { zh: '农技员', en: 'Extension worker' },
  camera: { zh: '农田监控', en: 'Farm camera' },
};

export const QUESTION_STATES = ['open', 'answered', 'closed'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];
export const QUESTION_STATE_LABELS: Record<QuestionState, Label> = {
  open: { zh: '待解答', en: 'Waiting for an answer' },
  answered: { zh: '已解答', en: 'Answered' },
  closed: { zh: '已结束', en: 'Closed' },
};
/** `overdue` filters open questions unanswered after a working day. */
export const QUESTION_FILTERS = ['open', 'overdue', 'answered', 'closed'] as const;
export type QuestionFilter = (typeof QUESTION_FILTERS)[number];

export const FARM_CHANGE_ACTIONS = ['created', 'changed', 'retired'] as const;
export type FarmChangeAction = (typeof FARM_CHANGE_ACTIONS)[number];
export const FARM_CHANGE_ACTION_LABELS: Record<FarmChangeAction, Label> = {
  created: { zh: '新增', en: 'Added' },
  changed: { zh: '修改', en: 'Changed' },
  retired: { zh: '移除', en: 'Removed' },
};

/** Bounds of what a farm can be: beyond them the input is refused (400), nothing stored. */
export const MAX_PLOT_AREA_MU = 10_000;
export const MAX_HEAD_COUNT = 100_000;

// ---- Schemas ------------------------------------------------------------------------------------

export const CropSchema = oneOf(CROPS);
export const SpeciesSchema = oneOf(SPECIES);
export const PlotKindSchema = oneOf(PLOT_KINDS);
export const GrowthStageSchema = oneOf(GROWTH_STAGES);
export const SolarTermSchema = oneOf(SOLAR_TERMS);
export const WeatherConditionSchema = oneOf(WEATHER_CONDITIONS);
export const PestSchema = oneOf(PESTS);
export const ObservationKindSchema = oneOf(OBSERVATION_KINDS);
export const ObservationSourceSchema = oneOf(OBSERVATION_SOURCES);
export const QuestionStateSchema = oneOf(QUESTION_STATES);
const AdviceSubjectSchema = oneOf(ADVICE_SUBJECTS);

/** A calendar date, YYYY-MM-DD, Beijing time. */
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const Label60 = Type.String({ minLength: 1, maxLength: 60 });
const Note = Type.String({ maxLength: 1000 });
const PhotoIds = Type.Array(Id, { maxItems: 9 });

export const PhotoRef = Type.Object({ id: Id, width: Type.Integer(), height: Type.Integer() });
export type PhotoRef = Static<typeof PhotoRef>;
export const PhotoVariantQuery = Type.Object(
  { variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) },
  { additionalProperties: false },
);

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
    /** From POST /photos, by the same caller. */
    photoIds: Type.Optional(PhotoIds),
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
export type ObservationPage = Static<typeof ObservationPage>;

export const PestList = Type.Object({
  items: Type.Array(Type.Object({ code: PestSchema, zh: Type.String(), en: Type.String(), for: Type.String() })),
});

// ---- Calendar, weather --------------------------------------------------------------------------

export const SolarTermQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })) }, { additionalProperties: false });
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

export const AdviceRunInput = Type.Object(
  { regionId: Type.Optional(Id), ruleId: Type.Optional(Id) },
  { additionalProperties: false },
);
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

// ---- Questions ----------------------------------------------------------------------------------

export const QuestionInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    plotId: Type.Optional(Id),
    flockId: Type.Optional(Id),
    photoIds: Type.Optional(PhotoIds),
  },
  { additionalProperties: false },
);
export type QuestionInput = Static<typeof QuestionInput>;
export const QuestionMessageInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }), photoIds: Type.Optional(PhotoIds) },
  { additionalProperties: false },
);
export type QuestionMessageInput = Static<typeof QuestionMessageInput>;

export const Question = Type.Object({
  id: Id,
  householdId: Id,
  headName: Type.String(),
  regionId: Id,
  plotId: Nullable(Type.String()),
  flockId: Nullable(Type.String()),
  subjectName: Nullable(Type.String()),
  text: Type.String(),
  photoIds: Type.Array(Id),
  state: QuestionStateSchema,
  askedAt: Timestamp,
  /** A working day after asking (platform/working-time.ts). */
  dueAt: Timestamp,
  /** Open and past dueAt. */
  overdue: Type.Boolean(),
  answeredAt: Nullable(Type.String()),
  answeredByName: Nullable(Type.String()),
});
export type Question = Static<typeof Question>;
export const QuestionQuery = Type.Object(
  { ...PageQuery.properties, state: Type.Optional(oneOf(QUESTION_FILTERS)), regionId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const QuestionPage = pageOf(Question);
export type QuestionPage = Static<typeof QuestionPage>;

export const QuestionMessage = Type.Object({
  id: Id,
  byName: Type.String(),
  /** household or extensionWorker */
  side: Type.Union([Type.Literal('household'), Type.Literal('extensionWorker')]),
  text: Type.String(),
  photoIds: Type.Array(Id),
  at: Timestamp,
});
export const QuestionThread = Type.Object({ question: Question, messages: Type.Array(QuestionMessage) });
export type QuestionThread = Static<typeof QuestionThread>;

// ---- Figures ------------------------------------------------------------------------------------

export const FiguresQuery = Type.Object(
  { regionId: Type.Optional(Id), year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) },
  { additionalProperties: false },
);
const Count = Type.Integer();
export const AgriFigures = Type.Object({
  regionId: Id,
  regionName: Type.String(),
  year: Type.Integer(),
  farms: Count,
  plotsByCrop: Type.Array(Type.Object({ crop: CropSchema, plots: Count, households: Count, areaMu: Type.Number() })),
  flocksBySpecies: Type.Array(Type.Object({ species: SpeciesSchema, flocks: Count, households: Count, heads: Count })),
  advice: Type.Object({ rules: Count, households: Count, deliveries: Count, read: Count }),
  questions: Type.Object({ asked: Count, answered: Count, open: Count, overdue: Count }),
  /** Month 1–12 of the year: yields and sales from observations. */
  byMonth: Type.Array(
    Type.Object({ month: Type.Integer(), yieldKg: Type.Number(), soldKg: Type.Number(), salesYuan: Type.Number(), deaths: Count }),
  ),
  /** The same counts for each place one level down (villages of a township, townships of the county). */
  byPlace: Type.Array(
    Type.Object({
      regionId: Id,
      name: Type.String(),
      farms: Count,
      areaMu: Type.Number(),
      heads: Count,
      householdsAdvised: Count,
      questionsAnswered: Count,
      salesYuan: Type.Number(),
    }),
  ),
});
export type AgriFigures = Static<typeof AgriFigures>;
