// Labels from the contracts in the reader's language (Chinese first, English second), for the desk
// and the phone pages alike: no antd here, so the phone pages may import it.
import type { MonitoredStatus } from '@cunzhi/contracts/poverty';
import { useTranslation } from 'react-i18next';

export const STATUS_COLOURS: Record<MonitoredStatus, string> = {
  identifying: 'orange',
  monitored: 'red',
  removing: 'blue',
  removed: 'green',
  dismissed: 'default',
};

export function useLabel() {
  const { i18n } = useTranslation();
  return (labels: Record<string, { zh: string; en: string }>, key: string | null | undefined) =>
    key ? ((i18n.language === 'en' ? labels[key]?.en : labels[key]?.zh) ?? key) : '—';
}
