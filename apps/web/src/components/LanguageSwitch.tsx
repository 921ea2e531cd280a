import { useTranslation } from 'react-i18next';
import { switchLanguage } from '../lib/i18n.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <button
      type="button"
      className="header-button"
      onClick={() => void switchLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
      aria-label="language"
    >
      {t('nav.language')}
    </button>
  );
}
