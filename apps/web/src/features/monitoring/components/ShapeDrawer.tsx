// Areas drawn on a camera's picture by tapping their corners: privacy masks (several, blacked out
// before anything is kept) or the watch area (one). Points are fractions (0–1) of the picture's
// width and height, as the server keeps them, so they fit any size of the same camera's picture.
import '../words.ts';
import { type MouseEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type Shape = number[][];

export function ShapeDrawer({
  imageUrl,
  shapes,
  onChange,
  single,
  label,
  testId,
}: {
  imageUrl: string | null;
  shapes: Shape[];
  onChange(shapes: Shape[]): void;
  /** The watch area: one shape, a new one replacing it. */
  single?: boolean;
  label: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [points, setPoints] = useState<Shape>([]);
  const add = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    if (points.length < 64) setPoints([...points, [round(x), round(y)]]);
  };
  const finish = () => {
    onChange(single ? [points] : [...shapes, points]);
    setPoints([]);
  };
  return (
    <div className="shape-drawer" data-testid={testId}>
      {/* Tapping the picture adds a corner; the buttons below finish, undo and remove. */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: drawing needs a pointer; the buttons below do the rest */}
      <div className="shape-drawer-canvas" onClick={add} data-testid={testId && `${testId}-canvas`}>
        {imageUrl ? (
          <img src={imageUrl} alt={label} draggable={false} />
        ) : (
          <div className="shape-drawer-blank">{t('monitoring.cameras.noPicture')}</div>
        )}
        <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
          {shapes.map((shape, i) => (
            <polygon
              // biome-ignore lint/suspicious/noArrayIndexKey: shapes have no identity but their place
              key={i}
              points={shape.map((p) => p.join(',')).join(' ')}
              className={single ? 'shape-watch' : 'shape-mask'}
            />
          ))}
          {points.length > 0 && <polyline points={points.map((p) => p.join(',')).join(' ')} className="shape-drawing" />}
          {points.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a corner is its place in the list
            <circle key={i} cx={p[0]} cy={p[1]} r={0.008} className="shape-corner" />
          ))}
        </svg>
      </div>
      <p className="muted">{t('monitoring.cameras.pointsSoFar', { count: points.length })}</p>
      <div className="shape-drawer-actions">
        <button type="button" className="big-button big-button-primary" disabled={points.length < 3} onClick={finish}>
          {t('monitoring.cameras.finishShape')}
        </button>
        <button type="button" className="big-button" disabled={points.length === 0} onClick={() => setPoints(points.slice(0, -1))}>
          {t('monitoring.cameras.undoPoint')}
        </button>
        <button
          type="button"
          className="big-button"
          disabled={shapes.length === 0 && points.length === 0}
          onClick={() => {
            setPoints([]);
            onChange([]);
          }}
        >
          {t('monitoring.cameras.clearShapes')}
        </button>
      </div>
      {points.length < 3 && (
        <p className="disabled-why">
          {points.length === 0 ? t('monitoring.cameras.whyNoPoints') : t('monitoring.cameras.whyFewPoints', { count: 3 - points.length })}
        </p>
      )}
      {!single && shapes.length > 0 && (
        <ul className="plain-list shape-drawer-list">
          {shapes.map((_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: shapes have no identity but their place
            <li key={i}>
              <button type="button" className="link-button" onClick={() => onChange(shapes.filter((__, j) => j !== i))}>
                {t('monitoring.cameras.removeShape', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
