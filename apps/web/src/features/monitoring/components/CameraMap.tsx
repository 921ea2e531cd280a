// The live view's map: each camera (with the direction it looks, in words: 镜头朝西) and each open
// finding, on the outlines of the caller's place.
import '../words.ts';
import type { LiveView } from '@cunzhi/contracts/monitoring';
import type { Finding } from '@cunzhi/contracts/monitoring-findings';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type MapMarker, RegionMap } from '../../../components/RegionMap.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { compassPoint } from '../compass.ts';

export function CameraMap({
  regionId,
  live,
  findings,
  onEnlarge,
}: {
  regionId: string | undefined;
  live: LiveView['items'];
  findings: Finding[];
  onEnlarge(cameraId: string): void;
}) {
  const { t } = useTranslation();
  const positions = new Map(live.map((item) => [item.camera.id, [item.camera.longitude, item.camera.latitude] as [number, number]]));
  const markers: MapMarker[] = live.map(({ camera, latest }) => ({
    id: `camera-${camera.id}`,
    kind: 'camera',
    position: [camera.longitude, camera.latitude],
    label: t('monitoring.live.cameraLabel', { name: camera.name }),
    directionDegrees: camera.directionDegrees,
    muted: !camera.enabled || Boolean(camera.lastPullError),
    details: (
      <div>
        <p>
          {t('monitoring.live.direction', {
            dir: t(`monitoring.live.compass.${compassPoint(camera.directionDegrees)}`),
            deg: camera.directionDegrees,
          })}
          {!camera.enabled && ` · ${t('monitoring.live.off')}`}
          {camera.lastPullError && ` · ${t('monitoring.live.failing')}`}
        </p>
        <p>{latest ? t('monitoring.live.capturedAt', { time: formatWhen(latest.capturedAt) }) : t('monitoring.live.noPicture')}</p>
        {latest && (
          <button type="button" className="big-button big-button-primary" onClick={() => onEnlarge(camera.id)}>
            {t('monitoring.live.enlarge', { name: camera.name })}
          </button>
        )}
      </div>
    ),
  }));
  for (const finding of findings) {
    const at = positions.get(finding.cameraId);
    if (!at) continue;
    markers.push({
      id: `finding-${finding.id}`,
      kind: 'finding',
      // At its camera's spot: the map spreads the two apart, both tappable.
      position: at,
      label: t('monitoring.live.findingLabel', { name: finding.cameraName }),
      details: (
        <div>
          <p>
            {t('monitoring.findings.when')}：{formatWhen(finding.createdAt)} · {t('monitoring.findings.changed')}：
            {Math.round(finding.changedFraction * 100)}%
          </p>
          <Link className="big-button big-button-primary" to={`/cameras/findings/${finding.id}`}>
            {t('monitoring.live.openFinding')}
          </Link>
        </div>
      ),
    });
  }
  return <RegionMap regionId={regionId} markers={markers} title={t('monitoring.live.map')} />;
}
