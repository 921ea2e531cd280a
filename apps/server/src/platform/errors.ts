// Typed errors with stable codes; the error handler turns them into {error: {code, message}}.
import { AGRI_ERRORS } from './errors-agri.ts';
import { AUTH_ERRORS } from './errors-auth.ts';
import { MONITORING_ERRORS } from './errors-monitoring.ts';
import { PEOPLE_ERRORS } from './errors-people.ts';
import { POVERTY_ERRORS } from './errors-poverty.ts';

type Messages = { status: number; zh: string; en: string };

const CATALOGUE = {
  validation_failed: { status: 400, zh: '输入有误，请检查后重试', en: 'The request is not valid' },
  not_authenticated: { status: 401, zh: '请先登录', en: 'Please log in' },
  session_expired: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please log in again' },
  // Signing in, its lockout, the second factor and the password change: platform/errors-auth.ts.
  ...AUTH_ERRORS,
  account_disabled: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  csrf_failed: { status: 403, zh: '请求校验失败，请刷新页面后重试', en: 'Missing or wrong CSRF token; reload the page and retry' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  not_found: { status: 404, zh: '未找到该{target}', en: 'No such {target}' },
  weak_password: {
    status: 400,
    zh: '密码至少8位，且须同时包含字母和数字',
    en: 'A password needs at least 8 characters with both letters and digits',
  },
  common_password: {
    status: 400,
    zh: '该密码过于常见或为公开的演示密码，请换一个',
    en: 'This password is too common or is the published demo password; choose another',
  },
  key_account: {
    status: 409,
    zh: '该账号供接口密钥使用，不能登录，也不能在此设置密码、启用或分配角色',
    en: 'This account backs an integration key: it cannot log in, and its password, enabling and roles are not managed here',
  },
  first_role_only: {
    status: 403,
    zh: '该账号尚无角色，只能为其分配角色；设置密码、停用、启用或解锁须由县级管理员办理',
    en: 'This account has no role yet: you may give it a role, but only a county administrator sets its password, disables, enables or unlocks it',
  },
  id_number_format: { status: 400, zh: '身份证号应为18位（末位可为X）', en: 'An ID card number has 18 characters (the last may be X)' },
  id_number_birth_date: { status: 400, zh: '身份证号中的出生日期无效', en: 'The birth date inside the ID card number is not a real date' },
  id_number_check_digit: {
    status: 400,
    zh: '身份证号校验位不正确，请核对号码',
    en: 'The ID card number fails its check digit; please check the number',
  },
  id_number_taken: { status: 409, zh: '该身份证号已登记', en: 'This ID card number is already registered' },
  phone_taken: { status: 409, zh: '该手机号已注册', en: 'This phone number already has an account' },
  household_number_taken: { status: 409, zh: '户号已存在', en: 'This household number already exists' },
  person_has_account: {
    status: 409,
    zh: '该人员已关联登录账号，请先解除关联',
    en: 'This person is linked to a user account; unlink it first',
  },
  person_has_records: {
    status: 409,
    zh: '该人员仍有关联记录（看护、办事申请等），不能删除',
    en: 'This person still has records (care, applications and the like) and cannot be removed',
  },
  rule_code_taken: { status: 409, zh: '本村已有该代码的积分规则', en: 'The village already has a points rule with this code' },
  household_not_empty: {
    status: 409,
    zh: '该户仍有成员，请先迁出或删除成员',
    en: 'The household still has members; move or remove them first',
  },
  // Separation of duties (GB/T 22239-2019 8.1.4.2): system, security and audit administration.
  duties_conflict: {
    status: 409,
    zh: '系统管理员、安全管理员、审计管理员须由不同账号担任，且不兼任其他角色',
    en: 'System, security and audit administration are held by separate accounts that hold no other role',
  },
  region_level_mismatch: { status: 400, zh: '所选区域层级不符合要求', en: 'The chosen region is not of the level required here' },
  // Setting up a county and importing its spreadsheets (modules/org/org-import.service.ts).
  county_exists: {
    status: 409,
    zh: '本系统已建立县（区）{code}，不能再建立',
    en: 'This installation already has its county ({code}); another cannot be set up',
  },
  region_code_invalid: {
    status: 400,
    zh: '区划代码应为数字：县6位，乡镇9位，村12位，村民小组15位',
    en: 'A region code is digits: 6 for a county, 9 for a township, 12 for a village, 15 for a villager group',
  },
  region_parent_unknown: {
    status: 400,
    zh: '上级区划（代码前{digits}位）不存在，请先导入上级',
    en: 'The parent region (the first {digits} digits of the code) does not exist; import it first',
  },
  region_code_taken: { status: 409, zh: '该区划代码已存在', en: 'This region code already exists' },
  region_code_unknown: { status: 400, zh: '没有这个区划代码的区域，请先导入区划', en: 'No region has this code; import the regions first' },
  region_boundary_invalid: {
    status: 400,
    zh: '边界须为 WGS84 坐标的 GeoJSON 多边形（Polygon 或 MultiPolygon），各环闭合，至多两万个点',
    en: 'A boundary is a GeoJSON Polygon or MultiPolygon in WGS84, every ring closed, at most 20,000 positions',
  },
  grid_name_taken: { status: 409, zh: '该村已有同名网格', en: 'The village already has a grid of this name' },
  import_field_missing: { status: 400, zh: '缺少“{column}”', en: 'The column "{column}" is empty or missing' },
  import_field_invalid: { status: 400, zh: '“{column}”格式不正确', en: 'The value in "{column}" is not valid' },
  import_household_head: {
    status: 400,
    zh: '每户须有且只有一名户主，且各行区划代码一致',
    en: 'A household needs exactly one head and one region code on all its rows',
  },
  role_scope_invalid: { status: 400, zh: '该角色不能分配在此层级', en: 'This role cannot be assigned at this level' },
  invalid_transition: {
    status: 409,
    zh: '该事项当前状态下不能执行此操作',
    en: 'This action is not possible in the current state of the case',
  },
  case_busy: {
    status: 409,
    zh: '该事项正被他人同时处理，请刷新后重试',
    en: 'Someone else changed this case at the same moment; reload and retry',
  },
  category_inactive: { status: 400, zh: '该事项分类已停用', en: 'This category is no longer in use' },
  rating_required: { status: 400, zh: '请给出1到5分的评价', en: 'Give a rating from 1 to 5' },
  target_required: { status: 400, zh: '请指定办理人、部门或分类', en: 'Name the handler, department or category for this action' },
  screen_key_below_village: {
    status: 400,
    zh: '大屏密钥只能发给县、乡镇或村，不能发给村民小组',
    en: 'A screen key is for a county, township or village, not for a villager group',
  },
  screen_key_already_shown: {
    status: 409,
    zh: '这把大屏密钥已经发放并显示过一次，不能再次显示；如未记下，请停用后重新发放',
    en: 'This screen key was issued and shown once already; if it was not kept, revoke it and issue a new one',
  },
  idempotency_key_reused: {
    status: 422,
    zh: '同一幂等键已用于不同的请求',
    en: 'This Idempotency-Key was already used with a different request',
  },
  not_an_image: {
    status: 415,
    zh: '上传的文件不是可识别的照片（支持 JPEG、PNG、WebP、HEIF）',
    en: 'The upload is not a picture we can read (JPEG, PNG, WebP or HEIF)',
  },
  objection_period_over: {
    status: 409,
    zh: '已超过可提出异议的期限（{days}天）',
    en: 'The time to object has passed ({days} days)',
  },
  id_taken: { status: 409, zh: '该编号已被使用', en: 'This id is already in use' },
  category_code_taken: { status: 409, zh: '该分类代码已存在', en: 'A category with this code already exists' },
  too_many_photos: { status: 409, zh: '每个事项最多{max}张照片', en: 'A case holds at most {max} photos' },
  materials_full: { status: 409, zh: '每份材料最多{max}个文件，合计不超过{mb}MB', en: 'At most {max} files a material, {mb} MB in all' },
  insufficient_points: { status: 409, zh: '积分不足', en: 'Not enough points' },
  balance_would_go_negative: {
    status: 409,
    zh: '该户积分余额不足，扣减后将为负数，未记账',
    en: 'The household has too few points: this would take its balance below zero, so nothing was booked',
  },
  out_of_stock: { status: 409, zh: '库存不足', en: 'Not enough left in stock' },
  rule_not_usable: { status: 400, zh: '该积分细则当前不可用', en: 'This points rule is not in use now' },
  limit_reached: {
    status: 409,
    zh: '已达到该细则的{periodZh}上限（{limit}次）',
    en: 'The {periodEn} limit of this rule is reached ({limit})',
  },
  evidence_required: { status: 400, zh: '该细则需要照片佐证', en: 'This rule needs photo evidence' },
  already_appealed: {
    status: 409,
    zh: '该扣分已申诉过，每项扣分只能申诉一次',
    en: 'This deduction was already appealed; a deduction can be appealed once',
  },
  already_reversed: { status: 409, zh: '该记录已冲正', en: 'This entry has already been reversed' },
  reason_required: { status: 400, zh: '请填写原因', en: 'Give a reason' },
  wrong_sign: {
    status: 400,
    zh: '加分细则只能用于加分，扣分细则只能用于扣分',
    en: 'Use a positive rule to grant and a negative rule to deduct',
  },
  consent_required: { status: 400, zh: '需记录老人本人同意', en: "The elder's consent must be recorded" },
  consent_withdrawn: { status: 409, zh: '本人已撤回同意，不再处理此类信息', en: 'The person has withdrawn consent to this processing' },
  guardian_consent_required: {
    status: 400,
    zh: '不满十四周岁，须由监护人同意',
    en: 'The person is under 14: a guardian must give the consent',
  },
  legal_hold: {
    status: 409,
    zh: '依法须保留该人员信息，暂不能删除',
    en: "The law requires this person's data to be kept: it cannot be deleted now",
  },
  privacy_request_state: { status: 409, zh: '该申请当前状态下不能这样处理', en: 'The request cannot take this step in its current state' },
  alarm_note_required: { status: 400, zh: '请填写处置情况', en: 'Say what was done' },
  notice_reaches_nobody: {
    status: 422,
    zh: '这条通知发不到任何人：所选范围内没有符合条件的村民。请调整接收范围或户类型后再发送',
    en: 'This notice would reach nobody: no one in the chosen places fits. Change the places or household types, then send',
  },
  rule_limit_out_of_range: {
    status: 400,
    zh: '{cause}的阈值应在{min}到{max}之间',
    en: 'The limit for {cause} must be between {min} and {max}',
  },
  visit_in_future: { status: 400, zh: '上门时间不能晚于现在', en: 'A visit cannot be recorded in the future' },
  no_speaker: { status: 409, zh: '所选老人家中没有登记音箱', en: 'None of the chosen elders has a registered speaker' },
  not_offered_online: {
    status: 409,
    zh: '该事项不能网上申请，请到服务厅办理',
    en: 'This service cannot be applied for online; apply at a service hall',
  },
  applicant_consent_required: {
    status: 400,
    zh: '代办须记录申请人本人同意',
    en: "A proxy application needs the applicant's recorded consent",
  },
  not_a_document: { status: 415, zh: '材料须为图片或PDF文件', en: 'A material must be a picture or a PDF' },
  materials_missing: { status: 409, zh: '尚缺材料：{names}', en: 'Materials still missing: {names}' },
  materials_already_asked: {
    status: 409,
    zh: '已一次性告知过所缺材料，不能再次要求补正',
    en: 'The missing materials were already asked for once; they cannot be asked for again',
  },
  import_failed: {
    status: 400,
    zh: '导入失败：共{count}处错误，未导入任何内容',
    en: 'Import failed with {count} problems; nothing was imported',
  },
  serial_taken: { status: 409, zh: '该设备序列号已登记', en: 'A device with this serial number is already registered' },
  not_on_exposure_board: { status: 409, zh: '该事项不在曝光台上', en: 'This case is not on the exposure board' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  too_many_failed_logins: {
    status: 429,
    zh: '这台设备所在网络登录失败次数过多，请{minutes}分钟后再试',
    en: 'Too many failed logins from this network; try again in {minutes} minutes',
  },
  payload_too_large: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  unsupported_media_type: {
    status: 415,
    zh: '此接口不接受这种内容类型',
    en: 'This endpoint does not take a body of this content type',
  },
  route_not_found: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  audit_export_range: { status: 400, zh: '导出的起止时间有误：开始须早于结束', en: 'The export period must start before it ends' },
  audit_export_too_large: {
    status: 400,
    zh: '该时段的审计记录超过{limit}条，请缩短时段分次导出',
    en: 'More than {limit} audit records in this period; export shorter periods',
  },
  // Cameras, evidence for the police, findings and farm cameras (modules/monitoring): platform/errors-monitoring.ts.
  ...MONITORING_ERRORS,
  ...PEOPLE_ERRORS, // what people type about themselves and their reports: platform/errors-people.ts
  // Farms (modules/agri): platform/errors-agri.ts.
  ...AGRI_ERRORS,
  // Return-to-poverty monitoring (modules/poverty): platform/errors-poverty.ts.
  ...POVERTY_ERRORS,
  pairing_code_invalid: { status: 401, zh: '配对码不对或已过期，请让家人重新生成', en: 'Wrong or expired pairing code; ask for a new one' },
  pairing_too_many_guesses: {
    status: 429,
    zh: '最近输错配对码的次数太多，为防止有人乱试，请{minutes}分钟后再输入',
    en: 'Too many wrong pairing codes lately; to stop guessing, pairing waits. Enter the code again in {minutes} minutes',
  },
  internal_error: { status: 500, zh: '服务器内部错误，请稍后重试', en: 'Something went wrong on the server; try again later' },
  unavailable: { status: 503, zh: '服务暂不可用', en: 'The service is not available right now' },
} satisfies Record<string, Messages>;

export type ErrorCode = keyof typeof CATALOGUE;
export type Language = 'zh' | 'en';

type Names = { zh: string; en: string };

// What `not_found` names: a target missing here does not compile, so no user reads "未找到该notice".
const TARGET_NAMES = {
  household: { zh: '户', en: 'household' },
  plot: { zh: '地块', en: 'plot' },
  flock: { zh: '禽畜群', en: 'flock' },
  observation: { zh: '农情记录', en: 'observation' },
  adviceRule: { zh: '农技指导规则', en: 'advice rule' },
  question: { zh: '农技提问', en: 'question' },
  monitoredHousehold: { zh: '监测户', en: 'monitored household' },
  povertyEvidence: { zh: '佐证材料', en: 'evidence' },
  measure: { zh: '帮扶措施', en: 'help measure' },
  objection: { zh: '异议', en: 'objection' },
  person: { zh: '人员', en: 'person' },
  privacyRequest: { zh: '个人信息申请', en: 'personal information request' },
  privacyHold: { zh: '保留要求', en: 'legal hold' },
  region: { zh: '区域', en: 'region' },
  screenKey: { zh: '屏幕密钥', en: 'screen key' },
  grid: { zh: '网格', en: 'grid' },
  user: { zh: '用户', en: 'user' },
  roleAssignment: { zh: '角色分配', en: 'role assignment' },
  auditEntry: { zh: '审计记录', en: 'audit entry' },
  case: { zh: '事项', en: 'case' },
  category: { zh: '事项分类', en: 'category' },
  department: { zh: '部门', en: 'department' },
  serviceItem: { zh: '政务服务事项', en: 'service item' },
  application: { zh: '办件', en: 'application' },
  file: { zh: '文件', en: 'file' },
  photo: { zh: '照片', en: 'photo' },
  rule: { zh: '积分细则', en: 'points rule' },
  claim: { zh: '积分申请', en: 'claim' },
  goods: { zh: '商品', en: 'goods' },
  redemption: { zh: '兑换记录', en: 'redemption' },
  entry: { zh: '积分记录', en: 'ledger entry' },
  appeal: { zh: '申诉', en: 'appeal' },
  elder: { zh: '老人', en: 'elder' },
  alarm: { zh: '预警', en: 'alarm' },
  notification: { zh: '消息', en: 'notification' },
  notice: { zh: '通知', en: 'notice' },
  broadcast: { zh: '广播', en: 'broadcast' },
  apiKey: { zh: '接口密钥', en: 'API key' },
  session: { zh: '登录设备', en: 'signed-in device' },
  reading: { zh: '健康数据', en: 'reading' },
  reminder: { zh: '提醒', en: 'reminder' },
  command: { zh: '设备指令', en: 'device command' },
  visit: { zh: '探访记录', en: 'visit' },
  camera: { zh: '摄像头', en: 'camera' },
  snapshot: { zh: '监控图片', en: 'camera picture' },
  evidenceRequest: { zh: '证据调取申请', en: 'evidence request' },
  finding: { zh: '监控发现', en: 'finding' },
} satisfies Record<string, Names>;

export type NotFoundTarget = keyof typeof TARGET_NAMES;

/** `not_found` must name a known target (prefer `notFound(target)`); other codes take free parameters. */
type ArgsOf<C extends ErrorCode> = C extends 'not_found'
  ? [params: { target: NotFoundTarget }, details?: unknown]
  : [params?: Record<string, string | number>, details?: unknown];

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  readonly params: Record<string, string | number>;
  readonly details?: unknown;
  constructor(
    readonly code: C,
    ...[params = {}, details]: ArgsOf<C>
  ) {
    super(code);
    this.status = CATALOGUE[code].status;
    this.params = params;
    this.details = details;
  }
}

export const notFound = (target: NotFoundTarget) => new AppError('not_found', { target });
export const forbidden = () => new AppError('forbidden');

/** Said after a wrong password when the lock is near, in the same message (the code stays invalid_credentials). */
const LOCK_WARNING: Record<Language, string> = {
  zh: '。再错{triesLeft}次，密码登录将锁定{minutes}分钟',
  en: '. Wrong tries left before password sign-in locks for {minutes} minutes: {triesLeft}',
};
const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));

export function errorMessage(code: ErrorCode, language: Language, params: Record<string, string | number> = {}): string {
  const template = CATALOGUE[code][language];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'lockWarning') return params.triesLeft === undefined ? '' : fill(LOCK_WARNING[language], params);
    const value = params[name];
    if (name === 'target' && typeof value === 'string') return (TARGET_NAMES as Record<string, Names>)[value]?.[language] ?? value;
    return value === undefined ? '' : String(value);
  });
}

export function statusOf(code: ErrorCode): number {
  return CATALOGUE[code].status;
}

/** zh-CN unless the client prefers English. */
export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
