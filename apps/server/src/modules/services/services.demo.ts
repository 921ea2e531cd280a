// The demo county's service catalogue: the matters a county service centre lists (licences set up,
// changed, cancelled and replaced; certificates; benefits and subsidies), each with its department,
// legal basis, materials, time limits, places and tags, and a few applications at different steps.
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { textPdf } from '../../platform/pdf.ts';
import { addDepartment, listDepartments } from '../org/departments.service.ts';
import { personNamed } from '../org/people.service.ts';
import { userIdByPhone } from '../org/users.service.ts';
import type { ApplicationState } from './application-workflow.ts';
import * as applications from './applications.repository.ts';
import type { Material } from './catalogue.repository.ts';
import * as catalogue from './catalogue.repository.ts';
import { upsertItem } from './catalogue.service.ts';
import type { ItemInput } from './catalogue-table.ts';

type Subject = {
  key: string;
  name: string;
  department: string;
  law: string;
  actions: string[];
  materials: string[];
  events: string[];
  days: [number, number];
  /** Where it can be handled, and its tags, by default. */
  places?: string[];
  tags?: string[];
};

const DEPARTMENTS = [
  '县市场监管局',
  '县民政局',
  '县人力社保局',
  '县农业农村委',
  '县公安局',
  '县卫生健康委',
  '县住房城乡建委',
  '县规划自然资源局',
  '县税务局',
  '县医疗保障局',
  '县残疾人联合会',
  '县退役军人事务局',
  '县交通运输委员会',
  '县教育委员会',
  '县林业局',
  '县水利局',
  '县应急管理局',
  '县文化旅游委',
  '县住房公积金中心',
];

/**
 * What villagers call some subjects, beside the catalogue's name (the county writes these in the
 * catalogue's aliases column); everyday abbreviations common to every county are in search-aliases.ts.
 */
const ALIASES: Record<string, string[]> = {
  DB: ['低保', '低保户', '最低生活保障金'],
  TK: ['五保', '五保户', '特困供养'],
  LS: ['临时困难救助', '急难救助'],
  GLBT: ['高龄补贴', '老年津贴', '八十岁补贴'],
  CJR: ['残补', '困难残疾人生活补贴', '重度残疾人护理补贴'],
  CJZ: ['残疾证'],
  YL: ['农村养老保险', '养老金', '城乡居保'],
  YB: ['新农合', '居民医保', '医保'],
  HJ: ['上户口', '户口本', '落户'],
  SFZ: ['身份证'],
  CSYX: ['出生证'],
  SY: ['准生证', '生育证', '二孩登记'],
  WF: ['危房改造', 'D级危房'],
  GDBT: ['种粮补贴', '粮补', '地力补贴'],
  BDC: ['房产证', '房屋产权证'],
  ZJD: ['建房审批', '宅基地审批'],
  SBK: ['社保卡'],
  DSZN: ['独生子女奖励', '计生奖扶'],
};

const ONLINE = ['county', 'townshipHall', 'postalHall', 'online'];
const HALL = ['county', 'townshipHall', 'postalHall'];

const SUBJECTS: Subject[] = [
  {
    key: 'GT',
    name: '个体工商户',
    department: '县市场监管局',
    law: '《促进个体工商户发展条例》',
    actions: ['设立登记', '变更登记', '注销登记', '营业执照补领'],
    materials: ['身份证', '经营场所使用证明', '登记申请书'],
    events: ['startingBusiness'],
    days: [15, 1],
    tags: ['immediate', 'fullyOnline'],
  },
  {
    key: 'YY',
    name: '营业执照',
    department: '县市场监管局',
    law: '《市场主体登记管理条例》',
    actions: ['核发', '变更', '注销', '遗失补领'],
    materials: ['身份证', '登记申请书', '住所证明'],
    events: ['startingBusiness'],
    days: [15, 1],
    tags: ['immediate', 'fullyOnline'],
  },
  {
    key: 'ZYHZ',
    name: '农民专业合作社',
    department: '县市场监管局',
    law: '《农民专业合作社法》',
    actions: ['设立登记', '变更登记', '注销登记'],
    materials: ['身份证', '合作社章程', '成员名册', '设立大会纪要'],
    events: ['startingBusiness', 'farmingSubsidies'],
    days: [15, 3],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'SPJY',
    name: '食品经营许可证',
    department: '县市场监管局',
    law: '《食品安全法》',
    actions: ['核发', '变更', '延续', '注销'],
    materials: ['身份证', '营业执照', '经营场所平面图', '食品安全管理制度'],
    events: ['startingBusiness'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'XSPFZ',
    name: '小餐饮经营许可',
    department: '县市场监管局',
    law: '《重庆市食品生产加工小作坊和食品摊贩管理条例》',
    actions: ['核发', '变更', '延续'],
    materials: ['身份证', '健康证明', '经营场所证明'],
    events: ['startingBusiness'],
    days: [15, 5],
    tags: ['atMostOneTrip', 'nearby'],
  },
  {
    key: 'DB',
    name: '最低生活保障',
    department: '县民政局',
    law: '《社会救助暂行办法》',
    actions: ['申请', '待遇变更', '停发'],
    materials: ['身份证', '户口簿', '家庭收入情况声明', '家庭财产状况声明'],
    events: ['oldAge', 'health'],
    days: [30, 20],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'TK',
    name: '特困人员救助供养',
    department: '县民政局',
    law: '《社会救助暂行办法》',
    actions: ['申请', '终止'],
    materials: ['身份证', '户口簿', '本人书面申请'],
    events: ['oldAge'],
    days: [30, 20],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'LS',
    name: '临时救助',
    department: '县民政局',
    law: '《社会救助暂行办法》',
    actions: ['申请'],
    materials: ['身份证', '困难情况说明'],
    events: ['health'],
    days: [15, 5],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'GLBT',
    name: '高龄津贴',
    department: '县民政局',
    law: '《重庆市老年人权益保障条例》',
    actions: ['申领', '停发'],
    materials: ['身份证', '户口簿', '银行卡'],
    events: ['oldAge'],
    days: [20, 10],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'HY',
    name: '婚姻登记',
    department: '县民政局',
    law: '《婚姻登记条例》',
    actions: ['结婚登记', '离婚登记', '补领婚姻登记证'],
    materials: ['身份证', '户口簿', '近期半身免冠合影照片'],
    events: ['havingChild'],
    days: [1, 1],
    places: ['county'],
    tags: ['immediate'],
  },
  {
    key: 'CJR',
    name: '残疾人两项补贴',
    department: '县残疾人联合会',
    law: '《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》',
    actions: ['申请', '变更', '注销'],
    materials: ['身份证', '残疾人证', '户口簿'],
    events: ['health'],
    days: [30, 15],
    tags: ['zeroTrip', 'fullyOnline'],
  },
  {
    key: 'CJZ',
    name: '残疾人证',
    department: '县残疾人联合会',
    law: '《中华人民共和国残疾人证管理办法》',
    actions: ['核发', '换领', '迁移', '注销'],
    materials: ['身份证', '户口簿', '近期免冠照片', '残疾评定表'],
    events: ['health'],
    days: [30, 20],
    places: HALL,
    tags: ['atMostOneTrip'],
  },
  {
    key: 'YL',
    name: '城乡居民基本养老保险',
    department: '县人力社保局',
    law: '《国务院关于建立统一的城乡居民基本养老保险制度的意见》',
    actions: ['参保登记', '待遇领取', '关系转移', '注销登记'],
    materials: ['身份证', '户口簿'],
    events: ['oldAge'],
    days: [15, 3],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'JY',
    name: '就业创业证',
    department: '县人力社保局',
    law: '《就业服务与就业管理规定》',
    actions: ['申领', '补领'],
    materials: ['身份证'],
    events: ['jobs'],
    days: [5, 1],
    tags: ['immediate', 'fullyOnline'],
  },
  {
    key: 'CYDK',
    name: '创业担保贷款',
    department: '县人力社保局',
    law: '《创业担保贷款贴息资金管理办法》',
    actions: ['申请', '贴息申请'],
    materials: ['身份证', '营业执照', '创业计划书'],
    events: ['startingBusiness', 'jobs'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'SYBX',
    name: '失业保险金',
    department: '县人力社保局',
    law: '《失业保险条例》',
    actions: ['申领', '停发'],
    materials: ['身份证', '解除劳动合同证明'],
    events: ['jobs'],
    days: [10, 3],
    tags: ['zeroTrip', 'fullyOnline'],
  },
  {
    key: 'JNBT',
    name: '职业技能培训补贴',
    department: '县人力社保局',
    law: '《职业技能提升行动方案》',
    actions: ['申请'],
    materials: ['身份证', '培训合格证书', '银行卡'],
    events: ['jobs'],
    days: [30, 15],
    tags: ['fullyOnline', 'zeroTrip'],
  },
  {
    key: 'GDBT',
    name: '耕地地力保护补贴',
    department: '县农业农村委',
    law: '《耕地地力保护补贴资金管理办法》',
    actions: ['申报', '面积变更'],
    materials: ['身份证', '土地承包经营权证', '银行卡'],
    events: ['farmingSubsidies'],
    days: [30, 15],
    places: HALL,
    tags: ['nearby', 'zeroTrip'],
  },
  {
    key: 'NJ',
    name: '农机购置补贴',
    department: '县农业农村委',
    law: '《农业机械购置补贴实施指导意见》',
    actions: ['申请', '结算'],
    materials: ['身份证', '购机发票', '农机具照片'],
    events: ['farmingSubsidies'],
    days: [30, 15],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'ZJD',
    name: '农村宅基地',
    department: '县农业农村委',
    law: '《土地管理法》',
    actions: ['使用审批', '变更'],
    materials: ['身份证', '户口簿', '宅基地申请表', '村民小组意见'],
    events: ['housing'],
    days: [30, 20],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'DWFY',
    name: '动物防疫条件合格证',
    department: '县农业农村委',
    law: '《动物防疫法》',
    actions: ['核发', '变更', '注销'],
    materials: ['身份证', '场所平面图', '防疫制度'],
    events: ['farmingSubsidies', 'startingBusiness'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'SZQ',
    name: '种植养殖保险',
    department: '县农业农村委',
    law: '《农业保险条例》',
    actions: ['投保登记', '理赔申请'],
    materials: ['身份证', '养殖或种植面积证明', '受灾照片'],
    events: ['farmingSubsidies'],
    days: [20, 10],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'HJ',
    name: '户口',
    department: '县公安局',
    law: '《户口登记条例》',
    actions: ['出生登记', '迁入', '迁出', '死亡注销', '变更更正'],
    materials: ['身份证', '户口簿', '出生医学证明'],
    events: ['havingChild', 'housing'],
    days: [10, 1],
    places: HALL,
    tags: ['immediate', 'nearby'],
  },
  {
    key: 'SFZ',
    name: '居民身份证',
    department: '县公安局',
    law: '《居民身份证法》',
    actions: ['首次申领', '换领', '补领', '临时身份证'],
    materials: ['户口簿', '近期免冠照片'],
    events: ['havingChild', 'oldAge'],
    days: [60, 20],
    places: HALL,
    tags: ['atMostOneTrip', 'nearby'],
  },
  {
    key: 'CJ',
    name: '机动车驾驶证',
    department: '县公安局',
    law: '《道路交通安全法》',
    actions: ['换证', '补证', '审验'],
    materials: ['身份证', '体检证明', '近期免冠照片'],
    events: ['jobs'],
    days: [5, 1],
    tags: ['immediate', 'fullyOnline'],
  },
  {
    key: 'CSYX',
    name: '出生医学证明',
    department: '县卫生健康委',
    law: '《母婴保健法》',
    actions: ['首次签发', '补发', '换发'],
    materials: ['父母身份证', '分娩记录'],
    events: ['havingChild'],
    days: [10, 1],
    places: ['county', 'townshipHall'],
    tags: ['immediate'],
  },
  {
    key: 'SY',
    name: '生育登记',
    department: '县卫生健康委',
    law: '《人口与计划生育法》',
    actions: ['登记', '再生育审批'],
    materials: ['夫妻双方身份证', '结婚证'],
    events: ['havingChild'],
    days: [10, 1],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'JKZ',
    name: '健康证明',
    department: '县卫生健康委',
    law: '《食品安全法》',
    actions: ['办理'],
    materials: ['身份证', '体检表'],
    events: ['jobs', 'startingBusiness'],
    days: [7, 3],
    places: HALL,
    tags: ['atMostOneTrip', 'nearby'],
  },
  {
    key: 'YLJG',
    name: '医疗机构执业许可',
    department: '县卫生健康委',
    law: '《医疗机构管理条例》',
    actions: ['设置审批', '执业登记', '变更', '校验'],
    materials: ['申请书', '场所证明', '人员资质证明'],
    events: ['startingBusiness', 'health'],
    days: [45, 20],
    places: ['county'],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'YB',
    name: '城乡居民医疗保险',
    department: '县医疗保障局',
    law: '《社会保险法》',
    actions: ['参保登记', '异地就医备案', '门诊慢特病待遇认定', '费用报销'],
    materials: ['身份证', '医疗费用票据'],
    events: ['health', 'oldAge'],
    days: [15, 5],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'JZ',
    name: '建设工程规划许可',
    department: '县规划自然资源局',
    law: '《城乡规划法》',
    actions: ['乡村建设规划许可', '变更'],
    materials: ['身份证', '宅基地批准文件', '建房设计图'],
    events: ['housing'],
    days: [20, 10],
    places: HALL,
    tags: ['atMostOneTrip', 'nearby'],
  },
  {
    key: 'BDC',
    name: '不动产登记',
    department: '县规划自然资源局',
    law: '《不动产登记暂行条例》',
    actions: ['首次登记', '转移登记', '变更登记', '抵押登记', '注销登记'],
    materials: ['身份证', '权属来源证明', '不动产登记申请书'],
    events: ['housing'],
    days: [30, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'WF',
    name: '农村危房改造补助',
    department: '县住房城乡建委',
    law: '《农村危房改造补助资金管理办法》',
    actions: ['申请', '竣工验收'],
    materials: ['身份证', '户口簿', '房屋现状照片'],
    events: ['housing'],
    days: [30, 20],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'JZSG',
    name: '建筑工程施工许可',
    department: '县住房城乡建委',
    law: '《建筑法》',
    actions: ['核发', '变更'],
    materials: ['施工合同', '规划许可证', '安全施工措施'],
    events: ['housing', 'startingBusiness'],
    days: [15, 7],
    places: ['county', 'online'],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'FP',
    name: '发票',
    department: '县税务局',
    law: '《发票管理办法》',
    actions: ['领用', '代开', '验旧缴销'],
    materials: ['身份证', '营业执照'],
    events: ['startingBusiness'],
    days: [5, 1],
    tags: ['immediate', 'fullyOnline'],
  },
  {
    key: 'NSDJ',
    name: '税务登记',
    department: '县税务局',
    law: '《税收征收管理法》',
    actions: ['信息确认', '变更', '注销'],
    materials: ['营业执照', '身份证'],
    events: ['startingBusiness'],
    days: [10, 1],
    tags: ['immediate', 'fullyOnline', 'zeroTrip'],
  },
  {
    key: 'TYJR',
    name: '退役军人优待证',
    department: '县退役军人事务局',
    law: '《退役军人保障法》',
    actions: ['申领', '补领'],
    materials: ['身份证', '退伍证', '近期免冠照片'],
    events: ['oldAge'],
    days: [30, 15],
    tags: ['zeroTrip', 'nearby'],
  },
  {
    key: 'YFDX',
    name: '优抚对象抚恤补助',
    department: '县退役军人事务局',
    law: '《军人抚恤优待条例》',
    actions: ['申请', '标准调整'],
    materials: ['身份证', '优抚证件'],
    events: ['oldAge'],
    days: [30, 15],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'DLYS',
    name: '道路运输经营许可',
    department: '县交通运输委员会',
    law: '《道路运输条例》',
    actions: ['核发', '变更', '注销'],
    materials: ['身份证', '车辆行驶证', '驾驶员从业资格证'],
    events: ['startingBusiness', 'jobs'],
    days: [20, 10],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'XSZZ',
    name: '学生资助',
    department: '县教育委员会',
    law: '《学生资助资金管理办法》',
    actions: ['家庭经济困难认定', '助学金申请', '生源地信用助学贷款'],
    materials: ['身份证', '户口簿', '学籍证明'],
    events: ['education'],
    days: [30, 15],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'RX',
    name: '义务教育入学',
    department: '县教育委员会',
    law: '《义务教育法》',
    actions: ['小学入学登记', '初中入学登记', '转学'],
    materials: ['户口簿', '儿童预防接种证'],
    events: ['education', 'havingChild'],
    days: [20, 10],
    tags: ['fullyOnline', 'zeroTrip'],
  },
  {
    key: 'YSZY',
    name: '医师执业',
    department: '县卫生健康委',
    law: '《医师法》',
    actions: ['注册', '变更注册', '注销注册'],
    materials: ['身份证', '医师资格证书', '健康体检证明'],
    events: ['jobs', 'health'],
    days: [20, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'HSZY',
    name: '护士执业',
    department: '县卫生健康委',
    law: '《护士条例》',
    actions: ['首次注册', '延续注册', '变更注册'],
    materials: ['身份证', '护士执业资格考试成绩合格证明', '健康体检证明'],
    events: ['jobs', 'health'],
    days: [20, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'GGWS',
    name: '公共场所卫生许可',
    department: '县卫生健康委',
    law: '《公共场所卫生管理条例》',
    actions: ['核发', '变更', '延续'],
    materials: ['营业执照', '卫生管理制度', '从业人员健康证明'],
    events: ['startingBusiness'],
    days: [20, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'YPJY',
    name: '药品经营许可',
    department: '县市场监管局',
    law: '《药品管理法》',
    actions: ['核发', '变更', '换证'],
    materials: ['营业执照', '执业药师证明', '经营场所平面图'],
    events: ['startingBusiness', 'health'],
    days: [30, 15],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'TZSB',
    name: '特种设备使用登记',
    department: '县市场监管局',
    law: '《特种设备安全法》',
    actions: ['登记', '变更', '注销'],
    materials: ['营业执照', '设备出厂资料', '安装监督检验证明'],
    events: ['startingBusiness'],
    days: [15, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'LMCF',
    name: '林木采伐许可',
    department: '县林业局',
    law: '《森林法》',
    actions: ['核发', '变更'],
    materials: ['身份证', '林权证', '伐区调查设计'],
    events: ['farmingSubsidies'],
    days: [20, 5],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'STGY',
    name: '生态公益林补偿',
    department: '县林业局',
    law: '《中央财政林业补助资金管理办法》',
    actions: ['申报', '面积变更'],
    materials: ['身份证', '林权证', '银行卡'],
    events: ['farmingSubsidies'],
    days: [30, 15],
    places: HALL,
    tags: ['zeroTrip', 'nearby'],
  },
  {
    key: 'QS',
    name: '取水许可',
    department: '县水利局',
    law: '《取水许可和水资源费征收管理条例》',
    actions: ['核发', '延续', '变更'],
    materials: ['身份证', '取水工程说明', '水资源论证报告'],
    events: ['farmingSubsidies', 'startingBusiness'],
    days: [45, 20],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'YYBL',
    name: '渔业捕捞许可',
    department: '县农业农村委',
    law: '《渔业法》',
    actions: ['核发', '换发'],
    materials: ['身份证', '渔船检验证书'],
    events: ['farmingSubsidies'],
    days: [20, 10],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'SYJY',
    name: '兽药经营许可',
    department: '县农业农村委',
    law: '《兽药管理条例》',
    actions: ['核发', '变更'],
    materials: ['营业执照', '经营场所证明', '质量管理文件'],
    events: ['startingBusiness', 'farmingSubsidies'],
    days: [30, 15],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'NYJY',
    name: '农药经营许可',
    department: '县农业农村委',
    law: '《农药管理条例》',
    actions: ['核发', '变更', '延续'],
    materials: ['营业执照', '经营场所证明', '农药专业知识证明'],
    events: ['startingBusiness', 'farmingSubsidies'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'ZZ',
    name: '农作物种子生产经营许可',
    department: '县农业农村委',
    law: '《种子法》',
    actions: ['核发', '变更'],
    materials: ['营业执照', '种子检验设施证明'],
    events: ['startingBusiness', 'farmingSubsidies'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'JZZ',
    name: '居住证',
    department: '县公安局',
    law: '《居住证暂行条例》',
    actions: ['申领', '签注'],
    materials: ['身份证', '居住证明'],
    events: ['housing', 'jobs'],
    days: [15, 5],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'WFZ',
    name: '无犯罪记录证明',
    department: '县公安局',
    law: '《公安机关办理犯罪记录查询工作规定》',
    actions: ['开具'],
    materials: ['身份证'],
    events: ['jobs'],
    days: [3, 1],
    tags: ['immediate', 'fullyOnline', 'zeroTrip'],
  },
  {
    key: 'HJZM',
    name: '户籍证明',
    department: '县公安局',
    law: '《户口登记条例》',
    actions: ['开具'],
    materials: ['身份证', '户口簿'],
    events: ['jobs', 'housing'],
    days: [3, 1],
    tags: ['immediate', 'fullyOnline', 'nearby'],
  },
  {
    key: 'YLFW',
    name: '养老机构',
    department: '县民政局',
    law: '《养老机构管理办法》',
    actions: ['备案', '变更备案'],
    materials: ['营业执照', '场所证明', '消防安全证明'],
    events: ['oldAge', 'startingBusiness'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'SHTT',
    name: '社会团体',
    department: '县民政局',
    law: '《社会团体登记管理条例》',
    actions: ['成立登记', '变更登记', '注销登记'],
    materials: ['申请书', '章程草案', '负责人身份证'],
    events: ['startingBusiness'],
    days: [60, 30],
    places: ['county', 'online'],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'BZ',
    name: '惠民殡葬补贴',
    department: '县民政局',
    law: '《殡葬管理条例》',
    actions: ['申请'],
    materials: ['逝者死亡证明', '申请人身份证'],
    events: ['oldAge'],
    days: [15, 5],
    places: HALL,
    tags: ['nearby', 'zeroTrip'],
  },
  {
    key: 'GE',
    name: '孤儿基本生活费',
    department: '县民政局',
    law: '《关于加强孤儿保障工作的意见》',
    actions: ['申请', '停发'],
    materials: ['身份证', '户口簿', '父母死亡证明'],
    events: ['education'],
    days: [30, 15],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'LYZ',
    name: '老年人优待证',
    department: '县民政局',
    law: '《老年人权益保障法》',
    actions: ['申领', '补领'],
    materials: ['身份证', '近期免冠照片'],
    events: ['oldAge'],
    days: [15, 3],
    tags: ['zeroTrip', 'fullyOnline', 'nearby'],
  },
  {
    key: 'GS',
    name: '工伤',
    department: '县人力社保局',
    law: '《工伤保险条例》',
    actions: ['认定申请', '劳动能力鉴定', '待遇申领'],
    materials: ['身份证', '劳动关系证明', '医疗诊断证明'],
    events: ['jobs', 'health'],
    days: [60, 30],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'SBK',
    name: '社会保障卡',
    department: '县人力社保局',
    law: '《社会保险法》',
    actions: ['申领', '补换', '挂失'],
    materials: ['身份证', '近期免冠照片'],
    events: ['jobs', 'oldAge'],
    days: [10, 1],
    tags: ['immediate', 'fullyOnline', 'nearby'],
  },
  {
    key: 'LHJY',
    name: '灵活就业人员社会保险',
    department: '县人力社保局',
    law: '《社会保险法》',
    actions: ['参保登记', '缴费基数申报', '停保'],
    materials: ['身份证'],
    events: ['jobs'],
    days: [5, 1],
    tags: ['zeroTrip', 'fullyOnline'],
  },
  {
    key: 'SYBXDY',
    name: '生育保险待遇',
    department: '县医疗保障局',
    law: '《社会保险法》',
    actions: ['申领'],
    materials: ['身份证', '出生医学证明', '住院费用清单'],
    events: ['havingChild', 'health'],
    days: [20, 5],
    tags: ['zeroTrip', 'fullyOnline'],
  },
  {
    key: 'YLJZ',
    name: '医疗救助',
    department: '县医疗保障局',
    law: '《社会救助暂行办法》',
    actions: ['申请'],
    materials: ['身份证', '医疗费用票据', '困难证明'],
    events: ['health'],
    days: [20, 10],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'JSZG',
    name: '教师资格',
    department: '县教育委员会',
    law: '《教师资格条例》',
    actions: ['认定', '补发证书'],
    materials: ['身份证', '学历证书', '体检表'],
    events: ['jobs', 'education'],
    days: [30, 20],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'CYZG',
    name: '道路运输从业资格证',
    department: '县交通运输委员会',
    law: '《道路运输从业人员管理规定》',
    actions: ['核发', '换证', '补证'],
    materials: ['身份证', '驾驶证', '近期免冠照片'],
    events: ['jobs'],
    days: [10, 3],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'GJJ',
    name: '住房公积金',
    department: '县住房公积金中心',
    law: '《住房公积金管理条例》',
    actions: ['提取', '个人住房贷款', '缴存登记'],
    materials: ['身份证', '购房合同或租房证明'],
    events: ['housing'],
    days: [15, 3],
    tags: ['zeroTrip', 'fullyOnline'],
  },
  {
    key: 'YHBZ',
    name: '烟花爆竹零售许可',
    department: '县应急管理局',
    law: '《烟花爆竹安全管理条例》',
    actions: ['核发', '延续'],
    materials: ['营业执照', '安全管理制度', '经营场所证明'],
    events: ['startingBusiness'],
    days: [20, 10],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'WHP',
    name: '危险化学品经营许可',
    department: '县应急管理局',
    law: '《危险化学品安全管理条例》',
    actions: ['核发', '变更', '延续'],
    materials: ['营业执照', '安全评价报告', '安全管理制度'],
    events: ['startingBusiness'],
    days: [30, 20],
    tags: ['atMostOneTrip'],
  },
  {
    key: 'CBW',
    name: '出版物零售',
    department: '县文化旅游委',
    law: '《出版管理条例》',
    actions: ['核发', '变更'],
    materials: ['营业执照', '经营场所证明'],
    events: ['startingBusiness'],
    days: [20, 10],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'XCMS',
    name: '乡村民宿',
    department: '县文化旅游委',
    law: '《旅游民宿基本要求与评价》',
    actions: ['备案', '等级评定申请'],
    materials: ['营业执照', '房屋安全证明', '消防安全证明'],
    events: ['startingBusiness'],
    days: [20, 10],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'JDC',
    name: '机动车',
    department: '县公安局',
    law: '《机动车登记规定》',
    actions: ['注册登记', '转移登记', '抵押登记', '检验合格标志核发'],
    materials: ['身份证', '机动车登记证书', '车辆照片'],
    events: ['jobs'],
    days: [5, 1],
    tags: ['immediate', 'atMostOneTrip'],
  },
  {
    key: 'TDCB',
    name: '农村土地承包经营权',
    department: '县农业农村委',
    law: '《农村土地承包法》',
    actions: ['流转合同备案', '证书变更', '纠纷仲裁申请'],
    materials: ['身份证', '土地承包经营权证', '流转合同'],
    events: ['farmingSubsidies'],
    days: [30, 10],
    places: HALL,
    tags: ['nearby', 'atMostOneTrip'],
  },
  {
    key: 'GZF',
    name: '公共租赁住房',
    department: '县住房城乡建委',
    law: '《公共租赁住房管理办法》',
    actions: ['申请', '资格复核', '退出'],
    materials: ['身份证', '户口簿', '收入证明'],
    events: ['housing'],
    days: [30, 15],
    tags: ['atMostOneTrip', 'fullyOnline'],
  },
  {
    key: 'CWSS',
    name: '村卫生室',
    department: '县卫生健康委',
    law: '《村卫生室管理办法》',
    actions: ['设置备案', '执业登记', '校验'],
    materials: ['申请书', '房屋证明', '乡村医生执业证书'],
    events: ['health'],
    days: [30, 15],
    places: HALL,
    tags: ['nearby'],
  },
  {
    key: 'DGBT',
    name: '稻谷生产者补贴',
    department: '县农业农村委',
    law: '《稻谷生产者补贴实施方案》',
    actions: ['申报', '面积核实'],
    materials: ['身份证', '种植面积证明', '银行卡'],
    events: ['farmingSubsidies'],
    days: [30, 15],
    places: HALL,
    tags: ['zeroTrip', 'nearby'],
  },
  {
    key: 'DSZN',
    name: '农村部分计划生育家庭奖励扶助',
    department: '县卫生健康委',
    law: '《人口与计划生育法》',
    actions: ['申请', '资格确认'],
    materials: ['身份证', '户口簿', '结婚证'],
    events: ['oldAge', 'havingChild'],
    days: [30, 15],
    places: HALL,
    tags: ['nearby', 'zeroTrip'],
  },
];

/** The required-ness of a subject's materials: the first two are always required, the rest where marked. */
const materialsOf = (names: string[]): Material[] => names.map((name, i) => ({ name, required: i < 2 || name.includes('申请'), note: '' }));

export function demoCatalogue(departmentIds: Map<string, string>): ItemInput[] {
  const items: ItemInput[] = [];
  for (const subject of SUBJECTS) {
    for (const [index, action] of subject.actions.entries()) {
      const name = action.startsWith(subject.name) ? action : `${subject.name}${action}`;
      const places = subject.places ?? ONLINE;
      const online = places.includes('online');
      const tags = (subject.tags ?? []).filter((t) => online || t !== 'fullyOnline');
      // A cancellation or a replacement usually needs fewer papers and less time.
      const light = /注销|补领|补发|补证|停发|终止/.test(action);
      items.push({
        code: `500242-${subject.key}-${String(index + 1).padStart(2, '0')}`,
        name,
        departmentId: departmentIds.get(subject.department) as string,
        legalBasis: subject.law,
        materials: materialsOf(light ? subject.materials.slice(0, 2) : subject.materials),
        fee: '不收费',
        statutoryDays: subject.days[0],
        promisedDays: light ? Math.min(subject.days[1], 1) : subject.days[1],
        places,
        tags: light && online ? [...new Set([...tags, 'immediate'])] : tags,
        lifeEvents: subject.events,
        aliases: ALIASES[subject.key] ?? [],
      });
    }
  }
  return items;
}

/** Loads the catalogue (and its departments) into the demo county; returns the number of items. */
export async function seedDemoServices(deps: Deps, regionsByCode: ReadonlyMap<string, { id: string }>): Promise<number> {
  const county = regionsByCode.get('500242') as { id: string };
  const now = deps.now();
  const existing = new Map((await listDepartments(deps)).map((d) => [d.name, d.id]));
  return deps.db
    .transaction()
    .execute(async (trx) => {
      for (const name of DEPARTMENTS) {
        if (existing.has(name)) continue;
        const id = uuidv7(now);
        await addDepartment(trx, { id, name, regionId: county.id }, now);
        existing.set(name, id);
      }
      const items = demoCatalogue(existing);
      for (const item of items) await upsertItem(trx, item, now);
      return items.length;
    })
    .then(async (count) => {
      await addDemoSamples(deps);
      return count;
    });
}

/** Filled-in samples (样表) of the application forms villagers most often get wrong. */
async function addDemoSamples(deps: Deps): Promise<void> {
  const forms: [string, string, string[]][] = [
    [
      '个体工商户设立登记',
      '登记申请书',
      [
        '经营者姓名：张三',
        '经营场所：酉阳县花田乡何家岩村二组15号',
        '经营范围：日用百货零售',
        '组成形式：个人经营',
        '签字：张三    2026年11月28日',
      ],
    ],
    [
      '营业执照核发',
      '登记申请书',
      [
        '名称：酉阳县某某农副产品经营部',
        '住所：酉阳县黑水镇平地坝村一组8号',
        '经营范围：农副产品收购、销售',
        '签字：李四    2026年11月28日',
      ],
    ],
    [
      '最低生活保障申请',
      '家庭收入情况声明',
      ['申请人：王五', '家庭人口：3人', '近12个月家庭收入：务农收入约6000元', '本人承诺以上情况属实。', '签字：王五    2026年11月28日'],
    ],
  ];
  const now = deps.now();
  for (const [itemName, material, lines] of forms) {
    const item = await catalogue.findItemByName(deps.db, itemName);
    if (!item) continue;
    const sample = `${uuidv7(now)}.pdf`;
    const pdf = textPdf(
      [
        { text: `${itemName} · ${material}（样表）`, size: 18, x: 60, y: 770 },
        ...lines.map((text, i) => ({ text, size: 13, x: 60, y: 720 - i * 28 })),
        { text: '此为填写示例，请按本人实际情况填写。', size: 11, x: 60, y: 560 },
      ],
      `${material}（样表）`,
    );
    await deps.files.put(`services/samples/${item.id}/${sample}`, pdf);
    const materials = item.materials.map((m) => (m.name === material ? { ...m, sample } : m));
    await catalogue.updateMaterials(deps.db, item.id, materials, now);
  }
}

/**
 * A few applications at different steps: the villager 冉鲜荣's online one waiting to be accepted,
 * and at the Qingquan postal hall the agent's proxy applications for 陈长书 with the transport
 * commission (whose demo handler decides them): one in hand, one approved and mailed home.
 */
export async function seedDemoApplications(deps: Deps): Promise<number> {
  const now = deps.now();
  const DAY = 24 * 3_600_000;
  const person = (name: string) => personNamed(deps, name);
  const item = (name: string) => catalogue.findItemByName(deps.db, name);
  const agent = await userIdByPhone(deps, '13800000010');
  const villager = await userIdByPhone(deps, '13800000011');
  const plans = [
    { who: '冉鲜荣', what: '个体工商户设立登记', by: villager, channel: 'online' as const, state: 'submitted' as const, age: 1 },
    { who: '陈长书', what: '道路运输从业资格证核发', by: agent, channel: 'proxy' as const, state: 'accepted' as const, age: 2 },
    { who: '陈长书', what: '机动车驾驶证换证', by: agent, channel: 'proxy' as const, state: 'delivered' as const, age: 9 },
  ];
  // Looked up before the transaction: the writer connection is the transaction's alone.
  const found = await Promise.all(plans.map(async (plan) => ({ plan, applicant: await person(plan.who), target: await item(plan.what) })));
  let made = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const { plan, applicant, target } of found) {
      if (!applicant || !target || !plan.by) continue;
      const created = now - plan.age * DAY;
      const accepted = plan.state === 'submitted' ? null : created + 3_600_000;
      const decided = plan.state === 'delivered' ? created + 2 * DAY : null;
      let application = await applications.insertApplication(
        trx,
        {
          id: uuidv7(created),
          itemId: target.id,
          departmentId: target.departmentId,
          applicantPersonId: applicant.id,
          placement: { ...applicant.placement, householdId: applicant.householdId },
          channel: plan.channel,
          agentUserId: plan.channel === 'proxy' ? plan.by : null,
          consentAt: plan.channel === 'proxy' ? created : null,
          delivery: plan.state === 'delivered' ? 'mail' : 'collect',
          address: plan.state === 'delivered' ? '清泉乡清溪村三组8号' : null,
          createdBy: plan.by,
          createdAt: created,
        },
        target.name,
      );
      const steps: [string, ApplicationState | null, ApplicationState, number][] = [['submit', null, 'submitted', created]];
      if (accepted !== null) {
        steps.push(['accept', 'submitted', 'accepted', accepted]);
        application =
          (await applications.updateAtVersion(trx, application, 'accepted', { acceptedAt: accepted, dueAt: accepted + 5 * DAY })) ??
          application;
      }
      if (decided !== null) {
        const deliveredAt = created + 3 * DAY;
        steps.push(['approve', 'accepted', 'approved', decided], ['deliver', 'approved', 'delivered', deliveredAt]);
        await applications.updateAtVersion(trx, application, 'delivered', {
          decidedAt: decided,
          deliveredAt,
          trackingNumber: 'EMS9876543210',
          // Numbered as an approval would number it (500242-2026-000001), so its certificate shows no UUID.
          certificateNumber: await applications.takeCertificateNumber(trx, '500242', new Date(decided + 8 * 3_600_000).getUTCFullYear()),
          deliveredBy: { userId: plan.by, name: '陈晓红' },
        });
      }
      for (const [action, from, to, at] of steps) {
        await applications.insertEvent(trx, uuidv7(at), application.id, { action, from, to, actorUserId: plan.by, note: null, at });
      }
      made++;
    }
  });
  return made;
}
