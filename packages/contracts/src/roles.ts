export const ROLES = [
  'countyAdmin',
  'systemAdmin',
  'securityAdmin',
  'auditAdmin',
  'townshipOfficial',
  'villageCadre',
  'gridWorker',
  'appealsAgent',
  'departmentHandler',
  'doctor',
  'caretaker',
  'pointsKeeper',
  'serviceHallAgent',
  'policeLiaison',
  'extensionWorker',
  'villager',
  'familyMember',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  countyAdmin: { zh: '县级管理员', en: 'County admin' },
  systemAdmin: { zh: '系统管理员', en: 'System administrator' },
  securityAdmin: { zh: '安全管理员', en: 'Security administrator' },
  auditAdmin: { zh: '审计管理员', en: 'Audit administrator' },
  townshipOfficial: { zh: '乡镇干部', en: 'Township official' },
  villageCadre: { zh: '村干部', en: 'Village cadre' },
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  appealsAgent: { zh: '诉求中心坐席', en: 'Appeals agent' },
  departmentHandler: { zh: '部门承办人', en: 'Department handler' },
  doctor: { zh: '签约医生', en: 'Doctor' },
  caretaker: { zh: '看护员', en: 'Caretaker' },
  pointsKeeper: { zh: '积分管理员', en: 'Points keeper' },
  serviceHallAgent: { zh: '政务服务厅代办员', en: 'Service-hall agent' },
  policeLiaison: { zh: '公安联络员', en: 'Police liaison' },
  extensionWorker: { zh: '农技员', en: 'Agricultural extension worker' },
  villager: { zh: '村民', en: 'Villager' },
  familyMember: { zh: '家属', en: 'Family member' },
};

/**
 * The separated duties of GB/T 22239-2019 (MLPS 2.0, level 3, 8.1.4.2 / 8.1.4.3): system,
 * security and audit administration are held by three accounts, each holding only its duty. They
 * are appointed from the command line only (npm run setup:county), never through the API.
 */
export const DUTY_ROLES = ['systemAdmin', 'securityAdmin', 'auditAdmin'] as const satisfies readonly Role[];
export type DutyRole = (typeof DUTY_ROLES)[number];
export const isDutyRole = (role: Role): role is DutyRole => (DUTY_ROLES as readonly Role[]).includes(role);

export const REGION_LEVELS = ['county', 'township', 'village', 'villagerGroup'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
