// Farms (agri, issue 17): households' plots and flocks, observations, the advice library with its
// solar terms and weather, advice delivered to exactly the households it concerns, questions to the
// township's extension worker (农技员), and the figures of the wall screen's "industrial prosperity".
//
// API (prefix /api/agri). Who: H = a member of the household (villager, own farm only);
// E = extension worker of the place; C = county admin, township official, village cadre of the place;
// G = grid worker of the place (reads). Every read of a household's data is audited.
// Writes a phone makes accept an Idempotency-Key header. The schemas: this file (enums, photos),
// agri-farms.ts (farms, plots, flocks, observations), agri-advice.ts (solar terms, weather, advice),
// agri-questions.ts (questions, figures).
//   GET    /farms?regionId&q&limit&cursor                 FarmPage            E C G
//   GET    /farms/mine                                    Farm                H (empty lists until something is kept; 404 without a household)
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
//   GET    /observations?regionId&kind&pest&from&to&limit&cursor  ObservationPage  E C G (every farm of the
//          caller's places, newest observed day first; from/to real dates; audited agri.observations.list)
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
import { Id, LocalDate } from './common.ts';

type Label = { zh: string; en: string };
export const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

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
export const AdviceSubjectSchema = oneOf(ADVICE_SUBJECTS);

/** A calendar date, YYYY-MM-DD, Beijing time. */
export { LocalDate };
export const Label60 = Type.String({ minLength: 1, maxLength: 60 });
export const Note = Type.String({ maxLength: 1000 });
export const PhotoIds = Type.Array(Id, { maxItems: 9 });
/** An observation's photos, as a case takes several: a leaf close up, the whole tree, the orchard. */
export const MAX_OBSERVATION_PHOTOS = 6;
export const ObservationPhotoIds = Type.Array(Id, { maxItems: MAX_OBSERVATION_PHOTOS });

export const PhotoRef = Type.Object({ id: Id, width: Type.Integer(), height: Type.Integer() });
export type PhotoRef = Static<typeof PhotoRef>;
export const PhotoVariantQuery = Type.Object(
  { variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) },
  { additionalProperties: false },
);
