// A household's farm cameras (农田监控): its plots and flocks watched by a camera, and for one of
// them a picture a day to page through with big buttons, the date shown large. Opened from the
// home tiles (the household's farm entry until the agriculture module links here) at /m/farm, and
// by the extension worker or cadre for a camera at /m/farm/<camera>.
import '../words.ts';
import '../monitoring.css';
import { FARM_SUBJECT_KIND_LABELS } from '@cunzhi/contracts/monitoring-findings';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useSession } from '../../../lib/session.ts';
import { timeLapseImageUrl, useFarmSubjects, useTimeLapse } from '../api/farm.ts';

/** 2026-11-30 → 11月30日 (周一), in Beijing's calendar. */
function dayLabel(day: string, en: boolean): string {
  const date = new Date(`${day}T12:00:00+08:00`);
  return date.toLocaleDateString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'short' });
}

function TimeLapse({ cameraId, title }: { cameraId: string; title: string }) {
  const { t, i18n } = useTranslation();
  const lapse = useTimeLapse(cameraId);
  const frames = lapse.data?.pages.flatMap((page) => page.items) ?? [];
  const [index, setIndex] = useState(0);
  const frame = frames[index];
  // Paging back past what is loaded asks for the next older page first.
  useEffect(() => {
    if (index >= frames.length - 2 && lapse.hasNextPage && !lapse.isFetchingNextPage) void lapse.fetchNextPage();
  }, [index, frames.length, lapse]);
  if (lapse.error) return <Notice type="error">{(lapse.error as Error).message}</Notice>;
  if (lapse.isSuccess && frames.length === 0) return <Notice type="info">{t('monitoring.farm.noPictures')}</Notice>;
  if (!frame) return null;
  const older = index + 1 < frames.length;
  return (
    <Panel title={title}>
      <p className="lapse-date" aria-live="polite" data-testid="lapse-date">
        {dayLabel(frame.day, i18n.language === 'en')}
      </p>
      <div className="lapse-frame">
        <img
          src={timeLapseImageUrl(cameraId, frame.snapshot.id)}
          alt={t('monitoring.farm.day', { date: dayLabel(frame.day, i18n.language === 'en') })}
        />
      </div>
      <p className="muted">
        {t('monitoring.farm.position', { n: frames.length - index, total: frames.length + (lapse.hasNextPage ? '+' : '') })}
      </p>
      <div className="lapse-nav">
        <button type="button" className="big-button" disabled={!older} onClick={() => setIndex(index + 1)}>
          ‹ {t('monitoring.farm.previous')}
        </button>
        <button type="button" className="big-button" disabled={index === 0} onClick={() => setIndex(index - 1)}>
          {t('monitoring.farm.next')} ›
        </button>
      </div>
      {(!older || index === 0) && (
        <p className="disabled-why" data-testid="lapse-why">
          {[!older && t('monitoring.farm.whyNoEarlier'), index === 0 && t('monitoring.farm.whyNoLater')].filter(Boolean).join(' ')}
        </p>
      )}
    </Panel>
  );
}

export default function FarmPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { cameraId } = useParams();
  const { data: session } = useSession();
  const subjects = useFarmSubjects(cameraId ? undefined : (session?.user.householdId ?? undefined));
  const items = subjects.data?.items ?? [];
  const [chosen, setChosen] = useState<string>();
  const shown = cameraId ?? chosen ?? (items.length === 1 ? items[0]?.cameraId : undefined);
  const subject = items.find((s) => s.cameraId === shown);
  const title = subject
    ? `${en ? FARM_SUBJECT_KIND_LABELS[subject.kind].en : FARM_SUBJECT_KIND_LABELS[subject.kind].zh}：${subject.label}`
    : t('monitoring.farm.title');
  return (
    <main className="phone-page">
      <h1>{t('monitoring.farm.title')}</h1>
      {!cameraId && session && !session.user.householdId && <Notice type="info">{t('common.noHousehold')}</Notice>}
      {subjects.error && <Notice type="error">{(subjects.error as Error).message}</Notice>}
      {subjects.isSuccess && items.length === 0 && <Notice type="info">{t('monitoring.farm.none')}</Notice>}
      {items.length > 1 && (
        <Panel title={t('monitoring.farm.choose')}>
          <div className="choice-grid">
            {items.map((s) => (
              <button
                key={s.cameraId}
                type="button"
                className={`big-button${s.cameraId === shown ? ' big-button-primary' : ''}`}
                aria-pressed={s.cameraId === shown}
                onClick={() => setChosen(s.cameraId)}
              >
                {en ? FARM_SUBJECT_KIND_LABELS[s.kind].en : FARM_SUBJECT_KIND_LABELS[s.kind].zh}：{s.label}
              </button>
            ))}
          </div>
        </Panel>
      )}
      {shown && <TimeLapse key={shown} cameraId={shown} title={title} />}
      {cameraId && (
        <p>
          <Link to="/cameras">{t('monitoring.cameras.title')}</Link>
        </p>
      )}
    </main>
  );
}
