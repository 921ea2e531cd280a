// 子女端 on a phone: the elders linked to me (with their consent) — how they are today, their
// month, their alarms and visits — and a reminder to their home speaker. The page is live: an
// alarm of my elder (the server streams me those of my linked elders only) shows at once.
import '../words.ts';
import type { Alarm } from '@cunzhi/contracts/care';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { useLiveEvents } from '../../../lib/use-live-events.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { CARE_KEY, useElders } from '../api/care.ts';
import { ElderCard } from './ElderCard.tsx';

/** My elders' alarms as they are raised, taken on and closed, merged into each elder's list. */
function useLiveFamilyAlarms() {
  const client = useQueryClient();
  const live = useLiveEvents({
    alarm: (data) => {
      const alarm = JSON.parse(data) as Alarm;
      client.setQueryData<{ items: Alarm[] }>([CARE_KEY, 'alarms', alarm.elderPersonId], (current) => ({
        items: [alarm, ...(current?.items ?? []).filter((a) => a.id !== alarm.id)],
      }));
    },
  });
  // Back from a break: what happened meanwhile was never streamed, so the lists are asked again.
  const wasDown = useRef(false);
  useEffect(() => {
    if (live === 'down') wasDown.current = true;
    if (live === 'open' && wasDown.current) {
      wasDown.current = false;
      void client.invalidateQueries({ queryKey: [CARE_KEY, 'alarms'] });
    }
  }, [live, client]);
  return live;
}

export default function FamilyCarePage() {
  const { t } = useTranslation();
  const elders = useElders();
  const live = useLiveFamilyAlarms();
  useRefreshWhenSent(CARE_KEY);
  return (
    <div className="phone-page">
      <OutboxBanner />
      {live === 'down' && (
        <Notice type="warning" testId="live-down">
          {t('care.liveDown')}
        </Notice>
      )}
      {elders.data?.items.length === 0 && <Notice type="info">{t('care.noLinkedElders')}</Notice>}
      {(elders.data?.items ?? []).map((elder) => (
        <div key={elder.personId}>
          {/* 亲情通话 and 远程视频: the calls feature's page, by its address (features do not import each other). */}
          <Button type="primary" size="large" block href={`/m/family/call/${elder.personId}`} data-testid="call-elder">
            {t('care.videoCall')}
          </Button>
          <ElderCard elder={elder} />
        </div>
      ))}
    </div>
  );
}
