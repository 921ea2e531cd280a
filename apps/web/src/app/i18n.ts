import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { featureNavZh } from './i18n.nav.ts';

const zh = {
  app: { name: '村治', subtitle: '数字乡村治理平台' },
  nav: {
    services: '办事',
    servicesDesk: '政务服务',
    notices: '通知',
    noticesDesk: '信息推送',
    home: '首页',
    regions: '区域与网格',
    households: '户籍',
    people: '人员',
    users: '用户与角色',
    audit: '审计日志',
    myHousehold: '我的家庭',
    logout: '退出登录',
    language: 'English',
  },
  login: {
    title: '登录',
    phone: '手机号',
    password: '密码',
    submit: '登录',
    phoneRequired: '请输入手机号',
    passwordRequired: '请输入密码',
    demoHint: '演示账号见 README（密码 Cunzhi2026）',
  },
  common: {
    search: '搜索',
    loadMore: '加载更多',
    save: '保存',
    cancel: '取消',
    create: '新增',
    edit: '编辑',
    delete: '删除',
    confirmDelete: '确定删除吗？',
    noData: '暂无数据',
    back: '返回',
    saved: '已保存',
    all: '全部',
  },
  region: {
    county: '县',
    township: '乡镇',
    village: '村',
    villagerGroup: '村民小组',
    code: '区划代码',
    grids: '网格',
    gridWorkers: '网格员',
    groups: '所辖小组',
  },
  household: {
    number: '户号',
    headName: '户主',
    address: '地址',
    phone: '联系电话',
    region: '所属区域',
    members: '家庭成员',
    memberCount: '人数',
    new: '新增户',
    searchPlaceholder: '户主姓名、户号或电话',
    chooseRegion: '选择村或村民小组',
  },
  person: {
    name: '姓名',
    gender: '性别',
    male: '男',
    female: '女',
    birthDate: '出生日期',
    relation: '与户主关系',
    phone: '手机号',
    idNumber: '身份证号',
    reveal: '查看完整号码',
    revealNote: '查看完整身份证号会被记录在审计日志中',
    new: '新增成员',
    namePlaceholder: '姓名',
    idPlaceholder: '完整身份证号（精确查找）',
    relations: {
      head: '户主',
      spouse: '配偶',
      child: '子女',
      childInLaw: '儿媳/女婿',
      parent: '父母',
      grandchild: '孙辈',
      sibling: '兄弟姐妹',
      other: '其他',
    },
  },
  user: {
    displayName: '姓名',
    phone: '手机号',
    roles: '角色',
    status: '状态',
    disabled: '已停用',
    active: '正常',
    locked: '已锁定',
    new: '新建用户',
    password: '初始密码',
    assign: '分配角色',
    role: '角色',
    region: '区域',
    disable: '停用',
    enable: '启用',
    unlock: '解锁',
  },
  audit: {
    at: '时间',
    actor: '操作人',
    role: '角色',
    action: '操作',
    outcome: '结果',
    target: '对象',
    ip: 'IP',
    requestId: '请求号',
    ok: '成功',
    denied: '拒绝',
    actionPlaceholder: '操作（如 person. 前缀）',
    targetPlaceholder: '对象 ID',
  },
  home: { welcome: '欢迎，{{name}}', roles: '您的角色', households: '户数', byVillage: '各村户数' },
};

export type Dictionary = typeof zh;

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'cunzhi.language';

export function storedLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** English is loaded when chosen: phones in the villages, nearly all in Chinese, do not download it. */
async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const { enTranslation } = await import('./i18n.en.ts');
    i18n.addResourceBundle('en', 'translation', enTranslation);
  }
}

export async function switchLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  await loadLanguage(language);
  await i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  // Each feature's other words come with its pages (features/*/words.ts).
  resources: { 'zh-CN': { translation: { ...zh, ...featureNavZh } } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

/** Settled when the stored language's words are in: the app renders after it. */
export const languageReady: Promise<void> = storedLanguage() === 'en' ? switchLanguage('en') : Promise.resolve();

export default i18n;
