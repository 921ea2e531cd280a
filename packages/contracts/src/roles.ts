export const ROLES = [
  'countyAdmin',
  'townshipOfficial',
  'villageCadre',
  'gridWorker',
  'appealsAgent',
  'departmentHandler',
  'doctor',
  'caretaker',
  'pointsKeeper',
  'serviceHallAgent',
  'villager',
  'familyMember',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  countyAdmin: { zh: '县级管理员', en: 'County admin' },
  townshipOfficial: { zh: '乡镇干部', en: 'Township official' },
  villageCadre: { zh: '村干部', en: 'Village cadre' },
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  appealsAgent: { zh: '诉求中心坐席', en: 'Appeals agent' },
  departmentHandler: { zh: '部门承办人', en: 'Department handler' },
  doctor: { zh: '签约医生', en: 'Doctor' },
  caretaker: { zh: '看护员', en: 'Caretaker' },
  pointsKeeper: { zh: '积分管理员', en: 'Points keeper' },
  serviceHallAgent: { zh: '政务服务厅代办员', en: 'Service-hall agent' },
  villager: { zh: '村民', en: 'Villager' },
  familyMember: { zh: '家属', en: 'Family member' },
};

export const REGION_LEVELS = ['county', 'township', 'village', 'villagerGroup'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
