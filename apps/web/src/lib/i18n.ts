// The one i18next instance that lib, components and features translate with, and the switch between
// languages. It starts in Chinese with the words shown across features (i18n-shared.ts); the app adds
// its own words and says how English is loaded (app/i18n.ts), each feature adds its pages' words
// (features/*/words.ts). English imports every feature's words, so only the app may name it.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sharedWordsZh } from './i18n-shared.ts';

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'cunzhi.language';

let loadEnglish: () => Promise<object> = async () => ({});

export function storedLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** English is loaded when chosen: phones in the villages, nearly all in Chinese, do not download it. */
export function loadEnglishWith(load: () => Promise<object>): void {
  loadEnglish = load;
}

export async function switchLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    i18n.addResourceBundle('en', 'translation', await loadEnglish());
  }
  await i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: sharedWordsZh } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  // i18next otherwise advertises its makers in the console of every page load.
  showSupportNotice: false,
});

// Every t() asks i18next for the languages to look in ('zh-CN' → zh-CN, zh), and i18next works them
// out again each time, canonicalising 'zh-CN' twice with Intl.getCanonicalLocales: in a CPU profile
// of the points page's load that was a third of all the time spent in t() (formatLanguageCode the
// single largest function of i18next), some hundreds of calls while the page first draws. The answer
// depends only on the language asked for (the options are fixed at init), so it is kept per language.
const languageUtils = i18n.services.languageUtils;
const resolveHierarchy = languageUtils.toResolveHierarchy.bind(languageUtils);
const hierarchies = new Map<string, readonly string[]>();
languageUtils.toResolveHierarchy = (code: string, fallbackCode?: string | false) => {
  if (typeof code !== 'string' || fallbackCode !== undefined) return resolveHierarchy(code, fallbackCode);
  const codes = hierarchies.get(code) ?? resolveHierarchy(code);
  hierarchies.set(code, codes);
  // A copy: i18next keeps the answer as i18n.languages.
  return [...codes];
};

export default i18n;
