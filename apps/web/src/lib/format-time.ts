// Times as the villages read them, in China time: formatWhen on the phone pages, in words ("今天
// 14:27", "12月2日 14:27"); formatTime on the desk's tables, compact ("12/02 14:27", as
// toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month, day, hour, minute: '2-digit' }) writes).
//
// Written out by hand rather than by Intl: the first Intl date format of a page loads the locale's
// and time zone's data (40–85 ms on a desktop CPU, four times that on a cheap phone), inside the
// render of the first list that shows a time, and toLocaleString builds a new formatter on every
// call besides. China time has been UTC+8 all year since 1991, so adding eight hours is exact.
import i18next from 'i18next';

const CHINA_OFFSET_MS = 8 * 3_600_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export const formatTime = (iso: string) => {
  const date = new Date(iso);
  // Said as toLocaleString said it ("Invalid Date") for a time it cannot read.
  if (Number.isNaN(date.getTime())) return String(date);
  const china = new Date(date.getTime() + CHINA_OFFSET_MS);
  return `${two(china.getUTCMonth() + 1)}/${two(china.getUTCDate())} ${two(china.getUTCHours())}:${two(china.getUTCMinutes())}`;
};

const DAY_MS = 86_400_000;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NEAR_DAYS = {
  zh: { '-1': '昨天', '0': '今天', '1': '明天' },
  en: { '-1': 'yesterday', '0': 'today', '1': 'tomorrow' },
} as const;

/** The language the page is read in (lib/i18n.ts switches it). */
const pageLanguage = () => (i18next.language === 'en' ? 'en' : 'zh');

/**
 * A time as the phone pages say it, in words a villager reads: "今天 14:27", "明天 09:00", "昨天
 * 18:05", else "12月10日 12:14", with the year when it is not this year ("2025年12月10日 12:14"). In
 * English: "today 14:27", "10 Dec 12:14", "10 Dec 2025 12:14". China time, as formatTime; `now`
 * decides which day is today. The desk's tables keep formatTime's compact "12/10 12:14".
 */
export function formatWhen(iso: string, now: number = Date.now(), language: 'zh' | 'en' = pageLanguage()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(date);
  const china = new Date(date.getTime() + CHINA_OFFSET_MS);
  const today = new Date(now + CHINA_OFFSET_MS);
  const dayNumber = (d: Date) => Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / DAY_MS);
  const offset = String(dayNumber(china) - dayNumber(today));
  const clock = `${two(china.getUTCHours())}:${two(china.getUTCMinutes())}`;
  const near = NEAR_DAYS[language][offset as keyof (typeof NEAR_DAYS)['zh']];
  if (near) return `${near} ${clock}`;
  const year = china.getUTCFullYear() === today.getUTCFullYear() ? '' : String(china.getUTCFullYear());
  const month = china.getUTCMonth() + 1;
  const day = china.getUTCDate();
  if (language === 'en') return `${day} ${MONTHS_EN[month - 1]}${year && ` ${year}`} ${clock}`;
  return `${year && `${year}年`}${month}月${day}日 ${clock}`;
}
