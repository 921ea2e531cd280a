import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sharedWordsZh } from './i18n.shared.ts';
import { zh } from './i18n.zh.ts';

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
  resources: { 'zh-CN': { translation: { ...zh, ...sharedWordsZh } } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

/** Settled when the stored language's words are in: the app renders after it. */
export const languageReady: Promise<void> = storedLanguage() === 'en' ? switchLanguage('en') : Promise.resolve();

export default i18n;
