// The words of the offline banner and the sign-in notice, in their own namespace ('offline') so that
// adding the English ones does not make the app think all of English is loaded (lib/i18n.ts).
export const offlineWordsZh = {
  banner: '离线 · 数据更新于 {{time}}',
  bannerNoData: '离线 · 联网后会自动更新',
  notLoaded: '尚未载入：联网后会自动更新',
  expired: '登录已过期，需要重新登录。您离线时保存的 {{count}} 项操作（{{labels}}）都还在，重新登录后会自动发送。',
  waiting: '您有 {{count}} 项操作（{{labels}}）还没有发送，登录后会自动发送。',
};

export const offlineWordsEn: typeof offlineWordsZh = {
  banner: 'Offline · data from {{time}}',
  bannerNoData: 'Offline · pages update when the network is back',
  notLoaded: 'Not loaded yet: it updates once online',
  expired:
    'Your sign-in has expired: please sign in again. The {{count}} step(s) you saved offline ({{labels}}) are kept and will be sent once you sign in.',
  waiting: '{{count}} step(s) you saved ({{labels}}) have not been sent yet; they will be sent once you sign in.',
};
