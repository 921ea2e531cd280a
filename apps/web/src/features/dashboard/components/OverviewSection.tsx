// 乡村概况: people, households, elders living alone, grids, and the map of the place drawn from its
// bundled outline (no tiles) with the open cases and the cameras on it.
import '../words.ts';
import type { OverviewSection as Overview } from '@cunzhi/contracts/dashboard';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { fitProjection, type LngLat, pathOf, ringsOf } from '../../../lib/map-projection.ts';
import { MaybeLink } from './charts.tsx';
import { formatFigure } from './figures.ts';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';

function ScreenMap({ data, name }: { data: Overview; name: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const link = useLinkTo();
  const { projection, outlines } = useMemo(() => {
    const outlines = [data.shape.region, ...data.shape.within].filter((shape) => shape.boundary);
    const own = data.shape.region.boundary
      ? ringsOf(data.shape.region.boundary).flat()
      : outlines.flatMap((shape) => (shape.boundary ? ringsOf(shape.boundary).flat() : []));
    const points: LngLat[] = [...data.cases, ...data.cameras].map((p) => [p.lon, p.lat]);
    return { projection: fitProjection(own.length > 0 ? own : points, { minAspect: 0.7, maxAspect: 1.1 }), outlines };
  }, [data.shape, data.cases, data.cameras]);
  const dot = (p: { lon: number; lat: number }) => projection.project([p.lon, p.lat]);
  // The places one level down named in the middle of their outline's box (short names: 黑水镇).
  const names = useMemo(
    () =>
      data.shape.within
        .filter((shape) => shape.parentId === data.shape.region.id && shape.boundary)
        .map((shape) => {
          const points = shape.boundary
            ? ringsOf(shape.boundary)
                .flat()
                .map((p) => projection.project(p))
            : [];
          const xs = points.map((p) => p[0]);
          const ys = points.map((p) => p[1]);
          return {
            id: shape.id,
            name: en && shape.nameEn ? shape.nameEn : shape.name,
            x: (Math.min(...xs) + Math.max(...xs)) / 2,
            y: (Math.min(...ys) + Math.max(...ys)) / 2,
          };
        }),
    [data.shape, projection, en],
  );
  return (
    <figure className="screen-map" data-testid="screen-map">
      <svg viewBox={`0 0 ${projection.width} ${projection.height}`} role="img" aria-label={t('screen.overview.map', { name })}>
        {outlines.map((shape) =>
          shape.boundary ? (
            <path
              key={shape.id}
              d={pathOf(shape.boundary, projection)}
              fillRule="evenodd"
              className={shape.id === data.shape.region.id ? 'screen-map-own' : 'screen-map-child'}
            />
          ) : null,
        )}
        {names.map((place) => (
          <text key={place.id} className="screen-map-name" x={place.x} y={place.y} textAnchor="middle" dominantBaseline="central">
            {place.name}
          </text>
        ))}
        {data.cameras.map((camera) => {
          const [x, y] = dot(camera);
          return <rect key={camera.id} className="screen-map-camera" x={x - 13} y={y - 13} width={26} height={26} rx={5} />;
        })}
        {data.cases.map((item) => {
          const [x, y] = dot(item);
          return <circle key={item.id} className="screen-map-case" cx={x} cy={y} r={15} />;
        })}
      </svg>
      <figcaption>
        <ul className="screen-legend">
          <li>
            <span className="screen-swatch" style={{ background: '#f4b942', borderRadius: '50%' }} />
            <MaybeLink href={link('/cases')}>{t('screen.overview.openCases')}</MaybeLink>
            <b data-figure="overview.cases">{formatFigure(data.cases.length)}</b>
          </li>
          <li>
            <span className="screen-swatch" style={{ background: '#5ad19a' }} />
            <MaybeLink href={link('/cameras')}>{t('screen.overview.cameras')}</MaybeLink>
            <b data-figure="overview.cameras">{formatFigure(data.cameras.length)}</b>
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}

export const OverviewSection = memo(function OverviewSection({ data, name, stale }: { data: Overview; name: string; stale?: boolean }) {
  const { t } = useTranslation();
  const link = useLinkTo();
  return (
    <SectionFrame section="overview" stale={stale}>
      <div className="screen-row screen-grow">
        <div className="screen-overview-figures">
          <Kpis
            items={[
              { figureKey: 'overview.population', label: t('screen.overview.population'), value: data.population, href: link('/people') },
              {
                figureKey: 'overview.households',
                label: t('screen.overview.households'),
                value: data.households,
                href: link('/households'),
              },
              {
                figureKey: 'overview.eldersLivingAlone',
                label: t('screen.overview.eldersLivingAlone'),
                value: data.eldersLivingAlone,
                href: link('/care'),
              },
              {
                figureKey: 'overview.grids',
                label: `${t('screen.overview.grids')} / ${t('screen.overview.gridWorkers')}`,
                value: data.grids,
                text: `${formatFigure(data.grids)} / ${formatFigure(data.gridWorkers)}`,
                href: link('/regions'),
              },
            ]}
          />
        </div>
        <ScreenMap data={data} name={name} />
      </div>
    </SectionFrame>
  );
});
