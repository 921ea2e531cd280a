// 子女端 on a phone: the elders linked to me (with their consent) — how they are today, their
// month, their alarms and visits — and a reminder to their home speaker. The page is live: an
// alarm of my elder (the server streams me those of my linked elders only) shows at once.
import '../words.ts';
import type { Alarm, Elder } from '@cunzhi/contracts/care';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { ListEmpty } from '../../../components/ItemList.tsx';
import { Notice } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { notLoadedForNetwork } from '../../../lib/offline-data.ts';
import { useSession } from '../../../lib/session.ts';
import { useLiveEvents } from '../../../lib/use-live-events.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { isOpenAlarm } from '../alarm-words.ts';
import { CARE_KEY, mayReadHome, useElderAlarms, useElderHome, useElders } from '../api/care.ts';
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

/**
 * An elder's open alarms at the top of the page, one red block each, large and said in words
 * ("何易光 一键呼救 · 待接警 · 12/03 11:20"), with what to do next: call the elder's home phone (for
 * those the server shows it to) and the video call. Issue 15: an SOS was a small chip and a pink line
 * under the charts. The same reads as the elder's card (and the same live merge), so no extra request.
 */
function AlarmBanners({ elder }: { elder: Elder }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const alarms = useElderAlarms(elder.personId);
  const open = (alarms.data?.items ?? []).filter(isOpenAlarm);
  const home = useElderHome(elder.personId, open.length > 0 && mayReadHome((session?.user.assignments ?? []).map((a) => a.role)));
  const phone = home.data?.phone;
  // The buttons once per elder, under the first block (two alarms at once are two blocks, not two video buttons).
  return open.map((alarm, index) => (
    <section
      key={alarm.id}
      role="alert"
      data-testid="alarm-banner"
      data-alarm={alarm.cause}
      style={{ background: '#b91c1c', color: '#fff', borderRadius: 8, padding: 16, marginBottom: 12 }}
    >
      <p style={{ margin: 0, fontSize: 22, fontWeight: 700, lineHeight: 1.4 }}>
        {'⚠ '}
        {t('care.alarmBanner', {
          name: elder.name,
          cause: t(`care.causes.${alarm.cause}`, { defaultValue: alarm.cause }),
          state: t(`care.states.${alarm.state}`, { defaultValue: alarm.state }),
          time: formatWhen(alarm.lastAt),
        })}
      </p>
      {index === 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 12 }}>
          {phone && (
            <a className="big-button" href={`tel:${phone.replace(/[^0-9+]/g, '')}`} data-testid="alarm-call">
              {t('care.callElder', { name: elder.name })}
            </a>
          )}
          <a className="big-button" href={`/m/family/call/${elder.personId}`} data-testid="alarm-video">
            {t('care.videoCall')}
          </a>
        </div>
      )}
    </section>
  ));
}

/**
 * 亲情通话 and 远程视频: the calls feature's page, by its address (features do not import each other).
 * Once per elder on the page: while an alarm is open its red block at the top carries the button.
 */
function VideoCallButton({ elder }: { elder: Elder }) {
  const { t } = useTranslation();
  const alarms = useElderAlarms(elder.personId);
  if ((alarms.data?.items ?? []).some(isOpenAlarm)) return null;
  return (
    <Button type="primary" size="large" block href={`/m/family/call/${elder.personId}`} data-testid="call-elder">
      {t('care.videoCall')}
    </Button>
  );
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
      {(elders.data?.items ?? []).map((elder) => (
        <AlarmBanners key={elder.personId} elder={elder} />
      ))}
      {/* Opened offline before it was ever loaded: say so, rather than only that the live link reconnects. */}
      {notLoadedForNetwork(elders) && <ListEmpty empty="" read={elders} />}
      {elders.data?.items.length === 0 && <Notice type="info">{t('care.noLinkedElders')}</Notice>}
      {(elders.data?.items ?? []).map((elder) => (
        <div key={elder.personId}>
          <VideoCallButton elder={elder} />
          <ElderCard elder={elder} />
        </div>
      ))}
    </div>
  );
}
