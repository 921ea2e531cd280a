// What a page shows while its part of the app or its first data arrives: a spinner said in words
// for screen readers. Tests wait for `.page-loading` to go, as for antd's spinner on desk pages.
import { useTranslation } from 'react-i18next';

export function PageLoading({ fullscreen = false }: { fullscreen?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={fullscreen ? 'page-loading page-loading-fullscreen' : 'page-loading'} role="status" aria-label={t('nav.loading')}>
      <span className="page-loading-ring" aria-hidden="true" />
    </div>
  );
}
