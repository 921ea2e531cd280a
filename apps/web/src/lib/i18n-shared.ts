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

export const sharedWordsZh = {
  cases: { nav: casesNavZh, states: caseStatesZh, config: { title: casesConfigTitleZh } },
  points: { nav: pointsNavZh },
  care: { nav: careNavZh },
};
