// A map of a region drawn from its bundled outline and those under it (no tiles from the internet:
// it works offline and in a county's own network), with markers laid over it: cameras with the
// direction they look, open findings, and later the wall screen's cases. Every marker is a button
// named in words; tapping one shows its details under the map.
import './region-map.css';
import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fitProjection, type LngLat, pathOf, percentOf, ringsOf } from '../lib/map-projection.ts';
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
  /** Moved off its position by this many pixels, so that a finding does not hide its camera. */
  nudge?: [number, number];
  details?: ReactNode;
};

const COLOURS = { camera: '#1f4fbf', finding: '#b3261e', case: '#8a4b00', muted: '#5f6368' };

function MarkerIcon({ marker }: { marker: MapMarker }) {
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
  const selected = markers.find((m) => m.id === selectedId);
  const regionLevel = shapes.data?.region.level;
  return (
    <figure className="region-map-figure">
      <div className="region-map" style={{ aspectRatio: `${projection.width} / ${projection.height}` }} data-testid="region-map">
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
        {markers.map((marker) => {
          const at = percentOf(projection, marker.position);
          return (
            <button
              key={marker.id}
              type="button"
              className={`region-map-marker region-map-marker-${marker.kind}`}
              style={{
                ...at,
                ...(marker.nudge && { transform: `translate(${marker.nudge[0]}px, ${marker.nudge[1]}px)` }),
              }}
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
        <span>
          <span className="region-map-key region-map-key-camera" aria-hidden="true" />
          {t('map.camera')}
        </span>
        {markers.some((m) => m.kind === 'finding') && (
          <span>
            <span className="region-map-key region-map-key-finding" aria-hidden="true" />
            {t('map.finding')}
          </span>
        )}
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
