// The menu's words for the cases, points and care pages: the layout shows them on every page, so
// they load with the app, while the rest of each feature's words load with its pages (words.ts).
export const casesNavZh = {
  report: '我要反映',
  mine: '我的反映',
  tasks: '我的任务',
  desk: '事项办理',
  statistics: '诉求统计',
  notifications: '消息',
};
export const casesConfigTitleZh = '事项设置';
export const pointsNavZh = { mine: '我的积分', keeper: '积分管理' };
export const careNavZh = { duty: '关爱老人', family: '我的家人', rounds: '今日探访' };

export const featureNavZh = {
  cases: { nav: casesNavZh, config: { title: casesConfigTitleZh } },
  points: { nav: pointsNavZh },
  care: { nav: careNavZh },
};
