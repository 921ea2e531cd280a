// A map of a region drawn from its bundled outline and those under it (no tiles from the internet:
// it works offline and in a county's own network), with markers laid over it: cameras with the
// direction they look, open findings, and later the wall screen's cases. Every marker is a button
// named in words; tapping one shows its details under the map. Markers that would cover each other
// are spread around their spot (lib/map-spread.ts), a thin line to where each really is; the legend
// names every kind of marker the map can show, drawn as on the map.
import './region-map.css';
import type { ReactNode, RefObject } from 'react';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fitProjection, type LngLat, pathOf, percentOf, ringsOf } from '../lib/map-projection.ts';
import { spreadMarkers } from '../lib/map-spread.ts';
import { useRegionShapes } from '../lib/region-shapes.ts';

export type MapMarker = {
  id: string;
  kind: 'camera' | 'finding' | 'case';
  /** [longitude, latitude], WGS84. */
  position: LngLat;
  /** What the button says to a screen reader, e.g. 摄像头：集镇东口. */
  label: string;
  /** Cameras: where the camera looks, degrees clockwise from north. */
  directionDegrees?: number;
  /** Drawn grey: a camera that is off or failing. */
  muted?: boolean;
  details?: ReactNode;
};

const COLOURS = { camera: '#1f4fbf', finding: '#b3261e', case: '#8a4b00', muted: '#5f6368' };

/** A marker's tap size in CSS pixels (region-map.css: 48, 60 in elder mode), and a little air between two. */
const markerGap = () => (document.documentElement.hasAttribute('data-elder') ? 60 : 48) + 4;

/** The drawn width of an element, followed as the screen turns or the window is resized. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function MarkerIcon({ marker }: { marker: Pick<MapMarker, 'kind' | 'muted' | 'directionDegrees'> }) {
  const fill = marker.muted ? COLOURS.muted : COLOURS[marker.kind];
  return (
    <svg viewBox="-24 -24 48 48" width="100%" height="100%" aria-hidden="true" focusable="false">
      {marker.directionDegrees !== undefined && (
        <path d="M0 0 L-11 -20 A23 23 0 0 1 11 -20 Z" fill={fill} fillOpacity={0.35} transform={`rotate(${marker.directionDegrees})`} />
      )}
      {marker.kind === 'camera' ? (
        <circle r={8} fill={fill} stroke="#fff" strokeWidth={2.5} />
      ) : (
        <g>
          <path d="M0 -13 L12 9 L-12 9 Z" fill={fill} stroke="#fff" strokeWidth={2} strokeLinejoin="round" />
          <path d="M0 -5 V2 M0 5 V5.5" stroke="#fff" strokeWidth={2.6} strokeLinecap="round" />
        </g>
      )}
    </svg>
  );
}

export function RegionMap({ regionId, markers, title }: { regionId: string | undefined; markers: MapMarker[]; title: string }) {
  const { t, i18n } = useTranslation();
  const shapes = useRegionShapes(regionId);
  const [selectedId, setSelectedId] = useState<string>();
  const en = i18n.language === 'en';

  const drawing = useMemo(() => {
    const outlines = [...(shapes.data?.region.boundary ? [shapes.data.region] : []), ...(shapes.data?.within ?? [])];
    // Fit the region's own outline when it has one (markers outside it still count), else whatever there is.
    const own = shapes.data?.region.boundary
      ? ringsOf(shapes.data.region.boundary).flat()
      : outlines.flatMap((s) => (s.boundary ? ringsOf(s.boundary).flat() : []));
    const projection = fitProjection([...own, ...markers.map((m) => m.position)]);
    return { projection, outlines };
  }, [shapes.data, markers]);

  const { projection, outlines } = drawing;
  const [mapRef, mapWidth] = useWidth();
  const spread = useMemo(() => {
    if (mapWidth === 0) return new Map<string, [number, number]>();
    const scale = mapWidth / projection.width;
    const points = markers.map((m) => {
      const [x, y] = projection.project(m.position);
      return { id: m.id, x: x * scale, y: y * scale };
    });
    return spreadMarkers(points, markerGap(), mapWidth, projection.height * scale);
  }, [markers, projection, mapWidth]);
  const moved = markers.filter((m) => {
    const [dx, dy] = spread.get(m.id) ?? [0, 0];
    return Math.hypot(dx, dy) > 1;
  });
  const scale = mapWidth / projection.width;
  const selected = markers.find((m) => m.id === selectedId);
  const regionLevel = shapes.data?.region.level;
  // Every kind of marker this map shows (cameras and findings always: a map of cameras says what a
  // finding would look like before there is one; cases and grey cameras when there are some).
  const legend: { id: string; icon: Pick<MapMarker, 'kind' | 'muted' | 'directionDegrees'>; label: string }[] = [
    { id: 'camera', icon: { kind: 'camera', directionDegrees: 0 }, label: t('map.cameraFacing') },
    ...(markers.some((m) => m.kind === 'camera' && m.muted)
      ? [{ id: 'cameraMuted', icon: { kind: 'camera' as const, muted: true }, label: t('map.cameraMuted') }]
      : []),
    { id: 'finding', icon: { kind: 'finding' }, label: t('map.finding') },
    ...(markers.some((m) => m.kind === 'case') ? [{ id: 'case', icon: { kind: 'case' as const }, label: t('map.case') }] : []),
  ];
  return (
    <figure className="region-map-figure">
      <div
        ref={mapRef}
        className="region-map"
        style={{ aspectRatio: `${projection.width} / ${projection.height}` }}
        data-testid="region-map"
      >
        <svg viewBox={`0 0 ${projection.width} ${projection.height}`} role="img" aria-label={title}>
          {outlines.map((shape) => {
            if (!shape.boundary) return null;
            const own = shape.id === shapes.data?.region.id;
            // The level right under the region is drawn stronger than the one under that.
            const near = !own && shape.parentId === shapes.data?.region.id;
            return (
              <path
                key={shape.id}
                d={pathOf(shape.boundary, projection)}
                fillRule="evenodd"
                className={own ? 'region-map-own' : near ? 'region-map-child' : 'region-map-grandchild'}
                data-region-level={shape.level}
              >
                <title>{en && shape.nameEn ? shape.nameEn : shape.name}</title>
              </path>
            );
          })}
        </svg>
        {moved.length > 0 && (
          <svg className="region-map-leaders" aria-hidden="true" focusable="false">
            {moved.map((marker) => {
              const [x, y] = projection.project(marker.position).map((v) => v * scale) as [number, number];
              const [dx, dy] = spread.get(marker.id) ?? [0, 0];
              return (
                <g key={marker.id}>
                  <line x1={x} y1={y} x2={x + dx} y2={y + dy} />
                  <circle cx={x} cy={y} r={3} />
                </g>
              );
            })}
          </svg>
        )}
        {markers.map((marker) => {
          const at = percentOf(projection, marker.position);
          const [dx, dy] = spread.get(marker.id) ?? [0, 0];
          return (
            <button
              key={marker.id}
              type="button"
              className={`region-map-marker region-map-marker-${marker.kind}`}
              data-marker-id={marker.id}
              style={{ ...at, ...((dx !== 0 || dy !== 0) && { transform: `translate(${dx.toFixed(1)}px, ${dy.toFixed(1)}px)` }) }}
              aria-label={marker.label}
              aria-pressed={marker.id === selectedId}
              onClick={() => setSelectedId(marker.id === selectedId ? undefined : marker.id)}
            >
              <MarkerIcon marker={marker} />
            </button>
          );
        })}
      </div>
      <figcaption className="region-map-legend">
        {legend.map((key) => (
          <span key={key.id} data-legend={key.id}>
            <span className="region-map-key" aria-hidden="true">
              <MarkerIcon marker={key.icon} />
            </span>
            {key.label}
          </span>
        ))}
        {moved.length > 0 && <span>{t('map.moved')}</span>}
        {shapes.isSuccess && !shapes.data.region.boundary && outlines.length === 0 && (
          <span className="muted">{t('map.noOutline', { level: regionLevel ? t(`region.${regionLevel}`) : '' })}</span>
        )}
      </figcaption>
      {selected && (
        <section className="region-map-details" aria-live="polite" data-testid="map-details">
          <h3>{selected.label}</h3>
          {selected.details}
          <button type="button" className="big-button" onClick={() => setSelectedId(undefined)}>
            {t('map.close')}
          </button>
        </section>
      )}
    </figure>
  );
}
