// 子女端 on a phone: the elders linked to me (with their consent) — how they are today, their
// month, their alarms and visits — and a reminder to their home speaker.
import '../words.ts';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CARE_KEY, useElders } from '../api/care.ts';
import { ElderCard } from './ElderCard.tsx';

export default function FamilyCarePage() {
  const { t } = useTranslation();
  const elders = useElders();
  useRefreshWhenSent(CARE_KEY);
  return (
    <div className="phone-page">
      <OutboxBanner />
      {elders.data?.items.length === 0 && <Notice type="info">{t('care.noLinkedElders')}</Notice>}
      {(elders.data?.items ?? []).map((elder) => (
        <ElderCard key={elder.personId} elder={elder} />
      ))}
    </div>
  );
}
