// The demo county's farms (issue 17 item 7): Pingdiba's households with under-forest chickens and
// orchards (kiwifruit, tea, Chinese prickly ash, 冉鲜荣's plum orchard under the farm camera), a
// season of their observations, the Heishui extension worker's library of advice rules, a cold
// snap in the forecast, advice pushed by the same services a real day uses, and questions. And
// Daxi's (the seed article's "400+ households"): under-forest chickens and orchards in its two
// villages, kept by Daxi's extension worker with his own library, the same cold snap's advice, and
// two householders' questions.
import type { AdviceRuleInput, WeatherInput } from '@cunzhi/contracts/agri-advice';
import type { FlockInput, ObservationInput, PlotInput } from '@cunzhi/contracts/agri-farms';
import { type Principal, rolesOf } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { openNotice } from '../notices/notices.service.ts';
import { householdIdsUnder } from '../org/households.service.ts';
import { personNamed } from '../org/people.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { principalAccount, userIdByPhone } from '../org/users.service.ts';
import { todayIn } from './agri-access.ts';
import { createRule, enterWeather } from './agri-advice.service.ts';
import { farmAdvice, runAdvice } from './agri-delivery.service.ts';
import { addFlock, addPlot, getFarm, linkCamera } from './agri-farms.service.ts';
import { addObservation, importCameraDays, uploadPhoto } from './agri-observations.service.ts';
import { addMessage, askQuestion } from './agri-questions.service.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

const DAY = 86_400_000;
export const DEMO_EXTENSION_WORKER_PHONE = '13800000018';
const GROWER_PHONE = '13800000011';
export const DAXI_EXTENSION_WORKER_PHONE = '13800000019';
/** Daxi's villages (org.demo.ts DAXI_VILLAGES) and a householder of each, signed in (DAXI_VILLAGER_PHONES). */
const DAXI_VILLAGE_CODES = ['500242104201', '500242104202'];
const DAXI_GROWER_PHONES = ['13800000020', '13800000021'];
/** Daxi's farms are chickens and orchards: the rules of its library are those about them. */
const DAXI_SUBJECTS = new Set(['forestChicken', 'kiwifruit', 'pricklyAsh', 'plum', 'citrus']);

type Acting = { principal: Principal; actor: Actor };

async function acting(deps: Deps, phone: string): Promise<Acting> {
  const userId = await userIdByPhone(deps, phone);
  const account = userId && (await principalAccount(deps, userId));
  if (!account) throw new Error(`demo agri: no account ${phone}`);
  const principal: Principal = {
    userId: account.id,
    displayName: account.displayName,
    phone: account.phone,
    personId: account.personId,
    householdId: account.householdId,
    assignments: account.assignments,
  };
  return { principal, actor: { userId: account.id, roles: rolesOf(principal).join(','), ip: null, requestId: null } };
}

const dateAgo = (now: number, days: number) => todayIn(now - days * DAY);

/** A plain picture for a demo photo: a leaf or a bird is a colour here. */
async function demoPicture(colour: string): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

type Kind = 'kiwi' | 'tea' | 'ash' | 'chicken';
const PLOTS: Record<Exclude<Kind, 'chicken'>, PlotInput> = {
  kiwi: {
    name: '猕猴桃园',
    kind: 'orchard',
    crop: 'kiwifruit',
    variety: '红阳',
    areaMu: 3,
    plantedOn: '2019-03-10',
    growthStage: 'dormant',
  },
  tea: { name: '茶园', kind: 'teaGarden', crop: 'tea', variety: '福鼎大白', areaMu: 4, plantedOn: '2017-11-05', growthStage: 'dormant' },
  ash: {
    name: '花椒地',
    kind: 'orchard',
    crop: 'pricklyAsh',
    variety: '九叶青',
    areaMu: 5,
    plantedOn: '2020-02-20',
    growthStage: 'dormant',
  },
};
const CHICKENS: FlockInput = { name: '林下鸡', species: 'forestChicken', breed: '酉阳本地土鸡', headCount: 300, growthStage: 'rearing' };

/** The advice library: ≥ 20 rules of the area's crops and animals, by month, solar term, stage and weather. */
const RULES: AdviceRuleInput[] = [
  {
    title: '林下鸡：首次寒潮来临前',
    body: '寒潮来临前一天加固鸡舍、挂好防风帘，垫料加厚到10厘米；夜间舍温不低于10℃；饮水加温，防止冻伤和应激。',
    subjects: ['forestChicken'],
    weather: ['coldSnap'],
    validDays: 7,
  },
  {
    title: '林下鸡：冬季防寒保暖',
    body: '小雪、大雪前后减少放养时间，中午放出、下午四点前收回；饲料中能量提高5%。',
    subjects: ['forestChicken'],
    solarTerms: ['xiaoxue', 'daxue'],
    validDays: 15,
  },
  {
    title: '林下鸡：新城疫免疫',
    body: '育雏期7日龄、21日龄各免疫一次新城疫疫苗，滴鼻点眼；免疫前后三天不用消毒药饮水。',
    subjects: ['forestChicken'],
    growthStages: ['brooding'],
    validDays: 30,
  },
  {
    title: '林下鸡：高温防暑',
    body: '高温天气放养区搭遮阳网，保证清洁饮水，饲喂时间提前到早晚凉爽时。',
    subjects: ['forestChicken'],
    weather: ['heat'],
    validDays: 5,
  },
  {
    title: '林下鸡：暴雨后防球虫',
    body: '暴雨后林地潮湿，易发球虫病；及时清理积水，饲料中按说明添加抗球虫药，连用5天。',
    subjects: ['forestChicken'],
    weather: ['heavyRain'],
    validDays: 7,
  },
  {
    title: '林下鸡：春季驱虫',
    body: '惊蛰后气温回升，放养鸡群全群驱虫一次，粪便集中堆积发酵。',
    subjects: ['forestChicken'],
    solarTerms: ['jingzhe'],
    validDays: 15,
  },
  {
    title: '猕猴桃：冬季清园防溃疡病',
    body: '落叶后剪除病枝、清扫落叶集中烧毁；全园喷3-5波美度石硫合剂，主干涂白。',
    subjects: ['kiwifruit'],
    months: [12, 1],
    validDays: 30,
  },
  {
    title: '猕猴桃：霜冻前防护',
    body: '霜冻来临前灌水、园内熏烟，幼树主干包草，防止冻害诱发溃疡病。',
    subjects: ['kiwifruit'],
    weather: ['frost', 'coldSnap'],
    validDays: 5,
  },
  {
    title: '猕猴桃：萌芽期防溃疡病',
    body: '萌芽期是溃疡病高发期，喷施春雷霉素或噻霉酮，每7-10天一次，连喷2-3次。',
    subjects: ['kiwifruit'],
    growthStages: ['sprouting'],
    validDays: 20,
  },
  {
    title: '猕猴桃：花期授粉',
    body: '开花期人工辅助授粉，雌花开放当天上午授粉效果最好；花期不喷农药。',
    subjects: ['kiwifruit'],
    growthStages: ['flowering'],
    validDays: 10,
  },
  {
    title: '猕猴桃：果实膨大期水肥',
    body: '果实膨大期每亩追施高钾复合肥30公斤，保持土壤湿润，高温干旱时早晚灌水。',
    subjects: ['kiwifruit'],
    growthStages: ['fruitSwelling'],
    validDays: 20,
  },
  {
    title: '猕猴桃：适时采收',
    body: '可溶性固形物达到6.5%以上再采收，轻采轻放，采后24小时内入库预冷。',
    subjects: ['kiwifruit'],
    months: [9, 10],
    validDays: 20,
  },
  {
    title: '茶叶：冬季封园',
    body: '立冬后茶园深耕施基肥，每亩施腐熟农家肥2000公斤，喷石硫合剂封园。',
    subjects: ['tea'],
    solarTerms: ['lidong', 'xiaoxue'],
    validDays: 30,
  },
  {
    title: '茶叶：倒春寒防冻',
    body: '春茶萌芽后遇寒潮，提前覆盖遮阳网或稻草，霜后及时修剪受冻芽叶。',
    subjects: ['tea'],
    weather: ['frost', 'coldSnap'],
    growthStages: ['sprouting', 'picking'],
    validDays: 5,
  },
  {
    title: '茶叶：清明前采摘名优茶',
    body: '清明前按一芽一叶标准及时采摘，鲜叶用竹筐装，当天付制。',
    subjects: ['tea'],
    solarTerms: ['chunfen', 'qingming'],
    validDays: 15,
  },
  {
    title: '茶叶：防治茶小绿叶蝉',
    body: '夏秋茶期茶小绿叶蝉高发，挂黄板诱杀，必要时用苦参碱防治，严守安全间隔期。',
    subjects: ['tea'],
    months: [6, 7, 8, 9],
    validDays: 30,
  },
  {
    title: '花椒：冬季修剪清园',
    body: '落叶后剪除枯枝、病虫枝和过密枝，刮除主干老翘皮，树干涂白防冻。',
    subjects: ['pricklyAsh'],
    months: [12, 1, 2],
    validDays: 30,
  },
  {
    title: '花椒：防治锈病',
    body: '雨季前后喷施三唑酮或戊唑醇预防花椒锈病，间隔10-15天，连喷2次。',
    subjects: ['pricklyAsh'],
    months: [6, 7],
    validDays: 20,
  },
  {
    title: '花椒：暴雨后排水',
    body: '暴雨后及时清沟排水，防止花椒根腐；扶正倒伏植株。',
    subjects: ['pricklyAsh'],
    weather: ['heavyRain'],
    validDays: 5,
  },
  {
    title: '花椒：适时采收',
    body: '果皮呈紫红色、少量开裂时分批采收，晴天上午露水干后采摘，及时晾晒。',
    subjects: ['pricklyAsh'],
    growthStages: ['ripening', 'harvest'],
    validDays: 20,
  },
  {
    title: '果树：寒潮防冻通用措施',
    body: '寒潮前果园灌透水，树盘覆草，幼树主干包扎；寒潮后检查冻害，及时剪除受冻枝。',
    subjects: ['kiwifruit', 'pricklyAsh', 'plum', 'citrus'],
    weather: ['coldSnap'],
    validDays: 7,
  },
  {
    title: '李子：冬季施基肥',
    body: '大雪前后每株施腐熟有机肥20公斤加过磷酸钙1公斤，环状沟施后覆土。',
    subjects: ['plum'],
    solarTerms: ['xiaoxue', 'daxue'],
    validDays: 20,
  },
];

/** A season of a subject's observations: the stages it went through, a pest, yields and sales, deaths. */
function season(kind: Kind, now: number, rand: () => number): Omit<ObservationInput, 'plotId' | 'flockId'>[] {
  const at = (days: number) => dateAgo(now, days);
  const price = (base: number) => Math.round(base * (0.9 + rand() * 0.2) * 10) / 10;
  switch (kind) {
    case 'kiwi':
      return [
        { kind: 'growth', observedOn: at(160), growthStage: 'fruitSwelling', note: '果实膨大，长势好' },
        { kind: 'pest', observedOn: at(120), pest: 'kiwiSoftRot', note: '少量果实软腐' },
        { kind: 'growth', observedOn: at(80), growthStage: 'ripening' },
        { kind: 'yield', observedOn: at(65), quantityKg: Math.round(1500 + rand() * 1500) },
        { kind: 'sale', observedOn: at(60), quantityKg: Math.round(1000 + rand() * 800), priceYuanPerKg: price(9) },
        { kind: 'growth', observedOn: at(20), growthStage: 'dormant', note: '已落叶' },
      ];
    case 'tea':
      return [
        { kind: 'growth', observedOn: at(170), growthStage: 'picking', note: '夏茶采摘' },
        { kind: 'yield', observedOn: at(165), quantityKg: Math.round(150 + rand() * 100) },
        { kind: 'sale', observedOn: at(160), quantityKg: Math.round(100 + rand() * 50), priceYuanPerKg: price(60) },
        { kind: 'pest', observedOn: at(140), pest: 'teaGreenLeafhopper' },
        { kind: 'growth', observedOn: at(30), growthStage: 'dormant' },
      ];
    case 'ash':
      return [
        { kind: 'growth', observedOn: at(150), growthStage: 'ripening' },
        { kind: 'pest', observedOn: at(145), pest: 'pricklyAshRust', note: '叶片有锈斑' },
        { kind: 'yield', observedOn: at(135), quantityKg: Math.round(200 + rand() * 200) },
        { kind: 'sale', observedOn: at(130), quantityKg: Math.round(150 + rand() * 100), priceYuanPerKg: price(45) },
        { kind: 'growth', observedOn: at(25), growthStage: 'dormant' },
      ];
    case 'chicken':
      return [
        { kind: 'growth', observedOn: at(150), growthStage: 'rearing', note: '放养到林下' },
        { kind: 'death', observedOn: at(100), deaths: 1 + Math.floor(rand() * 6), note: '暴雨后球虫' },
        { kind: 'sale', observedOn: at(45), quantityKg: Math.round(150 + rand() * 150), priceYuanPerKg: price(36) },
        { kind: 'growth', observedOn: at(10), growthStage: 'laying' },
      ];
  }
}

type Subject = { householdId: string; kind: Kind; id: string; isPlot: boolean };

/** A flock of `kind` (up to `extraHeads` over a hundred) or a plot of it, added by the extension worker on a visit. */
async function addSubject(
  deps: Deps,
  worker: Acting,
  householdId: string,
  kind: Kind,
  extraHeads: number,
  rand: () => number,
): Promise<Subject> {
  if (kind === 'chicken') {
    const flock = await addFlock(deps, worker.principal, worker.actor, householdId, {
      ...CHICKENS,
      headCount: 100 + Math.floor(rand() * extraHeads),
      startedOn: dateAgo(deps.now(), 150 + Math.floor(rand() * 100)),
    });
    return { householdId, kind, id: flock.id, isPlot: false };
  }
  const base = PLOTS[kind];
  const plot = await addPlot(deps, worker.principal, worker.actor, householdId, {
    ...base,
    areaMu: Math.round(base.areaMu * (0.5 + rand()) * 10) / 10,
  });
  return { householdId, kind, id: plot.id, isPlot: true };
}

/** A season of observations on each subject, recorded by the extension worker on visits. */
async function observeSeasons(deps: Deps, worker: Acting, subjects: Subject[], rand: () => number): Promise<void> {
  for (const s of subjects) {
    for (const o of season(s.kind, deps.now(), rand)) {
      await addObservation(deps, worker.principal, worker.actor, s.householdId, {
        ...o,
        ...(s.isPlot ? { plotId: s.id } : { flockId: s.id }),
      });
    }
  }
}

type Weather = Omit<WeatherInput, 'regionId' | 'date'>;

/** The township's weather entered by hand: today's, then tomorrow's. */
async function enterTodayAndTomorrow(
  deps: Deps,
  worker: Acting,
  regionId: string,
  days: [today: Weather, tomorrow: Weather],
): Promise<void> {
  for (const [i, day] of days.entries()) {
    await enterWeather(deps, worker.principal, worker.actor, { regionId, date: dateAgo(deps.now(), -i), ...day });
  }
}

export async function seedDemoAgri(deps: Deps, regionsByCode: Map<string, RegionRecord>): Promise<{ farms: number; households: number }> {
  const now = deps.now();
  const rand = seededRandom(17);
  const worker = await acting(deps, DEMO_EXTENSION_WORKER_PHONE);
  const grower = await acting(deps, GROWER_PHONE);
  const pingdiba = regionsByCode.get('500242105201');
  const heishui = regionsByCode.get('500242105');
  if (!pingdiba || !heishui) throw new Error('demo agri: Pingdiba is loaded first');

  // Farms: 冉鲜荣's plum orchard (the farm camera's) and chickens; three in four of the village's other households.
  const own = (await personNamed(deps, '冉鲜荣'))?.householdId;
  const households = (await householdIdsUnder(deps, pingdiba.id)).filter((id) => id !== own);
  let farms = 0;
  const subjects: Subject[] = [];
  if (own) {
    const plum = await addPlot(deps, grower.principal, grower.actor, own, {
      name: '脆红李果园',
      kind: 'orchard',
      crop: 'plum',
      variety: '脆红李',
      areaMu: 6,
      plantedOn: '2016-02-15',
      growthStage: 'dormant',
    });
    const flock = await addFlock(deps, grower.principal, grower.actor, own, { ...CHICKENS, headCount: 500, startedOn: dateAgo(now, 200) });
    subjects.push({ householdId: own, kind: 'chicken', id: flock.id, isPlot: false });
    const farm = await getFarm(deps, worker.principal, worker.actor, own);
    const camera = farm.cameras[0];
    if (camera) {
      await linkCamera(deps, grower.principal, grower.actor, 'plot', plum.id, camera.cameraId);
      await importCameraDays(deps, own, now - 8 * DAY, now);
    }
    farms++;
  }
  for (const householdId of households) {
    if (rand() < 0.25) continue;
    const kinds: Kind[] = [];
    const roll = rand();
    kinds.push(roll < 0.35 ? 'kiwi' : roll < 0.65 ? 'tea' : 'ash');
    if (rand() < 0.55) kinds.push('chicken');
    for (const kind of kinds) subjects.push(await addSubject(deps, worker, householdId, kind, 400, rand));
    farms++;
  }
  await observeSeasons(deps, worker, subjects, rand);

  // The library, a cold snap in tomorrow's forecast, and today's advice pushed.
  for (const rule of RULES) await createRule(deps, worker.principal, worker.actor, rule);
  await enterTodayAndTomorrow(deps, worker, heishui.id, [
    { minTempC: 9, maxTempC: 14, rainMm: 2 },
    { minTempC: 0, maxTempC: 5, rainMm: 6 },
  ]);
  const daxi = await seedDaxiFarms(deps, regionsByCode, rand);
  await runAdvice(deps, null);
  await askInDaxi(deps);

  // 冉鲜荣 reads the advice in the app; asks about a bird (answered) and, three days ago, about the orchard (still open: overdue).
  const farm = own ? await getFarm(deps, grower.principal, grower.actor, own) : undefined;
  if (farm) {
    const given = await farmAdvice(deps, grower.principal, grower.actor, farm.household.id);
    for (const advice of given.slice(0, 2)) if (advice.noticeId) await openNotice(deps, grower.principal, advice.noticeId);
    const bird = await uploadPhoto(deps, grower.principal, grower.actor, await demoPicture('#8a6d3b'));
    const asked = await askQuestion(deps, grower.principal, grower.actor, {
      text: '有几只鸡精神不好、拉稀，是不是球虫病？要用什么药？',
      flockId: farm.flocks[0]?.id,
      photoIds: [bird.id],
    });
    await addMessage(deps, worker.principal, worker.actor, asked.id, {
      text: '从照片看像球虫病。请把病鸡隔离，饮水中加地克珠利，连用5天；鸡舍垫料换干的。明天我过来看看。',
    });
    const earlier = { ...deps, now: () => now - 3 * DAY };
    const leaf = await uploadPhoto(earlier, grower.principal, grower.actor, await demoPicture('#6b8e23'));
    await askQuestion(earlier, grower.principal, grower.actor, {
      text: '李子树叶子边上发黄卷起来，需要打药吗？',
      plotId: farm.plots[0]?.id,
      photoIds: [leaf.id],
    });
  }
  return { farms: farms + daxi.farms, households: households.length + (own ? 1 : 0) + daxi.households };
}

/**
 * Daxi's farms: nineteen households in twenty keep under-forest chickens, an orchard (kiwifruit,
 * prickly ash) or both, 400+ in all; the extension worker keeps them on visits (a season of
 * observations on one plot or flock in ten), writes the library's rules about chickens and
 * orchards, and enters the township's weather: today mild, tomorrow a cold snap.
 */
async function seedDaxiFarms(
  deps: Deps,
  regionsByCode: Map<string, RegionRecord>,
  rand: () => number,
): Promise<{ farms: number; households: number }> {
  const worker = await acting(deps, DAXI_EXTENSION_WORKER_PHONE);
  const daxi = regionsByCode.get('500242104');
  if (!daxi) throw new Error('demo agri: Daxi is loaded first');
  let farms = 0;
  let households = 0;
  const subjects: Subject[] = [];
  for (const code of DAXI_VILLAGE_CODES) {
    const village = regionsByCode.get(code);
    if (!village) throw new Error("demo agri: Daxi's villages are loaded first");
    const ids = await householdIdsUnder(deps, village.id);
    households += ids.length;
    for (const [h, householdId] of ids.entries()) {
      if (h % 20 === 19) continue;
      const roll = rand();
      const kinds: Kind[] =
        roll < 0.4 ? ['chicken'] : roll < 0.75 ? ['chicken', rand() < 0.5 ? 'kiwi' : 'ash'] : [rand() < 0.5 ? 'kiwi' : 'ash'];
      for (const kind of kinds) subjects.push(await addSubject(deps, worker, householdId, kind, 600, rand));
      farms++;
    }
  }
  const oneInTen = subjects.filter((_, i) => i % 10 === 0);
  await observeSeasons(deps, worker, oneInTen, rand);
  for (const rule of RULES.filter((r) => r.subjects.some((subject) => DAXI_SUBJECTS.has(subject)))) {
    await createRule(deps, worker.principal, worker.actor, rule);
  }
  await enterTodayAndTomorrow(deps, worker, daxi.id, [
    { minTempC: 10, maxTempC: 15, rainMm: 0 },
    { minTempC: 1, maxTempC: 6, rainMm: 4 },
  ]);
  return { farms, households };
}

/** Two Daxi householders ask on the phone: one about a bird (answered), one about the orchard (still open). */
async function askInDaxi(deps: Deps): Promise<void> {
  const worker = await acting(deps, DAXI_EXTENSION_WORKER_PHONE);
  const [first, second] = await Promise.all(DAXI_GROWER_PHONES.map((phone) => acting(deps, phone)));
  if (!first || !second) return;
  const firstFarm = await getFarm(deps, first.principal, first.actor, first.principal.householdId as string);
  const given = await farmAdvice(deps, first.principal, first.actor, firstFarm.household.id);
  if (given[0]?.noticeId) await openNotice(deps, first.principal, given[0].noticeId);
  const bird = await uploadPhoto(deps, first.principal, first.actor, await demoPicture('#7a5c2e'));
  const asked = await askQuestion(deps, first.principal, first.actor, {
    text: '寒潮要来了，林下的鸡晚上要不要全部赶回棚里？棚里太挤怎么办？',
    flockId: firstFarm.flocks[0]?.id,
    plotId: firstFarm.flocks[0] ? undefined : firstFarm.plots[0]?.id,
    photoIds: [bird.id],
  });
  await addMessage(deps, worker.principal, worker.actor, asked.id, {
    text: '要全部收回。棚里挤就临时隔出一间，每平方米不超过8只，挂好防风帘，垫料加厚，夜里别断水。',
  });
  const secondFarm = await getFarm(deps, second.principal, second.actor, second.principal.householdId as string);
  await askQuestion(deps, second.principal, second.actor, {
    text: '果树今年结果少，冬天要怎么施肥修剪？',
    plotId: secondFarm.plots[0]?.id,
    flockId: secondFarm.plots[0] ? undefined : secondFarm.flocks[0]?.id,
  });
}
