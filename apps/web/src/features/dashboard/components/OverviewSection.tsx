// 乡村概况: people, households, elders living alone, grids, and the map of the place drawn from its
// bundled outline (no tiles) with the open cases and the cameras on it, and the places one level
// down named where their names fit at the wall's size.
import '../words.ts';
import type { OverviewSection as Overview } from '@cunzhi/contracts/dashboard';
import { memo, type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fitProjection, type LngLat, pathOf, ringsOf } from '../../../lib/map-projection.ts';
import { MaybeLink } from './charts.tsx';
import { formatFigure } from './figures.ts';
import { Kpis, SectionFrame, useLinkTo } from './parts.tsx';
import { useWholeStage } from './stage.tsx';

/**
 * A place's name on the map in stage pixels, whatever the map's size: a little over the wall's
 * smallest text in a tile, the section's own size when it has the whole stage.
 */
const NAME_PX = { tile: 26, whole: 40 };

/** The box's size in CSS pixels of the stage, followed as the stage lays it out again. */
function useSize(ref: RefObject<Element | null>): { width: number; height: number } | undefined {
  const [size, setSize] = useState<{ width: number; height: number }>();
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

type Box = { left: number; top: number; right: number; bottom: number };
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
/** Width in ems of a name: a Chinese character is one, a Latin letter about 0.6. */
const emsOf = (text: string) => [...text].reduce((sum, char) => sum + (/[\u2e80-\uffef]/.test(char) ? 1 : 0.6), 0);

/**
 * The names that fit at NAME_PX, larger places first: a name that would cover another or leave the
 * map is left out (a tile's small map names few places, the whole stage's map all of them).
 */
function placeNames<T extends { name: string; x: number; y: number; area: number }>(
  places: T[],
  fontSize: number,
  width: number,
  height: number,
): T[] {
  const placed: { place: T; box: Box }[] = [];
  for (const place of [...places].sort((a, b) => b.area - a.area)) {
    const half = { x: (emsOf(place.name) * fontSize) / 2 + fontSize * 0.2, y: fontSize * 0.75 };
    const box = { left: place.x - half.x, right: place.x + half.x, top: place.y - half.y, bottom: place.y + half.y };
    if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) continue;
    if (placed.some((other) => overlaps(other.box, box))) continue;
    placed.push({ place, box });
  }
  return placed.map((p) => p.place);
}

function ScreenMap({ data, name }: { data: Overview; name: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const link = useLinkTo();
  const whole = useWholeStage();
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
          const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
          return {
            id: shape.id,
            name: en && shape.nameEn ? shape.nameEn : shape.name,
            x: (left + right) / 2,
            y: (top + bottom) / 2,
            area: (right - left) * (bottom - top),
          };
        }),
    [data.shape, projection, en],
  );
  // The names are drawn NAME_PX high on the stage: the picture's scale says how many of its units.
  const svg = useRef<SVGSVGElement>(null);
  const size = useSize(svg);
  const scale = size ? Math.min(size.width / projection.width, size.height / projection.height) : 0;
  const fontSize = scale > 0 ? (whole ? NAME_PX.whole : NAME_PX.tile) / scale : 0;
  const shown = useMemo(
    () => (fontSize > 0 ? placeNames(names, fontSize, projection.width, projection.height) : []),
    [names, fontSize, projection],
  );
  return (
    <figure className="screen-map" data-testid="screen-map">
      <svg ref={svg} viewBox={`0 0 ${projection.width} ${projection.height}`} role="img" aria-label={t('screen.overview.map', { name })}>
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
        {data.cameras.map((camera) => {
          const [x, y] = dot(camera);
          return <rect key={camera.id} className="screen-map-camera" x={x - 13} y={y - 13} width={26} height={26} rx={5} />;
        })}
        {data.cases.map((item) => {
          const [x, y] = dot(item);
          return <circle key={item.id} className="screen-map-case" cx={x} cy={y} r={15} />;
        })}
        {/* Over the points, so that a cluster of cases never hides a name. */}
        {shown.map((place) => (
          <text
            key={place.id}
            className="screen-map-name"
            x={place.x}
            y={place.y}
            fontSize={fontSize}
            strokeWidth={fontSize * 0.15}
            textAnchor="middle"
            dominantBaseline="central"
          >
            {place.name}
          </text>
        ))}
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
