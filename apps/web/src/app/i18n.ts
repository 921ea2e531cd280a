// The app's words and the English loader, handed to the shared i18n instance (lib/i18n.ts) before
// anything renders.
import i18n, { loadEnglishWith, storedLanguage, switchLanguage } from '../lib/i18n.ts';
import { zh } from './i18n.zh.ts';

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
loadEnglishWith(async () => (await import('./i18n.en.ts')).enTranslation);

/** Settled when the stored language's words are in: the app renders after it. */
export const languageReady: Promise<void> = storedLanguage() === 'en' ? switchLanguage('en') : Promise.resolve();
