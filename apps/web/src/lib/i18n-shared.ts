// The cases, points and care words shown outside their own pages load with the app: the menu's
// (the layout shows them on every page) and the states of a case (the public village pages show
// them, and load no feature's words). The rest of each feature's words load with its pages (features/*/words.ts).
export const casesNavZh = {
  report: '我要反映',
  mine: '我的反映',
  tasks: '我的任务',
  desk: '事项办理',
  statistics: '诉求统计',
  notifications: '消息',
};
export const casesConfigTitleZh = '事项设置';
export const caseStatesZh = {
  received: '已受理',
  answeredOnSpot: '现场解释答疑',
  assigned: '已交办',
  accepted: '办理中',
  handled: '已办理',
  replied: '已答复',
  closed: '已办结',
};
export const pointsNavZh = { mine: '我的积分', keeper: '积分管理' };
export const careNavZh = { duty: '关爱老人', family: '我的家人', rounds: '今日探访' };
/** An alarm in words: the family's home card says them too (what it is, where it stands, who has it in hand). */
export const careAlarmWordsZh = {
  causes: {
    sos: '一键呼救',
    fall: '摔倒呼救',
    systolicHigh: '血压过高',
    systolicLow: '血压过低',
    heartHigh: '心率过快',
    heartLow: '心率过慢',
    glucoseLow: '低血糖',
    glucoseHigh: '血糖过高',
    inactivity: '24小时无活动',
    lowBattery: '设备电量低',
    deviceOffline: '设备离线',
  },
  states: { pending: '待确认', raised: '待接警', acknowledged: '处置中', resolved: '已处置', cancelled: '已取消（老人按了“我没事”）' },
  handlerRoles: { doctor: '村医', caretaker: '看护员', family: '家属', staff: '工作人员' },
  handlingNote: '处置情况：{{note}}',
};
/**
 * A latest reading out of the usual range, in words: the elder's card and the family's home card
 * both say 血压偏高，请留意 (features/care/reading-flags.ts), so the home needs none of the care pages' words.
 */
export const careReadingWordsZh = {
  readingHigh: '偏高',
  readingLow: '偏低',
  readingOut: '{{kind}}{{flag}}',
  readingsWatch: '{{readings}}，请留意',
  listJoin: '、',
  kinds: { bloodPressure: '血压', heartRate: '心率', glucose: '血糖', steps: '步数' },
};

export const sharedWordsZh = {
  cases: { nav: casesNavZh, states: caseStatesZh, config: { title: casesConfigTitleZh } },
  points: { nav: pointsNavZh },
  care: { nav: careNavZh, ...careAlarmWordsZh, ...careReadingWordsZh },
};
