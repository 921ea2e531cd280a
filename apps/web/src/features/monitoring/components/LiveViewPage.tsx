// The live view for cadres and grid workers (monitoring.view): the map of my place's cameras and
// open findings, and the newest picture of each camera with when it was taken, asked for again
// every 15 seconds; a tap enlarges a picture.
import '../words.ts';
import '../monitoring.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import type { ApiError } from '../../../lib/api-client.ts';
import { formatWhen } from '../../../lib/format-time.ts';
import { can, useSession } from '../../../lib/session.ts';
import { snapshotImageUrl, useLiveView } from '../api/cameras.ts';
import { useFindings } from '../api/findings.ts';
import { CameraMap } from './CameraMap.tsx';
import { homeRegionOf } from './monitoring-scope.ts';

export default function LiveViewPage() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const allowed = can(session, 'monitoring.view') || can(session, 'monitoring.manage');
  const live = useLiveView(allowed);
  // Findings come from detection; until it answers (or where it is not there) the map shows cameras alone.
  const findings = useFindings('open', allowed);
  const [enlarged, setEnlarged] = useState<string>();
  const items = live.data?.items ?? [];
  const shown = items.find((item) => item.camera.id === enlarged);

  useEffect(() => {
    if (!enlarged) return;
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setEnlarged(undefined);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [enlarged]);

  if (session && !allowed) {
    return (
      <main className="phone-page">
        <h1>{t('monitoring.live.title')}</h1>
        <Notice type="info">{t('monitoring.live.noRight')}</Notice>
      </main>
    );
  }
  return (
    <main className="phone-page">
      <h1>{t('monitoring.live.title')}</h1>
      {live.error && <Notice type="error">{(live.error as ApiError).message}</Notice>}
      {live.isSuccess && items.length === 0 && <Notice type="info">{t('monitoring.live.none')}</Notice>}
      {live.isSuccess && (
        <CameraMap regionId={homeRegionOf(session)} live={items} findings={findings.data?.items ?? []} onEnlarge={setEnlarged} />
      )}
      {live.dataUpdatedAt > 0 && (
        <p className="muted" data-testid="live-refreshed">
          {t('monitoring.live.refreshed', {
            time: new Date(live.dataUpdatedAt).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }),
          })}
        </p>
      )}
      <ul className="live-grid">
        {items.map(({ camera, latest }) => (
          <li key={camera.id}>
            <button
              type="button"
              className="live-tile"
              disabled={!latest}
              onClick={() => setEnlarged(camera.id)}
              title={latest ? t('monitoring.live.enlarge', { name: camera.name }) : undefined}
            >
              {latest ? (
                <img src={snapshotImageUrl(latest.id, 'thumb')} alt="" loading="lazy" />
              ) : (
                <span className="live-empty">{t('monitoring.live.noPicture')}</span>
              )}
              <span className="live-caption">
                <strong>{camera.name}</strong>
                {latest && <span>{t('monitoring.live.capturedAt', { time: formatWhen(latest.capturedAt) })}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown?.latest && (
        <div className="live-viewer" role="dialog" aria-modal="true" aria-label={shown.camera.name}>
          <strong>{shown.camera.name}</strong>
          <span>{t('monitoring.live.capturedAt', { time: formatWhen(shown.latest.capturedAt) })}</span>
          <img src={snapshotImageUrl(shown.latest.id, 'full')} alt={shown.camera.name} />
          <button type="button" className="big-button big-button-primary" onClick={() => setEnlarged(undefined)}>
            {t('monitoring.live.close')}
          </button>
        </div>
      )}
    </main>
  );
}
